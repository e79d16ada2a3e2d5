using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Signing;

/// <summary>
/// Signing can't be used to mail-bomb an inbox: at most RateLimiting__EmailsPerAddressPerHour signing emails
/// (confirmations and "already signed" notices together) go to one address an hour. The browser can't tell.
/// </summary>
public sealed class SigningEmailThrottleTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Post_SixPetitionsWithOneAddress_FiveEmailsAreSentAndTheSixthSignatureIsKeptWithoutOne()
    {
        Assert.Equal(5, App.Services.GetRequiredService<EmailThrottle>().Limit);
        var petitions = new List<Petition>();
        for (var i = 0; i < 6; i++)
        {
            petitions.Add(await new PetitionBuilder().WithTitle($"Petition number {i + 1}").CreateAsync(App.Services));
        }

        var bombed = UniqueEmail("bombed");
        var bystander = UniqueEmail("bystander");
        using var browser = App.CreateBrowser();
        var responses = new List<HtmlPage>();
        foreach (var petition in petitions)
        {
            responses.Add(await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(bombed)));
        }

        var other = await browser.SignAsync(petitions[5].Slug, new SignFormBuilder().WithEmail(bystander));

        // The sixth looks exactly like the others.
        Assert.All(responses.Zip(petitions), r => Assert.Equal($"/p/{r.Second.Slug}/check-your-email", r.First.Location?.OriginalString));
        Assert.Equal(HttpStatusCode.Redirect, responses[5].Status);
        var checkEmail = await browser.GetAsync(responses[5].Location!.OriginalString);
        Assert.Equal("Check your email", checkEmail.Text("h1"));
        Assert.Contains("we send at most 5 emails an hour to one address", checkEmail.Text("main"), StringComparison.Ordinal);

        // Other addresses are unaffected.
        Assert.Equal(HttpStatusCode.Redirect, other.Status);
        await MailDev.WaitForEmailAsync(bystander);

        // Every signature is kept, but only five emails were queued for the address, and those five arrived.
        Assert.Equal(6, await App.WithDbAsync(db => db.Signatures.CountAsync(s => s.Email == bombed)));
        var queued = await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.ToAddress == bombed).Select(m => m.Subject).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"Confirm your signature: Petition number {i}").Order(), queued.Order());
        await Eventually.TrueAsync(() => App.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null)), "the outbox is sent");
        var arrived = await MailDev.ListToAsync(bombed);
        Assert.Equal(5, arrived.Count);
        Assert.DoesNotContain(arrived, m => m.Subject.EndsWith("Petition number 6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_AlreadySignedNoticesCountToo_AndPastTheLimitALaterSubmissionStillReplacesThePendingOne()
    {
        var signed = await new PetitionBuilder().WithTitle("Signed and confirmed").CreateAsync(App.Services);
        var pending = await new PetitionBuilder().WithTitle("Still pending").CreateAsync(App.Services);
        var email = UniqueEmail("repeat", "gmail.com");
        using var browser = App.CreateBrowser();

        // 1 confirmation + 4 "already signed" notices use up the hour's five emails.
        await browser.SignAsync(signed.Slug, new SignFormBuilder().WithEmail(email));
        Assert.Equal("Thank you for signing", (await browser.GetAsync((await MailDev.WaitForEmailAsync(email)).SingleLink("/s/confirm/"))).Text("h1"));
        for (var i = 0; i < 4; i++)
        {
            // Gmail's +tag variants reach the same inbox, so they share its allowance.
            var variant = i % 2 == 0 ? email : email.Replace("@", $"+{i}@", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SignAsync(signed.Slug, new SignFormBuilder().WithEmail(variant))).Status);
        }

        var onceMore = await browser.SignAsync(signed.Slug, new SignFormBuilder().WithEmail(email));
        var pendingFirst = await browser.SignAsync(pending.Slug, new SignFormBuilder().WithFullName("First Try").WithEmail(email));
        var pendingSecond = await browser.SignAsync(pending.Slug, new SignFormBuilder().WithFullName("Second Try").WithEmail(email).ShowPublicly(false));

        Assert.All(new[] { onceMore, pendingFirst, pendingSecond }, r => Assert.Equal(HttpStatusCode.Redirect, r.Status));
        var kinds = await App.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Kind).ToListAsync());
        Assert.Equal(["confirm-signature", "already-signed", "already-signed", "already-signed", "already-signed"], kinds);
        var latest = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == pending.Id));
        Assert.Equal(SignatureState.Pending, latest.State);
        Assert.Equal("Second Try", latest.FullName);
        Assert.False(latest.ShowPublicly);
        await Eventually.TrueAsync(() => App.WithDbAsync(db => db.OutboxMessages.AllAsync(m => m.SentAt != null)), "the outbox is sent");
        var arrived = (await MailDev.ListAsync()).Where(m => m.To.Any(t => t.Address.StartsWith(email.Split('@')[0], StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.Equal(5, arrived.Count);
    }
}
