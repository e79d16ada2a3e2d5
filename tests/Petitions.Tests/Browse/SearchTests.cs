using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Features.Browse;

namespace Petitions.Tests.Browse;

public sealed class SearchTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Search_TitleMatch_RanksAboveBodyOnlyMatch()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Fix the library roof").WithBody("The roof leaks onto the otters exhibit every winter.").WithSignatures(5000),
            new ListedPetitionBuilder().Titled("Protect the river otters").WithBody("Otters came back to the river last year.").WithSignatures(1),
            new ListedPetitionBuilder().Titled("Nothing relevant").WithBody("Cycle lanes on Mill Road."));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=otters");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["Protect the river otters", "Fix the library roof"], Titles(page));
    }

    [Fact]
    public async Task Search_MatchesTitleAndBodyAcrossStatusesButNeverDrafts()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Open about badgers").WithSignatures(3),
            new ListedPetitionBuilder().Titled("Closed one").WithBody("Badgers need a tunnel under the bypass.").Closed().WithSignatures(2),
            new ListedPetitionBuilder().Titled("Won one").WithBody("Badger crossings saved.").Victory().WithSignatures(1),
            new ListedPetitionBuilder().Titled("Draft about badgers").Draft());
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=badger");

        Assert.Equal(["Open about badgers", "Closed one", "Won one"], Titles(page));
        Assert.Equal(["Open", "Closed", "Victory"], page.All("li.search-result .status-tag").Select(b => HtmlPage.Normalize(b.TextContent)));
        Assert.DoesNotContain("Draft about badgers", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_WebSearchSyntax_SupportsPhrasesAndExclusions()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            new ListedPetitionBuilder().Titled("Mill Road cycle lanes"),
            new ListedPetitionBuilder().Titled("Road to the mill needs repair"),
            new ListedPetitionBuilder().Titled("Mill Road trees"));
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=%22mill+road%22+-cycle");

        Assert.Equal(["Mill Road trees"], Titles(page));
    }

    [Fact]
    public async Task Search_Result_HighlightsMatchesInTitleAndSnippet()
    {
        var petition = await new ListedPetitionBuilder()
            .Titled("Save the hedgehogs")
            .StartedBy("Garden Friends")
            .WithSignatures(1234)
            .WithBody("Every autumn **hedgehogs** are hurt by strimmers. Please check the long grass before cutting it.")
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=hedgehog");

        var result = page.One("li.search-result");
        Assert.Equal($"/p/{petition.Slug}", result.QuerySelector("h2 a")!.GetAttribute("href"));
        Assert.Equal(["hedgehogs"], result.QuerySelectorAll("h2 mark").Select(m => m.TextContent));
        Assert.Equal(["hedgehogs"], result.QuerySelectorAll(".search-snippet mark").Select(m => m.TextContent));
        Assert.StartsWith("Every autumn hedgehogs are hurt by strimmers.", HtmlPage.Normalize(result.QuerySelector(".search-snippet")!.TextContent), StringComparison.Ordinal);
        Assert.Equal("Garden Friends", HtmlPage.Normalize(result.QuerySelector(".search-starter")!.TextContent));
        Assert.Equal($"{1234:N0} supporters", HtmlPage.Normalize(result.QuerySelector(".search-count")!.TextContent));
    }

    [Fact]
    public async Task Search_HtmlInTitleAndBody_ComesBackEncoded()
    {
        await new ListedPetitionBuilder()
            .Titled("Newts <img src=x onerror=alert(1)> & <b>ponds</b>")
            .WithBody("Newts <script>alert('body')</script> need ponds & 1 < 2 > 0 \"quoted\" <i onclick=\"x()\">newts</i> \uE000newts\uE001 </mark>")
            .CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=newts");

        var result = page.One("li.search-result");
        Assert.Empty(page.All("main script, main img, main b, main i, main [onerror], main [onclick]"));
        // Only <mark> elements come from us; everything else is text.
        Assert.All(result.QuerySelectorAll("h2 a *, .search-snippet *"), e => Assert.Equal("MARK", e.TagName));
        Assert.Equal("Newts <img src=x onerror=alert(1)> & <b>ponds</b>", result.QuerySelector("h2 a")!.TextContent);
        var snippet = HtmlPage.Normalize(result.QuerySelector(".search-snippet")!.TextContent);
        Assert.Contains("& 1 < 2 > 0 \"quoted\"", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("\uE000", page.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_EncodesTextAndTurnsOnlyMarkersIntoMarks()
    {
        var html = SearchQuery.ToHtml("<script>alert(\"x\")</script> & \uE000otters\uE001 \uE001 \uE000open");

        Assert.Equal("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>otters</mark>  <mark>open</mark>", html);
    }

    [Fact]
    public async Task Search_EmptyQuery_ShowsTheFormAndAMessage()
    {
        await new ListedPetitionBuilder().Titled("Anything").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=++");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.StartsWith("Search petitions", page.Title, StringComparison.Ordinal);
        Assert.Equal("Search petitions", page.Text("h1"));
        Assert.Contains("Enter a word or phrase", page.Text(".search-message"), StringComparison.Ordinal);
        Assert.Empty(page.All("li.search-result"));
        var form = page.Form("form.search-form");
        Assert.Equal("get", form.Method);
        Assert.Equal("/search", form.GetAttribute("action"));
        Assert.NotNull(page.Find("label[for=search-q]"));
        Assert.Equal("q", page.One("#search-q").GetAttribute("name"));
        Assert.False(string.IsNullOrWhiteSpace(page.Meta("description")));
    }

    [Fact]
    public async Task Search_NoMatches_SaysSoAndKeepsTheQuery()
    {
        await new ListedPetitionBuilder().Titled("Anything").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=zeppelins");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("No petitions match “zeppelins”", page.Text(".search-message"), StringComparison.Ordinal);
        Assert.Equal("zeppelins", page.One("#search-q").GetAttribute("value"));
    }

    [Fact]
    public async Task Search_ManyMatches_PagesWithBoundedPageNumbers()
    {
        await ListedPetitionBuilder.CreateManyAsync(App.Services,
            Enumerable.Range(0, 25).Select(i => new ListedPetitionBuilder().Titled($"Walrus {i:00}").WithSignatures(100 - i)));
        using var browser = App.CreateBrowser();

        var first = await browser.GetAsync("/search?q=walrus");
        var second = await browser.GetAsync(first.One("a[rel=next]").GetAttribute("href")!);
        var notANumber = await browser.GetAsync("/search?q=walrus&page=abc");
        var tooFar = await browser.GetAsync("/search?q=walrus&page=99999");

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"Walrus {i:00}"), Titles(first));
        Assert.Null(first.Find("a[rel=prev]"));
        Assert.Equal(Enumerable.Range(20, 5).Select(i => $"Walrus {i:00}"), Titles(second));
        Assert.Null(second.Find("a[rel=next]"));
        Assert.Equal("/search?q=walrus", second.One("a[rel=prev]").GetAttribute("href"));
        Assert.Equal(Titles(first), Titles(notANumber));
        Assert.Equal(HttpStatusCode.OK, tooFar.Status);
        Assert.Empty(Titles(tooFar));
        Assert.Contains("no more results", tooFar.Text(".search-message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%00otters")]
    [InlineData("the")]
    [InlineData("%22")]
    [InlineData("-")]
    [InlineData("otters+OR")]
    [InlineData("%27%3B+DROP+TABLE+petitions%3B--")]
    [InlineData("%EE%80%80otters%EE%80%81")]
    [InlineData("%F0%9F%A6%A6+otters")]
    [InlineData("%ED%A0%80")]
    public async Task Search_OddQueries_NeverFail(string q)
    {
        await new ListedPetitionBuilder().Titled("Otters").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=" + q);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Petitions.CountAsync()));
    }

    [Fact]
    public async Task Search_VeryLongQuery_IsShortenedNotRefused()
    {
        await new ListedPetitionBuilder().Titled("Otters").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync("/search?q=otters+" + new string('x', 5000));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(SearchQuery.MaxQueryLength, page.One("#search-q").GetAttribute("value")!.Length);
    }

    private static List<string> Titles(HtmlPage page) =>
        page.All("li.search-result h2 a").Select(a => HtmlPage.Normalize(a.TextContent)).ToList();
}
