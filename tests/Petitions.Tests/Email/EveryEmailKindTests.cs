using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Tests.Email;

/// <summary>
/// Every kind of email the site sends, each caused through the site itself with the longest input every field allows,
/// arrives in maildev: nothing overflows a column of the outbox (or of a notice job) on the way.
/// </summary>
public sealed class EveryEmailKindTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly string[] Kinds =
    [
        "account-exists", "already-signed", "confirm-account", "confirm-signature", "delivery", "delivery-receipt", "delivery-response",
        "full-list-released", "full-list-requested", "petition-closed", "petition-delivered", "petition-response", "petition-update", "petition-victory", "reset-password",
    ];

    [Fact]
    public async Task EveryEmailKind_WithLongestInputs_ArrivesWithItsSubjectCutToFit()
    {
        // Accounts: sign-up, sign-up again with the same address, and a password reset.
        var organizerEmail = LongestAddress("organizer");
        var organizerName = Longest("Organizer Ölive ", 200);
        using var organizerBrowser = App.CreateVisitor();
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(organizerBrowser, organizerName, organizerEmail)).Status);
        var confirmAccount = await MailDev.WaitForEmailAsync(organizerEmail);
        Assert.Equal(HttpStatusCode.OK, (await organizerBrowser.GetAsync(new Uri(confirmAccount.SingleLink("/account/confirm")).PathAndQuery)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync(organizerBrowser, organizerName, organizerEmail)).Status);
        var forgot = await organizerBrowser.SubmitFormOnAsync("/account/forgot-password", [new("Email", organizerEmail)]);
        Assert.Equal(HttpStatusCode.OK, forgot.Status);
        var organizerId = await App.WithDbAsync(db => db.Users.Where(u => u.Email == organizerEmail).Select(u => u.Id).SingleAsync());
        await organizerBrowser.LogInAsync(new TestUser(organizerId, organizerEmail, UserBuilder.DefaultPassword, organizerName));

        // A petition with the longest title, starter and decision maker the database holds; the title has an emoji
        // (two UTF-16 units) right where the longest subject is cut.
        var title = Longest("A", 86) + "🚲" + Longest(" Light the towpath", 112);
        var decisionMaker = Longest("Cllr Jane Pörter ", 200);
        var petition = await new PetitionBuilder().WithTitle(title).StartedBy(Longest("Towpath Friends ", 200))
            .AddressedTo(decisionMaker, Longest("Chair of the Transport Committee ", 200))
            .CreateOwnedAsync(App, new TestUser(organizerId, organizerEmail, UserBuilder.DefaultPassword, organizerName));

        // A supporter who wants updates: signs, confirms, and signs again.
        var supporterEmail = LongestAddress("supporter");
        using var supporter = App.CreateVisitor();
        var signForm = new SignFormBuilder().WithFullName(Longest("Ada Lövelace ", 100)).WithEmail(supporterEmail)
            .WithPostcodeOrCity(Longest("Cambridge ", 100)).WithReason(Longest("Because ", 1000)).EmailUpdates();
        Assert.Equal(HttpStatusCode.Redirect, (await supporter.SignAsync(petition.Slug, signForm)).Status);
        var confirmSignature = await MailDev.WaitForEmailAsync(supporterEmail);
        Assert.Equal(HttpStatusCode.OK, (await supporter.GetAsync(new Uri(confirmSignature.SingleLink("/s/confirm/")).PathAndQuery)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await supporter.SignAsync(petition.Slug, signForm)).Status);
        await App.AddConfirmedSignaturesAsync(petition.Id, 4, DateTimeOffset.UtcNow);

        // The organizer posts an update and delivers; the recipient responds; the organizer closes and declares victory.
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.PostUpdateAsync(petition.Slug, Longest("Update ", 150), Longest("News ", 10_000))).Status);
        var recipientEmail = LongestAddress("recipient");
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.DeliverAsync(petition.Slug, Longest("Dear councillor, ", 5_000), (0, recipientEmail))).Status);
        var delivery = await MailDev.WaitForEmailAsync(recipientEmail);
        using var recipient = App.CreateBrowser();
        var respondForm = await recipient.GetAsync(new Uri(delivery.SingleLink("/d/")).AbsolutePath + "/respond");
        var responded = await recipient.SubmitAsync(respondForm.Form("form[method=post]"),
            [new("Form.AcceptsDemand", "yes"), new("Form.Text", Longest("We agree. ", 5_000))]);
        Assert.Equal(HttpStatusCode.Redirect, responded.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.ClosePetitionAsync(petition.Slug, Longest("Closing now. ", 5_000))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.DeclareVictoryAsync(petition.Slug, Longest("We won. ", 5_000))).Status);

        // A protected petition delivered as initials only: its recipient asks for the full list, and the organizer releases it.
        var fields = App.Services.GetRequiredService<ProtectedFields>();
        var sealedPetition = await new PetitionBuilder().WithTitle(title).StartedBy(Longest("Teachers' Friends ", 200)).Protected(deliverInitialsOnly: true)
            .AddressedTo(decisionMaker, Longest("Chair of the Rights Committee ", 200))
            .CreateOwnedAsync(App, new TestUser(organizerId, organizerEmail, UserBuilder.DefaultPassword, organizerName));
        for (var i = 0; i < 5; i++)
        {
            await new SignatureBuilder(sealedPetition.Id).Named(Longest("Ali Rezaei ", 100)).From("IR", Longest("Tabriz ", 100))
                .WithReason(Longest("Because ", 1000)).SealedWith(fields).Confirmed().CreateAsync(App.Services);
        }

        var sealedRecipientEmail = LongestAddress("sealed");
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.DeliverAsync(sealedPetition.Slug, Longest("Dear councillor, ", 5_000), (0, sealedRecipientEmail))).Status);
        var sealedDelivery = await MailDev.WaitForEmailAsync(sealedRecipientEmail);
        var sealedPage = await recipient.GetAsync(new Uri(sealedDelivery.SingleLink("/d/")).AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await recipient.SubmitAsync(sealedPage.Form(".full-list form"), [])).Status);
        var deliveries = await organizerBrowser.GetAsync($"/dashboard/p/{sealedPetition.Slug}/deliveries");
        Assert.Equal(HttpStatusCode.Redirect, (await organizerBrowser.SubmitAsync(deliveries.Form("form[action$='/release-full-list']"), [])).Status);

        await App.WaitForNotificationJobsAsync(6);
        await App.WaitForOutboxDrainedAsync();
        var rows = await App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(Kinds, rows.Select(r => r.Kind).Distinct().Order(StringComparer.Ordinal));
        var received = await MailDev.ListAsync();
        Assert.All(rows, row =>
        {
            Assert.True(row.SentAt is not null, $"The {row.Kind} email was not sent: {row.LastError}");
            Assert.InRange(row.Subject.Length, 1, 300);
            Assert.DoesNotContain('\uFFFD', row.Subject);
            var email = Assert.Single(received, m => m.MessageId == row.MessageId);
            Assert.Equal(row.Subject, email.Subject);
            Assert.Equal(row.ToName, Assert.Single(email.To).Name);
        });

        // The longest subject, the recipient's name and the title, is cut to fit with an ellipsis, never mid-character.
        var response = Assert.Single(rows, r => r.Kind == "delivery-response");
        Assert.Equal(decisionMaker + " responded: " + title[..86] + "…", response.Subject);
    }

    /// <summary><paramref name="start"/> repeated to exactly <paramref name="length"/> characters.</summary>
    private static string Longest(string start, int length) =>
        string.Concat(Enumerable.Repeat(start, (length / start.Length) + 1))[..length];

    /// <summary>
    /// A unique address of 253 characters, with a 64-character local part and 63-character labels. The forms accept 254
    /// (RFC 5321's path limit), but maildev's SMTP server refuses anything over 253 with a 501.
    /// </summary>
    private static string LongestAddress(string name)
    {
        var local = $"{name}-{Guid.NewGuid():N}".PadRight(64, 'x');
        var domain = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 47)}.example.test";
        var address = $"{local}@{domain}";
        Assert.Equal(253, address.Length);
        return address;
    }

    private static async Task<HtmlPage> RegisterAsync(TestBrowser browser, string name, string email) =>
        await browser.SubmitFormOnAsync("/account/register",
            [new("DisplayName", name), new("Email", email), new("Password", UserBuilder.DefaultPassword), new("ConfirmPassword", UserBuilder.DefaultPassword)]);
}
