using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Dashboard;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Reach;

/// <summary>The widget, the badge, the feeds, robots.txt, the sitemap and JSON-LD.</summary>
public sealed class ReachTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [Fact]
    public async Task Embed_ShowsTitleCountProgressAndSignLink_AndOnlyItMayBeFramed()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").WithSignatureCount(1234).WithGoal(2500));
        using var browser = App.CreateVisitor();

        var embed = await browser.GetAsync($"/p/{petition.Slug}/embed");

        Assert.Equal(HttpStatusCode.OK, embed.Status);
        Assert.Equal("Fix the potholes on Elm Street", embed.Text("h1"));
        Assert.Equal("Petitions", embed.Text(".widget-site"));
        Assert.Equal("1,234 have signed. Let's get to 2,500!", embed.Text(".widget-count"));
        var progress = embed.One("progress");
        Assert.Equal(("2500", "1234"), (progress.GetAttribute("max"), progress.GetAttribute("value")));
        var sign = embed.One("a.widget-sign");
        Assert.Equal($"http://localhost/p/{petition.Slug}#sign", sign.GetAttribute("href"));
        Assert.Equal("_blank", sign.GetAttribute("target"));
        Assert.Contains("frame-ancestors *", embed.Headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.False(embed.Headers.ContainsKey("X-Frame-Options"));
        Assert.Contains("public", embed.Headers["Cache-Control"], StringComparison.Ordinal);

        // Served again from the output cache: still framable.
        var again = await browser.GetAsync($"/p/{petition.Slug}/embed");
        Assert.Contains("frame-ancestors *", again.Headers["Content-Security-Policy"], StringComparison.Ordinal);

        foreach (var path in new[] { $"/p/{petition.Slug}", "/", "/petitions" })
        {
            var page = await browser.GetAsync(path);
            Assert.Contains("frame-ancestors 'none'", page.Headers["Content-Security-Policy"], StringComparison.Ordinal);
            Assert.Equal("DENY", page.Headers["X-Frame-Options"]);
        }
    }

    [Fact]
    public async Task Embed_ClosedPetition_HasNoSignButton()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Closed().WithSignatureCount(7));

        var embed = await App.CreateVisitor().GetAsync($"/p/{petition.Slug}/embed");

        Assert.Null(embed.Find("a.widget-sign"));
        Assert.Equal("This petition is closed. Read it (opens in a new tab)", embed.Text(".widget-closed"));
    }

    [Fact]
    public async Task Badge_IsAnSvgWithTheCount()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithSignatureCount(98765));
        using var client = App.CreateVisitor().Client;

        using var response = await client.GetAsync(new Uri($"/p/{petition.Slug}/badge.svg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("98,765 signatures", svg.Root!.Attribute("aria-label")!.Value);
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "98,765");
    }

    [Theory]
    [InlineData("/embed")]
    [InlineData("/badge.svg")]
    [InlineData("/updates.atom")]
    public async Task DraftOrUnknownPetition_Is404(string suffix)
    {
        var draft = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Draft());
        using var client = App.CreateVisitor().Client;

        using var forDraft = await client.GetAsync(new Uri($"/p/{draft.Slug}{suffix}", UriKind.Relative));
        using var forUnknown = await client.GetAsync(new Uri($"/p/no-such-petition{suffix}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, forDraft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forUnknown.StatusCode);
    }

    [Fact]
    public async Task NewPetitionsFeed_ListsPublishedPetitionsNewestFirst_PerCategory_NeverDrafts()
    {
        await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Older transport petition"), p => { p.Category = "Transport"; p.PublishedAt = DateTimeOffset.UtcNow.AddDays(-5); });
        await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Newer health petition").StartedBy("Nurses of Leeds"), p => { p.Category = "Health"; p.PublishedAt = DateTimeOffset.UtcNow.AddDays(-1); });
        await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Closed().WithTitle("Closed transport petition"), p => { p.Category = "Transport"; p.PublishedAt = DateTimeOffset.UtcNow.AddDays(-3); });
        await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Draft().WithTitle("Secret draft"), p => p.Category = "Transport");

        var all = await FeedAsync("/petitions.atom");
        var transport = await FeedAsync("/petitions.atom?category=Transport");

        Assert.Equal(["Newer health petition", "Closed transport petition", "Older transport petition"], Titles(all));
        Assert.Equal(["Closed transport petition", "Older transport petition"], Titles(transport));
        var first = all.Root!.Elements(Atom + "entry").First();
        Assert.Equal("Nurses of Leeds", first.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        Assert.StartsWith("http://localhost/p/", first.Element(Atom + "link")!.Attribute("href")!.Value, StringComparison.Ordinal);
        Assert.Equal("Health", first.Element(Atom + "category")!.Attribute("term")!.Value);
    }

    [Fact]
    public async Task UpdatesFeed_HasEachUpdateWithItsHtml_AndThePageLinksToIt()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Save the library"));
        await App.WithDbAsync(async db =>
        {
            db.PetitionUpdates.Add(new PetitionUpdate { PetitionId = petition.Id, Title = "We met the council", Body = "It went **well**.", BodyHtml = "<p>It went <strong>well</strong>.</p>", PostedAt = DateTimeOffset.UtcNow.AddDays(-2) });
            db.PetitionUpdates.Add(new PetitionUpdate { PetitionId = petition.Id, Title = "A vote next week", Body = "Come.", BodyHtml = "<p>Come.</p>", PostedAt = DateTimeOffset.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        });

        var feed = await FeedAsync($"/p/{petition.Slug}/updates.atom");

        Assert.Equal("Updates: Save the library", feed.Root!.Element(Atom + "title")!.Value);
        Assert.Equal(["A vote next week", "We met the council"], Titles(feed));
        var content = feed.Root.Elements(Atom + "entry").Last().Element(Atom + "content")!;
        Assert.Equal("html", content.Attribute("type")!.Value);
        Assert.Equal("<p>It went <strong>well</strong>.</p>", content.Value);

        var page = await App.CreateVisitor().GetAsync($"/p/{petition.Slug}");
        Assert.NotNull(page.Find($"head link[rel=alternate][type='application/atom+xml'][href='/p/{petition.Slug}/updates.atom']"));
        Assert.NotNull(page.Find("head link[rel=alternate][type='application/atom+xml'][href='/petitions.atom']"));
    }

    [Fact]
    public async Task Sitemap_ListsEveryPublicPetitionWithItsLastChange_NeverDrafts()
    {
        var open = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder());
        var closed = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Closed(), p => p.ClosedAt = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero));
        var draft = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().Draft());
        await App.WithDbAsync(async db =>
        {
            db.PetitionUpdates.Add(new PetitionUpdate { PetitionId = open.Id, Title = "News", Body = "x", BodyHtml = "<p>x</p>", PostedAt = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero) });
            await db.SaveChangesAsync();
        });
        using var client = App.CreateVisitor().Client;

        using var response = await client.GetAsync(new Uri("/sitemap.xml", UriKind.Relative));

        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var urls = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(SitemapNs + "url")
            .ToDictionary(u => u.Element(SitemapNs + "loc")!.Value, u => u.Element(SitemapNs + "lastmod")?.Value);
        Assert.Equal("2030-01-02T03:04:05Z", urls[$"http://localhost/p/{open.Slug}"]);
        Assert.True(urls.ContainsKey($"http://localhost/p/{closed.Slug}"));
        Assert.DoesNotContain($"http://localhost/p/{draft.Slug}", urls.Keys);
        Assert.Contains("http://localhost/", urls.Keys);
    }

    [Fact]
    public async Task RobotsTxt_PointsToTheSitemapAndKeepsPrivatePagesOut()
    {
        using var client = App.CreateVisitor().Client;

        var robots = await client.GetStringAsync(new Uri("/robots.txt", UriKind.Relative));

        var lines = robots.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("User-agent: *", lines);
        Assert.Contains("Disallow: /dashboard", lines);
        Assert.Contains("Disallow: /d/", lines);
        Assert.Contains("Sitemap: http://localhost/sitemap.xml", lines);
        Assert.DoesNotContain("Disallow: /", lines);
    }

    [Fact]
    public async Task PetitionPage_HasJsonLdArticleWithTheCount()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Stop the </script> closure").StartedBy("Ada").WithSignatureCount(321));

        var page = await App.CreateVisitor().GetAsync($"/p/{petition.Slug}");

        var script = page.One("script[type='application/ld+json']");
        Assert.DoesNotContain("</script>", script.InnerHtml, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(script.TextContent);
        var root = json.RootElement;
        Assert.Equal("Article", root.GetProperty("@type").GetString());
        Assert.Equal("Stop the </script> closure", root.GetProperty("name").GetString());
        Assert.Equal($"http://localhost/p/{petition.Slug}", root.GetProperty("url").GetString());
        Assert.Equal("Ada", root.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(321, root.GetProperty("interactionStatistic").GetProperty("userInteractionCount").GetInt32());
    }

    [Fact]
    public async Task Dashboard_GivesTheIframeAndBadgeSnippets()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder());
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Contains($"<iframe src=\"http://localhost/p/{petition.Slug}/embed\"", page.One("textarea#embed-snippet").TextContent, StringComparison.Ordinal);
        Assert.Contains($"<img src=\"http://localhost/p/{petition.Slug}/badge.svg\"", page.One("textarea#badge-snippet").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find($".dashboard-image a[href='/dashboard/p/{petition.Slug}/image']"));
    }

    [Fact]
    public async Task Feeds_LinkInTheLanguageOfTheirUrl()
    {
        var petition = await App.Services.OwnedPetitionAsync(null, new PetitionBuilder().WithTitle("Light the canal path"), p => p.PublishedAt = DateTimeOffset.UtcNow.AddSeconds(1));
        await App.WithDbAsync(async db =>
        {
            db.PetitionUpdates.Add(new PetitionUpdate { PetitionId = petition.Id, Title = "News", Body = "News.", BodyHtml = "<p>News.</p>", PostedAt = DateTimeOffset.UtcNow.AddDays(-1) });
            await db.SaveChangesAsync();
        });

        var persian = await FeedAsync("/fa/petitions.atom");
        var english = await FeedAsync("/petitions.atom");
        var updates = await FeedAsync($"/fa/p/{petition.Slug}/updates.atom");

        string Href(XElement e, string rel) => e.Elements(Atom + "link").Single(l => (l.Attribute("rel")?.Value ?? "alternate") == rel).Attribute("href")!.Value;
        XElement Entry(XDocument feed) => feed.Root!.Elements(Atom + "entry").Single(e => e.Element(Atom + "title")!.Value == "Light the canal path");
        Assert.Equal("http://localhost/fa/petitions.atom", Href(persian.Root!, "self"));
        Assert.Equal("http://localhost/fa/petitions", Href(persian.Root!, "alternate"));
        Assert.Equal($"http://localhost/fa/p/{petition.Slug}", Href(Entry(persian), "alternate"));
        Assert.Equal($"http://localhost/p/{petition.Slug}", Href(Entry(english), "alternate"));
        Assert.Equal($"http://localhost/fa/p/{petition.Slug}", Href(updates.Root!.Elements(Atom + "entry").Single(), "alternate"));
        Assert.Equal($"http://localhost/fa/p/{petition.Slug}/updates.atom", Href(updates.Root!, "self"));
    }

    private async Task<XDocument> FeedAsync(string url)
    {
        using var client = App.CreateVisitor().Client;
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Titles(XDocument feed) =>
        feed.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
}
