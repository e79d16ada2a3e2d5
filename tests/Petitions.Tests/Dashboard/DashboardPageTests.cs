using System.Globalization;
using System.Net;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using static Petitions.Tests.Dashboard.DashboardArrange;

namespace Petitions.Tests.Dashboard;

/// <summary>The organizer's dashboard: their petitions, and one petition's numbers, charts, supporters and updates.</summary>
public sealed class DashboardPageTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Index_Organizer_ListsOwnPetitionsWithStatusCountAndActions()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var someoneElse = await new UserBuilder().CreateAsync(App.Services);
        var open = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").WithSignatureCount(1234));
        var draft = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().Draft().WithTitle("Open the playground at weekends"));
        await App.Services.OwnedPetitionAsync(someoneElse.Id, new PetitionBuilder().WithTitle("Somebody else's petition"));
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Your petitions", page.Text("h1"));
        Assert.NotNull(page.Find("main a.btn[href='/start']"));
        var items = page.All("li.dashboard-item");
        Assert.Equal([draft.Slug, open.Slug], items.Select(i => i.GetAttribute("data-slug")));

        var openItem = items[1];
        var title = openItem.QuerySelector("a.dashboard-title")!;
        Assert.Equal("Fix the potholes on Elm Street", HtmlPage.Normalize(title.TextContent));
        Assert.Equal($"/dashboard/p/{open.Slug}", title.GetAttribute("href"));
        Assert.Equal("Open", HtmlPage.Normalize(openItem.QuerySelector(".dashboard-status")!.TextContent));
        Assert.Equal("1,234", openItem.QuerySelector(".dashboard-count")!.TextContent);
        Assert.Contains("Published " + open.PublishedAt!.Value.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), HtmlPage.Normalize(openItem.TextContent), StringComparison.Ordinal);
        Assert.NotNull(openItem.QuerySelector($"a[href='/p/{open.Slug}']"));
        Assert.NotNull(openItem.QuerySelector($"a[href='/dashboard/p/{open.Slug}/edit']"));

        var draftItem = items[0];
        Assert.Equal("Draft", HtmlPage.Normalize(draftItem.QuerySelector(".dashboard-status")!.TextContent));
        Assert.Equal("0", draftItem.QuerySelector(".dashboard-count")!.TextContent);
        Assert.NotNull(draftItem.QuerySelector($"a[href='/dashboard/p/{draft.Slug}/preview']"));
        Assert.DoesNotContain("Somebody else's petition", page.Text("main"), StringComparison.Ordinal);
        Assert.Null(page.Find("nav[aria-label='Dashboard views']"));
    }

    [Fact]
    public async Task Index_NewOrganizer_ShowsEmptyStateWithStartLink()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        await App.Services.OwnedPetitionAsync(null);
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Empty(page.All("li.dashboard-item"));
        Assert.Equal("You haven't started a petition yet", page.Text(".dashboard-empty h2"));
        Assert.NotNull(page.Find(".dashboard-empty a[href='/start']"));
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard?show=all")]
    public async Task Index_Anonymous_RedirectsToLogin(string url)
    {
        using var browser = App.CreateVisitor();

        var page = await browser.GetAsync(url);

        AccountSteps.AssertRedirectsToLogin(page, url);
    }

    [Fact]
    public async Task Index_OrganizerAskingForAll_StillSeesOnlyOwnPetitions()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var mine = await App.Services.OwnedPetitionAsync(owner.Id);
        await App.Services.OwnedPetitionAsync(null);
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync("/dashboard?show=all");

        Assert.Equal("Your petitions", page.Text("h1"));
        Assert.Equal([mine.Slug], page.All("li.dashboard-item").Select(i => i.GetAttribute("data-slug")));
    }

    [Fact]
    public async Task Index_AdminAll_ListsEveryPetitionInPagesAndFiltersByStatus()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var created = new List<Petition>();
        for (var i = 0; i < 30; i++)
        {
            var builder = new PetitionBuilder().WithTitle($"Petition number {i}");
            created.Add(await App.Services.OwnedPetitionAsync(i % 2 == 0 ? owner.Id : null, i % 10 == 0 ? builder.Closed() : builder));
        }

        var newestFirst = created.OrderByDescending(p => p.Id).Select(p => p.Slug).ToList();
        using var browser = await App.LoggedInVisitorAsync(admin);

        var first = await browser.GetAsync("/dashboard?show=all");

        Assert.Equal("All petitions", first.Text("h1"));
        Assert.Equal(newestFirst.Take(25), first.All("li.dashboard-item").Select(i => i.GetAttribute("data-slug")));
        Assert.Null(first.Find("a[rel=prev]"));
        var second = await browser.GetAsync(first.One("a[rel=next]").GetAttribute("href")!);
        Assert.Equal(newestFirst.Skip(25), second.All("li.dashboard-item").Select(i => i.GetAttribute("data-slug")));
        Assert.Null(second.Find("a[rel=next]"));
        var back = await browser.GetAsync(second.One("a[rel=prev]").GetAttribute("href")!);
        Assert.Equal(newestFirst.Take(25), back.All("li.dashboard-item").Select(i => i.GetAttribute("data-slug")));

        var closed = await browser.GetAsync("/dashboard?show=all&status=closed");
        Assert.Equal(created.Where(p => p.Status == PetitionStatus.Closed).OrderByDescending(p => p.Id).Select(p => p.Slug),
            closed.All("li.dashboard-item").Select(i => i.GetAttribute("data-slug")));

        var mine = await browser.GetAsync("/dashboard");
        Assert.Equal("You haven't started a petition yet", mine.Text(".dashboard-empty h2"));
        Assert.NotNull(mine.Find("nav[aria-label='Dashboard views'] a[href='/dashboard?show=all']"));
    }

    [Fact]
    public async Task Petition_Owner_ShowsFunnelChartsCountriesSignersAndUpdates()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var published = DaysAgo(5, hours: 10);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").WithSignatureCount(1234),
            p => p.PublishedAt = published);
        var id = petition.Id;
        await App.Services.SaveAsync(
            new SignatureBuilder(id).Named("Ada Lovelace").From("GB", "Cambridge").ConfirmedAt(DaysAgo(5, 10.5)),
            new SignatureBuilder(id).Named("Grace Hopper").From("GB", "London").ConfirmedAt(DaysAgo(5, 11.25)),
            new SignatureBuilder(id).Named("Marie Curie").From("FR", "Paris").ConfirmedAt(DaysAgo(4, 9)),
            // After the first 72 hours: counted by the day only, though the day began inside them.
            new SignatureBuilder(id).Named("Alan Turing").From("GB", "Manchester").ConfirmedAt(DaysAgo(2, 11)),
            new SignatureBuilder(id).Named("Emmy Noether").From("DE", "Göttingen").Private().ConfirmedAt(DaysAgo(2, 12)),
            new SignatureBuilder(id).Named("Rosalind Franklin").From("FR", "Lyon").WithReason("Because my bike broke twice").ConfirmedAt(DaysAgo(0, 0.25)),
            new SignatureBuilder(id).Named("Still Waiting").Pending().Build(),
            new SignatureBuilder(id).Named("Also Waiting").Pending().Build());
        await App.Services.SaveAsync(
            new PetitionUpdate { PetitionId = id, Title = "We met the council", Body = "b", BodyHtml = "<p>b</p>", PostedAt = new DateTimeOffset(2026, 3, 14, 12, 0, 0, TimeSpan.Zero) },
            new PetitionUpdate { PetitionId = id, Title = "The vote is next month", Body = "b", BodyHtml = "<p>b</p>", PostedAt = new DateTimeOffset(2026, 4, 2, 12, 0, 0, TimeSpan.Zero) });
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Fix the potholes on Elm Street", page.Text("h1"));
        Assert.Equal("Open", page.Text("header .dashboard-status"));

        // The funnel.
        Assert.Equal("1,234", page.Text("[data-stat=public]"));
        Assert.Equal("6", page.Text("[data-stat=confirmed]"));
        Assert.Equal("2", page.Text("[data-stat=pending]"));
        Assert.Equal("75.0%", page.Text("[data-stat=rate]"));

        // By day: five days ago (the day it was published) to today, including the quiet days.
        var daily = Bars(page, "chart-overall", "wide");
        Assert.Equal([2, 1, 0, 2, 0, 1], daily);
        Assert.Equal(daily, Bars(page, "chart-overall", "narrow"));
        var dailyChart = page.One("svg[data-chart=chart-overall][data-layout=wide]");
        Assert.Equal("img", dailyChart.GetAttribute("role"));
        Assert.Contains("6 signatures in total", dailyChart.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains($"from {published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}", dailyChart.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.NotEmpty(dailyChart.QuerySelectorAll(".x-axis text"));
        Assert.NotEmpty(dailyChart.QuerySelectorAll(".y-axis text"));
        Assert.NotNull(dailyChart.QuerySelector("polyline.total-line"));
        var dailyTable = page.One("#chart-overall + details.chart-data table");
        Assert.Equal(["2", "1", "0", "2", "0", "1"], dailyTable.QuerySelectorAll("tbody tr td:nth-child(2)").Select(td => td.TextContent));
        Assert.Equal("6", dailyTable.QuerySelectorAll("tbody tr td:nth-child(3)")[^1].TextContent);

        // By the hour for the first 72 hours after publishing at 10:00.
        var hourly = Bars(page, "chart-hourly", "wide");
        Assert.Equal(72, hourly.Count);
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [1] = 1, [23] = 1 }, hourly.Select((count, hour) => (count, hour)).Where(b => b.count > 0).ToDictionary(b => b.hour, b => b.count));

        // Countries, largest first, with shares of the confirmed total.
        Assert.Equal(
            ["United Kingdom 3 50.0%", "France 2 33.3%", "Germany 1 16.7%"],
            page.All(".country-table tbody tr").Select(tr => HtmlPage.Normalize(tr.TextContent)));
        Assert.Equal(3, page.All("svg.country-chart[data-layout=wide] rect.bar").Count);

        // Every recent signer, newest first, private ones marked.
        var signers = page.All(".recent-signer");
        Assert.Equal(
            ["Rosalind Franklin", "Emmy Noether", "Alan Turing", "Marie Curie", "Grace Hopper", "Ada Lovelace"],
            signers.Select(s => s.QuerySelector(".signer-name")!.TextContent));
        Assert.Equal("not public", signers[1].QuerySelector(".signer-private")!.TextContent);
        Assert.Single(page.All(".recent-signer .signer-private"));
        Assert.Equal("Lyon, France", signers[0].QuerySelector(".signer-place")!.TextContent);
        Assert.Equal("“Because my bike broke twice”", HtmlPage.Normalize(signers[0].QuerySelector(".signer-reason")!.TextContent));
        Assert.Equal(DaysAgo(2).ToString("d MMMM yyyy", CultureInfo.InvariantCulture), signers[1].QuerySelector(".signer-date")!.TextContent);

        Assert.Equal(["2 April 2026 The vote is next month", "14 March 2026 We met the council"],
            page.All(".dashboard-update-list li").Select(li => HtmlPage.Normalize(li.TextContent)));
    }

    [Fact]
    public async Task Petition_PublishedHoursAgo_ShowsOnlyTheHourlyChart()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var published = DateTimeOffset.UtcNow.AddHours(-5);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, adjust: p => p.PublishedAt = published);
        var first = published.AddMinutes(30);
        var latest = published.AddHours(4).AddMinutes(50);
        await App.Services.SaveAsync(new SignatureBuilder(petition.Id).ConfirmedAt(first), new SignatureBuilder(petition.Id).ConfirmedAt(latest));
        using var browser = await App.LoggedInVisitorAsync(owner);

        var hoursBefore = HoursSince(published);
        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");
        var hoursAfter = HoursSince(published);

        Assert.Null(page.Find("svg[data-chart=chart-overall]"));
        Assert.Equal("Since publishing, per hour", page.Text(".dashboard-timeline h3"));
        var chart = page.One("svg[data-chart=chart-hourly][data-layout=wide]");
        var bars = chart.QuerySelectorAll("rect.bar");
        // One bar for each hour from publishing to the current one.
        Assert.InRange(bars.Length, hoursBefore + 1, hoursAfter + 1);
        Assert.Equal(["1", "1"], bars.Where(b => b.GetAttribute("data-count") != "0").Select(b => b.GetAttribute("data-count")));
        Assert.Equal(1, BarFor(first));
        Assert.Equal(1, BarFor(latest));

        int BarFor(DateTimeOffset at) =>
            int.Parse(bars.Single(b => b.QuerySelector("title")!.TextContent.StartsWith(at.UtcDateTime.ToString("d MMMM yyyy, HH:00", CultureInfo.InvariantCulture), StringComparison.Ordinal))
                .GetAttribute("data-count")!, CultureInfo.InvariantCulture);
    }

    private static int HoursSince(DateTimeOffset at) =>
        (int)(Hour(DateTimeOffset.UtcNow) - Hour(at)).TotalHours;

    private static DateTimeOffset Hour(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Petition_SupportersFromManyCountries_GroupsAllButTheTop15AsOther()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id);
        string[] codes = ["GB", "FR", "DE", "IT", "ES", "NL", "BE", "IE", "PT", "SE", "NO", "DK", "FI", "PL", "AT", "CH", "GR"];
        var signatures = new List<Signature>();
        for (var i = 0; i < codes.Length; i++)
        {
            // GB gets 17 supporters, FR 16… GR 1: a strict order.
            for (var n = 0; n < codes.Length - i; n++)
            {
                signatures.Add(new SignatureBuilder(petition.Id).From(codes[i], "Town").ConfirmedAt(DateTimeOffset.UtcNow.AddHours(-1)));
            }
        }

        await App.Services.SaveAsync([.. signatures]);
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        var rows = page.All(".country-table tbody tr").Select(tr => HtmlPage.Normalize(tr.TextContent)).ToList();
        Assert.Equal(16, rows.Count);
        Assert.Equal("United Kingdom 17 11.1%", rows[0]);
        Assert.Equal("Austria 3 2.0%", rows[14]);
        Assert.Equal("2 other countries 3 2.0%", rows[15]);
        Assert.Equal(16, page.All("svg.country-chart[data-layout=wide] rect.bar").Count);
    }

    [Theory]
    [InlineData(PetitionStatus.Draft, new[] { "preview", "edit", "translations", "export.csv" })]
    // Victory needs 5 signatures (this petition has none: the button shows disabled, not as a link); a closed or won
    // petition's text is locked, so it has no edit or translations link.
    [InlineData(PetitionStatus.Open, new[] { "edit", "translations", "updates/new", "deliver", "deliveries", "close", "export.csv" })]
    [InlineData(PetitionStatus.Closed, new[] { "updates/new", "deliver", "deliveries", "export.csv" })]
    [InlineData(PetitionStatus.Victory, new[] { "updates/new", "deliver", "deliveries", "export.csv" })]
    public async Task Petition_ActionLinks_FollowTheStatus(PetitionStatus status, string[] actions)
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, adjust: p =>
        {
            p.Status = status;
            p.PublishedAt = status == PetitionStatus.Draft ? null : p.PublishedAt;
        });
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var prefix = $"/dashboard/p/{petition.Slug}/";
        var links = page.All("nav.dashboard-actions a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(actions.Order(StringComparer.Ordinal), links.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).Order(StringComparer.Ordinal));
        Assert.Equal(status != PetitionStatus.Draft, links.Contains($"/p/{petition.Slug}"));
    }

    [Fact]
    public async Task Petition_AnotherOrganizer_GetsNotFound()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var other = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithTitle("Owned by someone else"));
        using var browser = await App.LoggedInVisitorAsync(other);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Owned by someone else", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Petition_Anonymous_RedirectsToLogin()
    {
        var petition = await App.Services.OwnedPetitionAsync(null);
        using var browser = App.CreateVisitor();

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        AccountSteps.AssertRedirectsToLogin(page, $"/dashboard/p/{petition.Slug}");
    }

    [Fact]
    public async Task Petition_Admin_SeesAnyonesPetition()
    {
        var admin = await UserBuilder.CreateAdminAsync(App.Services);
        var owner = await new UserBuilder().CreateAsync(App.Services);
        var petition = await App.Services.OwnedPetitionAsync(owner.Id, new PetitionBuilder().WithTitle("Owned by an organizer"));
        await App.Services.SaveAsync(new SignatureBuilder(petition.Id).Named("Ada Lovelace").ConfirmedAt(DateTimeOffset.UtcNow.AddDays(-1)));
        using var browser = await App.LoggedInVisitorAsync(admin);

        var page = await browser.GetAsync($"/dashboard/p/{petition.Slug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Owned by an organizer", page.Text("h1"));
        Assert.Equal("1", page.Text("[data-stat=confirmed]"));
        Assert.Equal("Ada Lovelace", page.Text(".signer-name"));
        Assert.NotNull(page.Find("a[href='/dashboard?show=all']"));
    }

    [Fact]
    public async Task Petition_Unknown_GetsNotFound()
    {
        var owner = await new UserBuilder().CreateAsync(App.Services);
        using var browser = await App.LoggedInVisitorAsync(owner);

        var page = await browser.GetAsync("/dashboard/p/no-such-petition");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
    }

    private static List<int> Bars(HtmlPage page, string chart, string layout) =>
        page.One($"svg[data-chart={chart}][data-layout={layout}]").QuerySelectorAll("rect.bar")
            .Select(r => int.Parse(r.GetAttribute("data-count")!, CultureInfo.InvariantCulture)).ToList();
}
