using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;

namespace Petitions.Tests.Signing;

/// <summary>The happy path: sign, get the email from the real SMTP server, follow its link, and be counted.</summary>
public sealed class SignAndConfirmTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_ValidForm_StoresPendingSignatureAndRedirectsToCheckYourEmail()
    {
        var petition = await new PetitionBuilder().WithTitle("Open the school playground at weekends").CreateAsync(App.Services);
        var id = Guid.NewGuid().ToString("N");
        var typedEmail = $"  Ada.Lovelace-{id}@Example.TEST ";
        var form = new SignFormBuilder()
            .WithFullName("  Ada Lovelace ")
            .WithEmail(typedEmail)
            .WithCountry("IE")
            .WithPostcodeOrCity(" Dublin 8 ")
            .WithReason("My children play there.")
            .ShowPublicly(false)
            .EmailUpdates();
        using var browser = App.CreateBrowser();

        var response = await browser.SignAsync(petition.Slug, form);

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.Equal($"/p/{petition.Slug}/check-your-email", response.Location?.OriginalString);
        var checkEmail = await browser.GetAsync(response.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, checkEmail.Status);
        Assert.Equal("Check your email", checkEmail.Text("h1"));
        Assert.Contains("Open the school playground at weekends", checkEmail.Text("main"), StringComparison.Ordinal);

        var signature = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(petition.Id, signature.PetitionId);
        Assert.Equal(SignatureState.Pending, signature.State);
        Assert.Equal("Ada Lovelace", signature.FullName);
        Assert.Equal(typedEmail.Trim(), signature.Email);
        Assert.Equal($"ada.lovelace-{id}@example.test", signature.NormalizedEmail);
        Assert.Equal("IE", signature.Country);
        Assert.Equal("Dublin 8", signature.PostcodeOrCity);
        Assert.Equal("My children play there.", signature.Reason);
        Assert.False(signature.ShowPublicly);
        Assert.True(signature.EmailUpdates);
        Assert.False(signature.ShareEmailWithOrganizer);
        Assert.False(await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)));
        Assert.Null(signature.ConfirmedAt);
        Assert.Equal(32, signature.ConfirmationTokenHash.Length);

        // The subject is rendered with the bodies when the worker sends (DeferredConfirmationEmailTests), and kept on the row.
        await MailDev.WaitForEmailAsync(typedEmail.Trim());
        await App.WaitForOutboxDrainedAsync();
        var outbox = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync());
        Assert.Equal("confirm-signature", outbox.Kind);
        Assert.Equal(typedEmail.Trim(), outbox.ToAddress);
        Assert.Equal("Confirm your signature: Open the school playground at weekends", outbox.Subject);
    }

    [Fact]
    public async Task Post_ValidForm_SendsConfirmationEmailWhoseLinkConfirmsOnce()
    {
        var petition = await new PetitionBuilder().WithTitle("Open the school playground at weekends").CreateAsync(App.Services);
        var email = UniqueEmail("confirmer");
        using var browser = App.CreateBrowser();

        var response = await browser.SignAsync(petition.Slug, new SignFormBuilder().WithFullName("Mary Somerville").WithEmail(email));
        Assert.Equal(HttpStatusCode.Redirect, response.Status);

        var message = await MailDev.WaitForEmailAsync(email);
        Assert.Equal("Confirm your signature: Open the school playground at weekends", message.Subject);
        Assert.Equal([PetitionsAppFactory.FromAddress], message.From.Select(f => f.Address));
        Assert.Contains("Dear Mary Somerville", message.Text, StringComparison.Ordinal);
        var link = message.SingleLink("/s/confirm/");
        Assert.StartsWith($"{PetitionsAppFactory.BaseUrl}/s/confirm/", link, StringComparison.Ordinal);
        var token = link[(link.LastIndexOf('/') + 1)..];

        // Only the token's SHA-256 is stored, never the token itself.
        var stored = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), stored.ConfirmationTokenHash);
        Assert.NotEqual(Encoding.ASCII.GetBytes(token), stored.ConfirmationTokenHash);
        var outbox = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync());
        Assert.NotNull(outbox.SentAt);
        Assert.Null(outbox.HtmlBody);
        Assert.Null(outbox.TextBody);

        var thanks = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, thanks.Status);
        Assert.Equal("Thank you for signing", thanks.Text("h1"));
        Assert.Contains("Open the school playground at weekends", thanks.Text("main"), StringComparison.Ordinal);
        Assert.Equal(["Email", "WhatsApp", "X", "Facebook"], thanks.All(".share-links a").Select(a => a.TextContent.Trim()));
        Assert.Equal($"{PetitionsAppFactory.BaseUrl}/p/{petition.Slug}", thanks.One("textarea.share-url").TextContent.Trim());
        // The count, with this signature, and the share buttons sit with the thanks, above the fold.
        Assert.StartsWith("1 has signed.", thanks.Text(".thanks-count .count-line"), StringComparison.Ordinal);
        var confirmed = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync());
        Assert.Equal(SignatureState.Confirmed, confirmed.State);
        Assert.NotNull(confirmed.ConfirmedAt);

        var again = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("You've already signed", again.Text("h1"));
        Assert.Equal(1, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.State == SignatureState.Confirmed)));

        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
        var page = await browser.GetAsync($"/p/{petition.Slug}");
        Assert.Contains("now has 1 supporter.", page.Text(".starter-line"), StringComparison.Ordinal);
        Assert.Contains("Mary Somerville", page.Text(".supporters"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ValidForm_PendingSignatureIsNotCounted()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var existing = await new SignatureBuilder(petition.Id).Confirmed().CreateAsync(App.Services);
        using var browser = App.CreateBrowser();
        var email = UniqueEmail();

        await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        await MailDev.WaitForEmailAsync(email);

        // The counter has counted the confirmed signature; the pending one stays out.
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
        await Eventually.TrueAsync(
            async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)),
            "the confirmed signature is counted");
        Assert.Equal(1, await browser.ShownCountAsync(petition.Slug));
        Assert.Equal(1, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
    }
}
