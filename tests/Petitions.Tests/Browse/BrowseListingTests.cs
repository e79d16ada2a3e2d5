using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Browse;

public sealed class BrowseListingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Get_Default_ListsOpenPetitionsMostSignedFirstAndNoDraftsOrClosed()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Middle open").WithSignatures(50),
            new ListedPetitionBuilder().Titled("Top open").WithSignatures(900),
            new ListedPetitionBuilder().Titled("Bottom open").WithSignatures(3),
            new ListedPetitionBuilder().Titled("Secret draft").Draft().WithSignatures(5000),
            new ListedPetitionBuilder().Titled("Finished").Closed().WithSignatures(4000),
            new ListedPetitionBuilder().Titled("Won").Victory().WithSignatures(3000));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["Top open", "Middle open", "Bottom open"], Titles(page));
        Assert.DoesNotContain("Secret draft", page.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("closed", "Finished", "Closed")]
    [InlineData("victory", "Won", "Victory")]
    [InlineData("open", "Still open", "Open")]
    [InlineData("CLOSED", "Finished", "Closed")]
    public async Task Get_StatusFilter_ListsOnlyThatStatus(string status, string expectedTitle, string badge)
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Still open"),
            new ListedPetitionBuilder().Titled("Finished").Closed(),
            new ListedPetitionBuilder().Titled("Won").Victory(),
            new ListedPetitionBuilder().Titled("Secret draft").Draft());
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/petitions?status={status}");

        Assert.Equal([expectedTitle], Titles(page));
        Assert.Equal(badge, page.Text("li.browse-item .status-tag"));
        Assert.Equal(status.ToLowerInvariant(), page.One("#browse-status option[selected]").GetAttribute("value"));
    }

    [Fact]
    public async Task Get_CategoryFilter_ListsOnlyThatCategoryAndOffersEveryListedCategory()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Bus lanes").InCategory("Transport").WithSignatures(10),
            new ListedPetitionBuilder().Titled("Tram line").InCategory("Transport").WithSignatures(20),
            new ListedPetitionBuilder().Titled("School meals").InCategory("Education"),
            new ListedPetitionBuilder().Titled("Won a park").InCategory("Environment").Victory(),
            new ListedPetitionBuilder().Titled("Unpublished").InCategory("Secret plans").Draft());
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?category=Transport");

        Assert.Equal(["Tram line", "Bus lanes"], Titles(page));
        Assert.Equal("Open petitions in Transport", page.Text("h1"));
        var options = page.All("#browse-category option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["", "Education", "Environment", "Transport"], options);
        Assert.Equal("Transport", page.One("#browse-category option[selected]").GetAttribute("value"));
    }

    [Fact]
    public async Task Get_SortNewest_ListsMostRecentlyPublishedFirst()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Day 2").PublishedOnDay(2).WithSignatures(500),
            new ListedPetitionBuilder().Titled("Day 9").PublishedOnDay(9),
            new ListedPetitionBuilder().Titled("Day 5").PublishedOnDay(5).WithSignatures(900));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?sort=newest");

        Assert.Equal(["Day 9", "Day 5", "Day 2"], Titles(page));
        Assert.Equal("newest", page.One("#browse-sort option[selected]").GetAttribute("value"));
    }

    [Fact]
    public async Task Get_SortClosingSoon_ListsOpenPetitionsWithClosingDateSoonestFirst()
    {
        var petitions = await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Closes in 30 days").ClosesInDays(30),
            new ListedPetitionBuilder().Titled("No closing date").WithSignatures(1000),
            new ListedPetitionBuilder().Titled("Closes tomorrow").ClosesInDays(1),
            new ListedPetitionBuilder().Titled("Closed already").Closed().ClosesInDays(2));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?sort=closing-soon");

        Assert.Equal(["Closes tomorrow", "Closes in 30 days"], Titles(page));
        var tomorrow = petitions.Single(p => p.Title == "Closes tomorrow").ClosesAt!.Value;
        Assert.Equal(
            $"· closes on {tomorrow.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}",
            HtmlPage.Normalize(page.All("li.browse-item .browse-closes")[0].TextContent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort=newest")]
    [InlineData("sort=closing-soon")]
    [InlineData("status=closed")]
    public async Task Get_FollowingNextThenPrevious_ShowsEveryPetitionOnceAndComesBack(string query)
    {
        var closed = query.Contains("closed", StringComparison.Ordinal);
        // 47 petitions: several share a count, a date and a closing day, so the id has to break ties.
        var builders = Enumerable.Range(0, 47).Select(i =>
        {
            var b = new ListedPetitionBuilder().Titled($"Petition {i:00}").WithSignatures(i % 5 * 10).PublishedOnDay(i % 4).ClosesInDays(1 + i % 3);
            return closed ? b.Closed() : b;
        }).ToList();
        builders.Add(new ListedPetitionBuilder().Titled("A draft").Draft());
        await ListedPetitionBuilder.CreateManyAsync(App.Services, builders);
        using var browser = App.CreateBrowser();

        var pages = new List<IReadOnlyList<string>>();
        var page = await browser.GetAsync("/petitions?" + query);
        pages.Add(Titles(page));
        while (page.Find("a[rel=next]") is { } next)
        {
            Assert.True(pages.Count < 10, "Next links should end");
            page = await browser.GetAsync(next.GetAttribute("href")!);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            pages.Add(Titles(page));
        }

        var seen = pages.SelectMany(p => p).ToList();
        Assert.Equal([20, 20, 7], pages.Select(p => p.Count));
        Assert.Equal(47, seen.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 47).Select(i => $"Petition {i:00}").Order(), seen.Order());

        // Back through the Previous links: the same pages, in reverse.
        for (var i = pages.Count - 2; i >= 0; i--)
        {
            page = await browser.GetAsync(page.One("a[rel=prev]").GetAttribute("href")!);
            Assert.Equal(pages[i], Titles(page));
        }

        Assert.Null(page.Find("a[rel=prev]"));
    }

    [Fact]
    public async Task Get_Listing_EachItemShowsLinkStarterCountStatusCategoryAndExcerpt()
    {
        var petition = await new ListedPetitionBuilder()
            .Titled("Light the towpath")
            .StartedBy("Canal Walkers")
            .InCategory("Transport")
            .WithSignatures(1234)
            .WithBody("**Please** light the towpath between the locks, so walkers get home safely after dark.")
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions");

        var item = page.One("li.browse-item");
        var link = item.QuerySelector("h2 a")!;
        Assert.Equal("Light the towpath", HtmlPage.Normalize(link.TextContent));
        Assert.Equal($"/p/{petition.Slug}", link.GetAttribute("href"));
        Assert.Equal("Canal Walkers", HtmlPage.Normalize(item.QuerySelector(".browse-starter")!.TextContent));
        Assert.Equal($"{1234:N0} supporters", HtmlPage.Normalize(item.QuerySelector(".browse-count")!.TextContent));
        Assert.Equal("Open", HtmlPage.Normalize(item.QuerySelector(".status-tag")!.TextContent));
        Assert.Equal("Transport", HtmlPage.Normalize(item.QuerySelector(".browse-category")!.TextContent));
        Assert.Equal("/petitions?category=Transport", item.QuerySelector(".browse-category")!.GetAttribute("href"));
        Assert.Equal("Please light the towpath between the locks, so walkers get home safely after dark.",
            HtmlPage.Normalize(item.QuerySelector(".browse-excerpt")!.TextContent));
    }

    [Fact]
    public async Task Get_Listing_HasTitleHeadingDescriptionAndALabelledGetForm()
    {
        await new ListedPetitionBuilder().Victory().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?status=victory");

        Assert.StartsWith("Victories", page.Title, StringComparison.Ordinal);
        Assert.Equal("Victories", page.Text("h1"));
        Assert.Single(page.All("h1"));
        Assert.False(string.IsNullOrWhiteSpace(page.Meta("description")));
        Assert.Contains("Victories", page.Meta("description"), StringComparison.Ordinal);
        var form = page.Form("form.browse-filters");
        Assert.Equal("get", form.Method);
        Assert.Equal("/petitions", form.GetAttribute("action"));
        foreach (var select in form.QuerySelectorAll("select"))
        {
            Assert.NotNull(page.Find($"label[for='{select.Id}']"));
        }

        var button = Assert.Single(form.QuerySelectorAll("button"));
        Assert.Equal("Show petitions", HtmlPage.Normalize(button.TextContent));
    }

    [Fact]
    public async Task Get_FilterFormSubmitted_ShowsTheChosenList()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Open bus").InCategory("Transport"),
            new ListedPetitionBuilder().Titled("Closed bus").InCategory("Transport").Closed(),
            new ListedPetitionBuilder().Titled("Closed school").InCategory("Education").Closed());
        using var browser = App.CreateBrowser();
        var first = await browser.GetAsync("/petitions");

        var fields = HtmlPage.FormFields(first.Form("form.browse-filters"))
            .Select(f => f.Key switch
            {
                "status" => new KeyValuePair<string, string>("status", "closed"),
                "category" => new KeyValuePair<string, string>("category", "Transport"),
                _ => f,
            });
        var page = await browser.GetAsync("/petitions" + QueryString(fields));

        Assert.Equal(["Closed bus"], Titles(page));
        Assert.Equal("Closed petitions in Transport", page.Text("h1"));
    }

    [Theory]
    [InlineData("status=archived")]
    [InlineData("sort=alphabetical")]
    [InlineData("status=closed&sort=closing-soon")]
    public async Task Get_UnknownStatusOrSort_ShowsADefaultListWithANote(string query)
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Open one").WithSignatures(5),
            new ListedPetitionBuilder().Titled("Open two").WithSignatures(9),
            new ListedPetitionBuilder().Titled("Closed one").Closed());
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?" + query);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Single(page.All(".browse-note"));
        Assert.Equal(query.Contains("closed", StringComparison.Ordinal) ? ["Closed one"] : ["Open two", "Open one"], Titles(page));
    }

    [Theory]
    [InlineData("after=not-a-cursor")]
    [InlineData("before=%00%FF%FE")]
    [InlineData("after=MS5tb3N0LXNpZ25lZC41LjE&sort=newest")] // a most-signed cursor used with another sort
    [InlineData("after=MS5uZXdlc3QuOTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ&sort=newest")] // a time out of range
    [InlineData("after=MS5tb3N0LXNpZ25lZC4tNS4x")] // a negative count
    public async Task Get_BadCursor_Returns400WithAMessageAndTheFirstPageLink(string query)
    {
        await new ListedPetitionBuilder().Titled("Only one").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: ", page.Title, StringComparison.Ordinal);
        Assert.Contains("isn't valid", page.Text(".browse-problem"), StringComparison.Ordinal);
        Assert.NotNull(page.Find(".browse-problem a[href^='/petitions']"));
        Assert.Empty(page.All("li.browse-item"));
    }

    [Theory]
    [InlineData("category=" + "%00")]
    [InlineData("category=Transport%27%3B+DROP+TABLE+petitions%3B--")]
    [InlineData("status=&sort=&category=&after=&before=")]
    [InlineData("status=open&status=closed")]
    public async Task Get_OddParameters_NeverFail(string query)
    {
        await new ListedPetitionBuilder().Titled("Survivor").InCategory("Transport").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/petitions?" + query);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Petitions.CountAsync()));
    }

    private static List<string> Titles(HtmlPage page) =>
        page.All("li.browse-item h2 a").Select(a => HtmlPage.Normalize(a.TextContent)).ToList();

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> fields) =>
        Microsoft.AspNetCore.Http.QueryString.Create(fields.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value))).Value!;
}
