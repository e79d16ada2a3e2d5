using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Signing;

/// <summary>Each server-side rule: 400, the GOV.UK error pattern, every input kept, and nothing written.</summary>
public sealed class SigningValidationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public Task Post_MissingName_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithFullName("   "), "FullName", "Enter your full name");

    [Fact]
    public Task Post_NameOver100Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithFullName(new string('n', 101)), "FullName", "Full name must be 100 characters or fewer");

    [Fact]
    public Task Post_NameOf100Characters_IsAccepted() =>
        AssertAcceptedAsync(new SignFormBuilder().WithFullName(new string('n', 100)));

    [Theory]
    [InlineData("Buy pills at https://spam.example")]
    [InlineData("Visit www.cheap-watches.test")]
    [InlineData("Ada cheapwatches.com")]
    public Task Post_NameWithUrl_ShowsErrorAndSavesNothing(string name) =>
        AssertRejectedAsync(new SignFormBuilder().WithFullName(name), "FullName", "Full name must not contain a web address");

    [Fact]
    public Task Post_MissingEmail_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithEmail(""), "Email", "Enter your email address");

    [Theory]
    [InlineData("ada")]
    [InlineData("ada@example")]
    [InlineData("ada @example.test")]
    [InlineData("ada@@example.test")]
    [InlineData("<ada@example.test>")]
    public Task Post_MalformedEmail_ShowsErrorAndSavesNothing(string email) =>
        AssertRejectedAsync(new SignFormBuilder().WithEmail(email), "Email", "Enter an email address in the correct format, like name@example.com");

    [Fact]
    public Task Post_EmailOver254Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithEmail(new string('a', 243) + "@example.test"), "Email", "Email address must be 254 characters or fewer");

    [Fact]
    public Task Post_MissingCountry_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithCountry(""), "Country", "Select your country");

    [Theory]
    [InlineData("ZZ")]
    [InlineData("gb")]
    [InlineData("United Kingdom")]
    public Task Post_CountryNotIso_ShowsErrorAndSavesNothing(string country) =>
        AssertRejectedAsync(new SignFormBuilder().WithCountry(country), "Country", "Select your country from the list");

    [Fact]
    public Task Post_MissingPostcodeOrCity_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithPostcodeOrCity(""), "PostcodeOrCity", "Enter your postcode or city");

    [Fact]
    public Task Post_ReasonOver1000Characters_ShowsErrorAndSavesNothing() =>
        AssertRejectedAsync(new SignFormBuilder().WithReason(new string('r', 1001)), "Reason", "Reason for signing must be 1,000 characters or fewer");

    [Fact]
    public Task Post_ReasonOf1000Characters_IsAccepted() =>
        AssertAcceptedAsync(new SignFormBuilder().WithReason(new string('r', 1000)));

    [Fact]
    public async Task Post_CorrectedAfterError_ResubmitsTheReRenderedFormAndSigns()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var email = UniqueEmail("corrected");

        var rejected = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(""));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);

        // The re-rendered form posts again as the first one did (no token for an anonymous visitor: their browser's
        // Origin is the check).
        var form = rejected.Form("form#sign");
        var fixedUp = await browser.SubmitAsync(form, [new("Form.Email", email)]);

        Assert.Equal(HttpStatusCode.Redirect, fixedUp.Status);
        Assert.Equal($"/p/{petition.Slug}/check-your-email", fixedUp.Location?.OriginalString);
        Assert.Equal(email, await App.WithDbAsync(db => db.Signatures.Select(s => s.Email).SingleAsync()));
    }

    [Fact]
    public async Task Post_EveryFieldMissing_ListsEveryErrorInTheSummary()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var form = new SignFormBuilder().WithFullName("").WithEmail("").WithCountry("").WithPostcodeOrCity("");

        var page = await browser.SignAsync(petition.Slug, form);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Equal(
            ["#Form_FullName", "#Form_Email", "#Form_Country", "#Form_PostcodeOrCity"],
            page.All(".error-summary a").Select(a => a.GetAttribute("href")));
        await AssertNothingSavedAsync();
    }

    private async Task AssertRejectedAsync(SignFormBuilder form, string field, string message)
    {
        var petition = await new PetitionBuilder().WithTitle("Plant trees on Station Road").CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        if (string.IsNullOrEmpty(form.Value("Reason")))
        {
            form.WithReason("Trees cool the street.");
        }

        form.EmailUpdates().ShareEmailWithOrganizer();

        var page = await browser.SignAsync(petition.Slug, form);

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.StartsWith("Error: Plant trees on Station Road", page.Title, StringComparison.Ordinal);

        var id = $"Form_{field}";
        var summaryLinks = page.All(".error-summary a");
        Assert.Equal([$"#{id}"], summaryLinks.Select(a => a.GetAttribute("href")));
        Assert.Equal(message, summaryLinks[0].TextContent.Trim());
        Assert.NotNull(page.Find($"#{id}"));
        Assert.Equal($"Error: {message}", page.Text($"#{id}-error"));
        Assert.Contains($"{id}-error", page.One($"#{id}").GetAttribute("aria-describedby") ?? "", StringComparison.Ordinal);

        AssertInputsKept(page, form);
        Assert.NotNull(page.Find("form#sign"));
        await AssertNothingSavedAsync();
    }

    private static void AssertInputsKept(HtmlPage page, SignFormBuilder form)
    {
        // Whitespace-only input counts as empty, so it comes back empty.
        var posted = form.Build().GroupBy(f => f.Key).ToDictionary(g => g.Key, g => string.IsNullOrWhiteSpace(g.First().Value) ? "" : g.First().Value);
        Assert.NotEqual("", posted["Form.Reason"]);
        var sign = page.Form("form#sign");
        Assert.Equal(posted["Form.FullName"], ((IHtmlInputElement)sign.QuerySelector("#Form_FullName")!).Value);
        Assert.Equal(posted["Form.Email"], ((IHtmlInputElement)sign.QuerySelector("#Form_Email")!).Value);
        Assert.Equal(posted["Form.PostcodeOrCity"], ((IHtmlInputElement)sign.QuerySelector("#Form_PostcodeOrCity")!).Value);
        Assert.Equal(posted["Form.Reason"], ((IHtmlTextAreaElement)sign.QuerySelector("#Form_Reason")!).Value);
        var country = (IHtmlSelectElement)sign.QuerySelector("#Form_Country")!;
        if (country.Options.Any(o => o.Value == posted["Form.Country"]))
        {
            var selected = country.Options.FirstOrDefault(o => o.IsSelected) ?? country.Options[0];
            Assert.Equal(posted["Form.Country"], selected.Value);
        }

        Assert.True(((IHtmlInputElement)sign.QuerySelector("#Form_ShowPublicly")!).IsChecked);
        Assert.True(((IHtmlInputElement)sign.QuerySelector("#Form_EmailUpdates")!).IsChecked);
        Assert.True(((IHtmlInputElement)sign.QuerySelector("#Form_ShareEmailWithOrganizer")!).IsChecked);
    }

    private async Task AssertAcceptedAsync(SignFormBuilder form)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.SignAsync(petition.Slug, form);

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    private async Task AssertNothingSavedAsync()
    {
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }
}
