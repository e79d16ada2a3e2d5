using System.Net;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Petitions;

/// <summary>The reference page (tests/Petitions.Tests/Reference/closed-petition.txt, a copy of shared/reference) rebuilt from the sample data.</summary>
public sealed class SampleDataTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string DeliveredToHeading = "This petition was delivered to:";

    [Fact]
    public async Task SampleData_ReferencePetition_ShowsEveryElementOfTheReferencePage()
    {
        var reference = ReferencePage.Load();
        await SampleData.SeedAsync(App.Services);
        using var browser = App.CreateBrowser();

        // The sample supporters are confirmed but not yet counted: the page shows them once the counter has run.
        await browser.WaitForShownCountAsync(SampleData.ReferenceSlug, 2);
        var page = await browser.GetAsync($"/p/{SampleData.ReferenceSlug}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(reference.Banner, page.Text(".status-closed"));
        Assert.Equal(reference.Title, page.Text("h1"));
        var body = page.Text(".petition-body");
        // The seed's literal "(Read More)" is where our fold begins: the page shows one "Read more", not two.
        Assert.All(reference.BodyParagraphs, paragraph => Assert.Contains(paragraph.Replace(" (Read More)", "", StringComparison.Ordinal), body, StringComparison.Ordinal));
        Assert.DoesNotContain("(Read More)", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Read more", page.Text(".petition-body details.read-more > summary"));
        Assert.EndsWith("refused to back down from their position.", HtmlPage.Normalize(page.All(".petition-body > p")[^1].TextContent), StringComparison.Ordinal);
        Assert.Equal("A crime against humanity- time to bring the culprits to justice", HtmlPage.Normalize(page.All(".petition-body details.read-more h2")[0].TextContent));
        Assert.Equal(DeliveredToHeading, page.Text(".delivered-to h2"));
        Assert.Equal(reference.DeliveredTo, page.All(".delivered-to .recipient-name").Select(r => r.TextContent.Trim()));
        Assert.Equal(reference.StarterLine, page.Text(".starter-line"));
        Assert.Null(page.Find("form#sign"));
    }

    [Fact]
    public async Task SampleData_OpenPetitions_AreOpenWithVariedCounts()
    {
        await SampleData.SeedAsync(App.Services);
        using var browser = App.CreateBrowser();

        var counts = new List<int>();
        foreach (var slug in new[] { "safe-cycle-lanes-on-mill-road", "keep-the-riverside-library-open", "free-water-refill-stations-in-parks", "fair-rent-for-students" })
        {
            var page = await browser.GetAsync($"/p/{slug}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.NotNull(page.Find("form#sign"));
            counts.Add(await Eventually.ValueAsync(() => browser.ShownCountAsync(slug), count => count > 0));
        }

        Assert.DoesNotContain(0, counts);
        Assert.Equal(counts.Count, counts.Distinct().Count());
    }

    private sealed record ReferencePage(string Banner, string Title, IReadOnlyList<string> BodyParagraphs, IReadOnlyList<string> DeliveredTo, string StarterLine)
    {
        public static ReferencePage Load()
        {
            var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "closed-petition.txt"))
                .Select(HtmlPage.Normalize)
                .Where(l => l.Length > 0)
                .ToList();
            var deliveredAt = lines.IndexOf(DeliveredToHeading);
            Assert.True(deliveredAt > 2, "The reference file has no delivered-to heading");
            var recipients = lines.Skip(deliveredAt + 1).TakeWhile(l => l.StartsWith('•')).Select(l => l.TrimStart('•', ' ')).ToList();
            return new ReferencePage(
                lines[0],
                lines[1],
                lines.Skip(2).Take(deliveredAt - 2).ToList(),
                recipients,
                lines[deliveredAt + 1 + recipients.Count]);
        }
    }
}
