using System.Net;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Translations;

/// <summary>A signer on /fa/p/… of a translated petition meets its Persian title on every step: check your email, the email, thank you.</summary>
public sealed class TranslatedSigningTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task SignerOnThePersianPage_SeesTheTranslatedTitle_OnEveryStep()
    {
        var petition = await new PetitionBuilder().WithTitle("Fix the potholes on Elm Street").CreateAsync(App.Services);
        await TranslationSteps.AddTranslationAsync(App.Services, petition.Id, "fa", TranslationSteps.PersianTitle, TranslationSteps.PersianBody);
        var email = UniqueEmail("fa");
        using var browser = App.CreateBrowser();
        var page = await browser.GetAsync($"/fa/p/{petition.Slug}");

        var signed = await browser.SubmitAsync(page.Form("form#sign"), new SignFormBuilder().WithEmail(email).Build());

        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var checkEmail = await browser.GetAsync(signed.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, checkEmail.Status);
        Assert.Equal("fa", checkEmail.One("html").GetAttribute("lang"));
        Assert.Equal(TranslationSteps.PersianTitle, checkEmail.Text($"main .lead a[href='/fa/p/{petition.Slug}']"));

        var confirmation = await MailDev.WaitForEmailAsync(email);
        Assert.Contains(TranslationSteps.PersianTitle, confirmation.Subject, StringComparison.Ordinal);
        Assert.Contains(TranslationSteps.PersianTitle, confirmation.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fix the potholes", confirmation.Text, StringComparison.Ordinal);

        var thanks = await browser.GetAsync(new Uri(confirmation.SingleLink("/fa/s/confirm/")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Equal("سپاس که امضا کردید", thanks.Text("h1"));
        Assert.Equal(TranslationSteps.PersianTitle, thanks.Text($"main .lead a[href='/fa/p/{petition.Slug}']"));
        Assert.DoesNotContain("Fix the potholes", thanks.Text("main"), StringComparison.Ordinal);

        // The link opened again finds the signature confirmed, and still names the petition in Persian.
        var again = await browser.GetAsync(new Uri(confirmation.SingleLink("/fa/s/confirm/")).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotEqual(thanks.Text("h1"), again.Text("h1"));
        Assert.Equal(TranslationSteps.PersianTitle, again.Text($"main .lead a[href='/fa/p/{petition.Slug}']"));
        Assert.DoesNotContain("Fix the potholes", again.Text("main"), StringComparison.Ordinal);
    }
}
