using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Polish;

/// <summary>Issue 15: the compact sign box, the thank-you page, and text that looks empty or cannot be delivered.</summary>
public sealed class SignBoxAndValidationTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task SignBox_ShowNameIsNotPreTicked_AndTheOptionalPartsFoldWithoutScript()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync($"/p/{petition.Slug}");

        var showName = page.One("form#sign input[type=checkbox][name='Form.ShowPublicly']");
        Assert.False(showName.HasAttribute("checked"));
        Assert.Equal("Show my name and reason on this petition", page.Text("label[for=Form_ShowPublicly]"));
        var options = page.One("form#sign details.sign-options");
        Assert.False(options.HasAttribute("open"));
        Assert.Equal("Add a reason and email choices (optional)", HtmlPage.Normalize(options.QuerySelector("summary")!.TextContent));
        Assert.NotNull(options.QuerySelector("#Form_Reason"));
        Assert.NotNull(options.QuerySelector("#Form_EmailUpdates"));
        Assert.NotNull(options.QuerySelector("#Form_ShareEmailWithOrganizer"));
        // The required fields and the button stay outside the fold.
        Assert.Null(options.QuerySelector("#Form_FullName, #Form_Email, #Form_Country, #Form_PostcodeOrCity, button"));

        // Sent as rendered, with only the required fields filled: the supporter is not named.
        var email = UniqueEmail("unnamed");
        var sent = await browser.SubmitAsync(page.Form("form#sign"),
            [new("Form.FullName", "Nadia Unnamed"), new("Form.Email", email), new("Form.Country", "FR"), new("Form.PostcodeOrCity", "Lyon")]);
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == petition.Id));
        Assert.False(signature.ShowPublicly);
    }

    [Fact]
    public async Task SignBox_RefusedWithAReason_OpensTheFoldAgainWithTheReasonKept()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var refused = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail("").WithReason("Our bus stop has no shelter."));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.True(refused.One("details.sign-options").HasAttribute("open"));
        Assert.Equal("Our bus stop has no shelter.", refused.One("#Form_Reason").TextContent.Trim());
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B")]
    [InlineData("\u200D\u2060\uFEFF")]
    [InlineData(" \u00AD \u200E\u202E ")]
    [InlineData("\u3164")]
    public async Task Sign_NameOfOnlyInvisibleCharacters_IsRefusedAsEmptyAndNothingIsSaved(string name)
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var refused = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName(name));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Enter your full name", refused.Text("#Form_FullName-error"), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Sign_NameIsNormalizedToNfcAndInvisibleCharactersRemoved_JoinersInsideWordsKept()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        // "Zoe" + combining diaeresis (NFD) with a zero-width space; a Persian name whose ZWNJ belongs to the spelling.
        var first = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Zoe\u0308\u200B Martin").WithPostcodeOrCity("\u200BParis\u2060"));
        var second = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("\u200Cمی\u200Cخواهم\u200C"));

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        var names = await App.WithDbAsync(db => db.Signatures.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.FullName, s.PostcodeOrCity }).ToListAsync());
        Assert.Equal("Zo\u00EB Martin", names[0].FullName);
        Assert.Equal("Paris", names[0].PostcodeOrCity);
        Assert.Equal("می\u200Cخواهم", names[1].FullName);
    }

    [Fact]
    public async Task Sign_NonAsciiLocalPart_IsRefusedWithAClearMessage_AndNothingIsSentOrSaved()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var refused = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail("مریم@example.com"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("before the @ must use only the letters a to z", refused.Text("#Form_Email-error"), StringComparison.Ordinal);
        Assert.Equal("مریم@example.com", refused.One("#Form_Email").GetAttribute("value"));
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task Register_NonAsciiLocalPart_IsRefusedWithTheSameMessage()
    {
        using var browser = App.CreateBrowser();
        var page = await browser.GetAsync("/account/register");

        var refused = await browser.SubmitAsync(page.Form("form[action='/account/register']"),
            [new("DisplayName", "Maryam"), new("Email", "مریم@example.com"), new("Password", "a long enough password"), new("ConfirmPassword", "a long enough password")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("before the @ must use only the letters a to z", refused.Text(".error-summary"), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "مریم@example.com")));
    }

    [Fact]
    public async Task ThankYouPage_ShowsTheCountWithThisSignatureAndTheShareButtons()
    {
        var petition = await new PetitionBuilder().WithGoal(100).CreateAsync(App.Services);
        await Organize.Supporters.AddConfirmedAsync(App.Services, petition.Id, 41);
        using var browser = App.CreateBrowser();
        Assert.Equal(41, await browser.WaitForShownCountAsync(petition.Slug, 41));
        var form = new SignFormBuilder();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignAsync(petition.Slug, form)).Status);
        var email = await MailDev.WaitForEmailAsync(form.Email!);

        var thanks = await browser.GetAsync(new Uri(email.SingleLink("/s/confirm/")).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Equal("42 have signed. Let's get to 100!", thanks.Text(".thanks-count .count-line"));
        Assert.Equal("42", thanks.One(".thanks-count [role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.Equal(["Email", "WhatsApp", "X", "Facebook"], thanks.All(".share-links a").Select(a => a.TextContent.Trim()));
        // Count and share come before anything else on the page.
        var html = thanks.Html;
        Assert.True(html.IndexOf("thanks-count", StringComparison.Ordinal) < html.IndexOf("share-links", StringComparison.Ordinal));
        Assert.True(html.IndexOf("share-links", StringComparison.Ordinal) < html.IndexOf("Back to the petition", StringComparison.Ordinal));
    }
}
