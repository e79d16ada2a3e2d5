using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Reach;

/// <summary>The ways a petition travels beyond its page: the widget, the badge, feeds and what search engines read.</summary>
public sealed class ReachController(ReachQueries queries, IOptions<SiteOptions> site, SiteLinks links, Localization.Texts t) : Controller
{
    public const string FeedPolicy = "reach-feed";

    // A feed's links open in the language of the feed's own URL (/fa/petitions.atom links to /fa/p/…); ids stay unprefixed.
    private string LinkBase => links.In(Localization.LanguagePrefix.Language(HttpContext));

    [HttpGet("/p/{slug}/embed")]
    [OutputCache(PolicyName = PetitionsController.PagePolicy)]
    [AllowFraming]
    public async Task<IActionResult> Embed(string slug, CancellationToken cancellationToken)
    {
        var widget = await queries.WidgetAsync(slug, cancellationToken);
        if (widget is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "public, max-age=60";
        return View(widget);
    }

    [HttpGet("/p/{slug}/badge.svg")]
    [OutputCache(PolicyName = PetitionsController.PagePolicy)]
    public async Task<IActionResult> Badge(string slug, CancellationToken cancellationToken)
    {
        var widget = await queries.WidgetAsync(slug, cancellationToken);
        if (widget is null)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "public, max-age=300";
        return Content(CountBadge.Svg(widget.Count), "image/svg+xml; charset=utf-8", Encoding.UTF8);
    }

    [HttpGet("/petitions.atom")]
    [OutputCache(PolicyName = FeedPolicy)]
    public async Task<IActionResult> NewPetitions(string? category, CancellationToken cancellationToken)
    {
        category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        var petitions = await queries.NewPetitionsAsync(category, cancellationToken);
        var self = LinkBase + "/petitions.atom" + (category is null ? "" : "?category=" + Uri.EscapeDataString(category));
        var feed = new SyndicationFeed(
            category is null ? t["New petitions on {0}", site.Value.Name] : t["New petitions in {0} on {1}", t[category], site.Value.Name],
            t["Petitions just published"], new Uri(LinkBase + "/petitions"), self,
            petitions.Count == 0 ? DateTimeOffset.UnixEpoch : petitions.Max(p => p.EditedAt ?? p.PublishedAt));
        feed.Links.Add(new SyndicationLink(new Uri(self), "self", null, "application/atom+xml", 0));
        feed.Items = petitions.Select(p =>
        {
            var url = links.Petition(p.Slug);
            var item = new SyndicationItem(p.Title, PetitionText.Excerpt(p.Body, 400), new Uri(LinkBase + SiteLinks.PetitionPath(p.Slug)), url, p.EditedAt ?? p.PublishedAt)
            {
                PublishDate = p.PublishedAt,
            };
            item.Authors.Add(new SyndicationPerson { Name = p.StarterName });
            item.Categories.Add(new SyndicationCategory(p.Category));
            return item;
        }).ToList();
        return Atom(feed);
    }

    [HttpGet("/p/{slug}/updates.atom")]
    [OutputCache(PolicyName = FeedPolicy)]
    public async Task<IActionResult> Updates(string slug, CancellationToken cancellationToken)
    {
        var petition = await queries.PublicPetitionAsync(slug, cancellationToken);
        if (petition is null)
        {
            return NotFound();
        }

        var updates = await queries.UpdatesAsync(petition.Id, cancellationToken);
        var id = links.Petition(petition.Slug);
        var page = LinkBase + SiteLinks.PetitionPath(petition.Slug);
        var self = page + "/updates.atom";
        var feed = new SyndicationFeed(t["Updates: {0}", petition.Title], t["News from the petition “{0}”", petition.Title], new Uri(page), self,
            updates.Count == 0 ? petition.PublishedAt ?? petition.CreatedAt : updates.Max(u => u.PostedAt));
        feed.Links.Add(new SyndicationLink(new Uri(self), "self", null, "application/atom+xml", 0));
        feed.Authors.Add(new SyndicationPerson { Name = petition.StarterName });
        feed.Items = updates.Select(u =>
        {
            var item = new SyndicationItem
            {
                Id = $"{id}#update-{u.Id}",
                Title = new TextSyndicationContent(u.Title),
                // Already rendered from Markdown and sanitized, as on the page.
                Content = new TextSyndicationContent(u.BodyHtml, TextSyndicationContentKind.Html),
                LastUpdatedTime = u.PostedAt,
                PublishDate = u.PostedAt,
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(page)));
            return item;
        }).ToList();
        return Atom(feed);
    }

    [HttpGet("/robots.txt")]
    [OutputCache(PolicyName = FeedPolicy)]
    public IActionResult Robots()
    {
        // Private and one-time pages: links from emails, the organizer's tools, account forms.
        var text = $"""
            User-agent: *
            Disallow: /dashboard
            Disallow: /account
            Disallow: /start
            Disallow: /d/
            Disallow: /u/
            Disallow: /s/
            Disallow: /email/
            Disallow: /p/*/sign
            Disallow: /p/*/check-your-email

            Sitemap: {links.Origin}/sitemap.xml

            """;
        Response.Headers.CacheControl = "public, max-age=3600";
        return Content(text.Replace("\r\n", "\n", StringComparison.Ordinal), "text/plain; charset=utf-8", Encoding.UTF8);
    }

    [HttpGet("/sitemap.xml")]
    [OutputCache(PolicyName = FeedPolicy)]
    public async Task<IActionResult> Sitemap(CancellationToken cancellationToken)
    {
        const string ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        using var buffer = new MemoryStream();
        await using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) }))
        {
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync(null, "urlset", ns);
            foreach (var path in new[] { "/", "/petitions" })
            {
                await WriteUrlAsync(xml, links.Origin + path, null);
            }

            await foreach (var entry in queries.SitemapAsync(cancellationToken))
            {
                await WriteUrlAsync(xml, links.Petition(entry.Slug), entry.LastModified);
            }

            await xml.WriteEndElementAsync();
            await xml.WriteEndDocumentAsync();
        }

        Response.Headers.CacheControl = "public, max-age=300";
        return File(buffer.ToArray(), "application/xml; charset=utf-8");

        static async Task WriteUrlAsync(XmlWriter xml, string loc, DateTimeOffset? lastModified)
        {
            await xml.WriteStartElementAsync(null, "url", ns);
            await xml.WriteElementStringAsync(null, "loc", ns, loc);
            if (lastModified is { } at)
            {
                await xml.WriteElementStringAsync(null, "lastmod", ns, at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            }

            await xml.WriteEndElementAsync();
        }
    }

    private FileContentResult Atom(SyndicationFeed feed)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(xml);
        }

        Response.Headers.CacheControl = "public, max-age=60";
        return File(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }
}
