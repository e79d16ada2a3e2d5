using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Signing;

/// <summary>
/// A later submission for a still-pending signature replaces the earlier one entirely, so a link confirms exactly what
/// the person who received it submitted, and the email says what that is.
/// </summary>
public sealed class ResubmissionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string AttackerAddress = "203.0.113.66";

    [Fact]
    public async Task Post_StrangerSignedFirstWithVictimsEmail_VictimsLinkConfirmsOnlyTheVictimsChoices()
    {
        var petition = await new PetitionBuilder().WithTitle("Keep the library open late").CreateAsync(App.Services);
        var victimEmail = UniqueEmail("victim");
        using var attacker = App.CreateBrowser();
        var attack = await attacker.SignAsync(petition.Slug, new SignFormBuilder()
            .WithFullName("Mallory Mischief").WithEmail(victimEmail).WithCountry("FR").WithPostcodeOrCity("Lyon")
            .WithReason("Libraries are a waste of money").ShowPublicly().EmailUpdates().ShareEmailWithOrganizer());
        Assert.Equal(HttpStatusCode.Redirect, attack.Status);
        var attackersEmail = await MailDev.WaitForEmailAsync(victimEmail);
        // The attacker signed from somewhere else.
        await App.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE signatures SET ip_address = {AttackerAddress}"));

        using var victim = App.CreateBrowser();
        var own = await victim.SignAsync(petition.Slug, new SignFormBuilder()
            .WithFullName("Victoria Reading").WithEmail(victimEmail).WithCountry("GB").WithPostcodeOrCity("York")
            .WithReason("").ShowPublicly(false).EmailUpdates(false).ShareEmailWithOrganizer(false));
        Assert.Equal(HttpStatusCode.Redirect, own.Status);

        var newest = (await MailDev.WaitForEmailsAsync(victimEmail, 2)).Single(m => m.Id != attackersEmail.Id);
        var text = HtmlPage.Normalize(newest.Text!);
        Assert.Contains("Dear Victoria Reading", text, StringComparison.Ordinal);
        Assert.Contains("Name: Victoria Reading", text, StringComparison.Ordinal);
        Assert.Contains("Where: York, United Kingdom", text, StringComparison.Ordinal);
        Assert.Contains("Your name will not be shown on the petition page.", text, StringComparison.Ordinal);
        Assert.Contains("You will not get emails with updates about this petition.", text, StringComparison.Ordinal);
        Assert.Contains("Your email address will not be shared with the petition's organizer.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Mallory", newest.Text!, StringComparison.Ordinal);
        Assert.DoesNotContain("Mallory", newest.Html!, StringComparison.Ordinal);

        // The superseded email's link no longer confirms anything.
        var stale = await victim.GetAsync(attackersEmail.SingleLink("/s/confirm/"));
        Assert.Equal(HttpStatusCode.NotFound, stale.Status);
        Assert.Equal("We don't recognise this link", stale.Text("h1"));
        Assert.Equal(SignatureState.Pending, await App.WithDbAsync(db => db.Signatures.Select(s => s.State).SingleAsync()));

        var thanks = await victim.GetAsync(newest.SingleLink("/s/confirm/"));
        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Equal("Thank you for signing", thanks.Text("h1"));

        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SignatureState.Confirmed, signature.State);
        Assert.Equal("Victoria Reading", signature.FullName);
        Assert.Equal(victimEmail, signature.Email);
        Assert.Equal("GB", signature.Country);
        Assert.Equal("York", signature.PostcodeOrCity);
        Assert.Null(signature.Reason);
        Assert.False(signature.ShowPublicly);
        Assert.False(signature.EmailUpdates);
        Assert.False(signature.ShareEmailWithOrganizer);
        Assert.NotEqual(AttackerAddress, signature.IpAddress);

        // Counted, but private: nothing the attacker typed reaches the public page.
        Assert.Equal(1, await victim.WaitForShownCountAsync(petition.Slug, 1));
        var page = await victim.GetAsync($"/p/{petition.Slug}");
        Assert.Null(page.Find(".supporters"));
        Assert.DoesNotContain("Mallory", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Libraries are a waste of money", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PublicSigner_EmailListsEveryChoiceTheLinkWillConfirm()
    {
        var petition = await new PetitionBuilder().WithTitle("Keep the library open late").CreateAsync(App.Services);
        var email = UniqueEmail("public");
        using var browser = App.CreateBrowser();

        await browser.SignAsync(petition.Slug, new SignFormBuilder()
            .WithFullName("Grace O'Brien").WithEmail(email).WithCountry("IE").WithPostcodeOrCity("Cork")
            .WithReason("I study there <every> evening & weekend.").ShowPublicly().EmailUpdates().ShareEmailWithOrganizer());

        var message = await MailDev.WaitForEmailAsync(email);
        foreach (var part in new[] { HtmlPage.Normalize(message.Text!), HtmlPage.Normalize(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(message.Html!).Body!.TextContent) })
        {
            Assert.Contains("Name: Grace O'Brien", part, StringComparison.Ordinal);
            Assert.Contains("Where: Cork, Ireland", part, StringComparison.Ordinal);
            Assert.Contains("Reason: I study there <every> evening & weekend.", part, StringComparison.Ordinal);
            Assert.Contains("Your name and reason will be shown on the petition page.", part, StringComparison.Ordinal);
            Assert.Contains("You will get emails with updates about this petition.", part, StringComparison.Ordinal);
            Assert.Contains("Your email address will be shared with the petition's organizer.", part, StringComparison.Ordinal);
            Assert.Contains("Only the link in the newest email works.", part, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<every>", message.Html!, StringComparison.Ordinal);
    }
}
