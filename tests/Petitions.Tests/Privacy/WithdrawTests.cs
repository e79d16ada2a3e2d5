using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Withdrawal;

namespace Petitions.Tests.Privacy;

public sealed class WithdrawTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private static readonly DateTimeOffset DeliveredAt = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Get_AsksOnly_AndPostWithdraws()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(1).CreateAsync(App.Services);
        var signature = await new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true).CreateAsync(App.Services);
        using var browser = App.CreateBrowser();

        var ask = await browser.GetAsync(LinkFor(petition.Id, signature.NormalizedEmail));

        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.Equal("Withdraw your signature?", ask.Text("h1"));
        Assert.Equal(SignatureState.Confirmed, await StateAsync(signature.Id));

        var done = await browser.SubmitAsync(ask.Form("main form[method=post]"), []);

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("Your signature was withdrawn", done.Text("h1"));
        Assert.Equal(SignatureState.Withdrawn, await StateAsync(signature.Id));
        Assert.Equal(0, await browser.WaitForShownCountAsync(petition.Slug, 0));
        Assert.Equal(0, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
    }

    [Fact]
    public async Task TamperedToken_Is404AndChangesNothing()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(1).CreateAsync(App.Services);
        var signature = await new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true).CreateAsync(App.Services);
        var link = LinkFor(petition.Id, signature.NormalizedEmail);
        var tampered = link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..];
        using var browser = App.CreateBrowser();

        var page = await browser.GetAsync(tampered);

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));
        Assert.Equal(SignatureState.Confirmed, await StateAsync(signature.Id));
    }

    [Fact]
    public async Task Withdrawn_LeavesCsvExportAndRecentSupporters_AndDeliveredPageShowsTheDate()
    {
        var petition = await new PetitionBuilder().WithSignatureCount(2).CreateOwnedAsync(App, null);
        var leaving = await App.AddSignatureAsync(petition.Id, s => s.Named("Leaving Signer").CreatedAt(DeliveredAt.AddDays(-2)).Confirmed(alreadyCounted: true));
        await App.AddSignatureAsync(petition.Id, s => s.Named("Staying Signer").CreatedAt(DeliveredAt.AddDays(-1)).Confirmed(alreadyCounted: true));
        var delivered = await App.DeliverDirectlyAsync(petition, DeliveredAt, expiresAt: DateTimeOffset.UtcNow.AddDays(1));
        using var recipient = App.CreateBrowser();
        Assert.Contains("Leaving Signer", await CsvAsync(recipient, delivered.Link), StringComparison.Ordinal);
        using var browser = App.CreateBrowser();

        var ask = await browser.GetAsync(LinkFor(petition.Id, leaving.NormalizedEmail));
        Assert.Contains("the recipient received the list with your name on 14 March 2026", ask.Text("main"), StringComparison.Ordinal);
        var done = await browser.SubmitAsync(ask.Form("main form[method=post]"), []);

        Assert.Contains("the recipient received the list with your name on 14 March 2026", done.Text("main"), StringComparison.Ordinal);
        var csv = await CsvAsync(recipient, delivered.Link);
        Assert.DoesNotContain("Leaving Signer", csv, StringComparison.Ordinal);
        Assert.Contains("Staying Signer", csv, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            var page = await browser.GetAsync($"/p/{petition.Slug}");
            return page.Html.Contains("Staying Signer", StringComparison.Ordinal) && !page.Html.Contains("Leaving Signer", StringComparison.Ordinal);
        }, "the withdrawn signer leaves the recent supporters");
    }

    [Fact]
    public async Task ConfirmWithdrawResignConfirm_EndsWithExactlyOneCountedSignature()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var email = DeliveryTestKit.UniqueEmail("twice");
        using var browser = App.CreateBrowser();

        await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email));
        var first = await MailDev.WaitForEmailAsync(email);
        var thanks = await browser.GetAsync(first.SingleLink("/s/confirm/"));
        Assert.Equal("Thank you for signing", thanks.Text("h1"));
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));

        var ask = await browser.GetAsync(new Uri(thanks.One("a[href*='/s/withdraw/']").GetAttribute("href")!, UriKind.RelativeOrAbsolute).ToString());
        await browser.SubmitAsync(ask.Form("main form[method=post]"), []);
        Assert.Equal(0, await browser.WaitForShownCountAsync(petition.Slug, 0));

        await browser.SignAsync(petition.Slug, new SignFormBuilder().WithEmail(email).WithFullName("Signed Again"));
        var second = (await MailDev.WaitForEmailsAsync(email, 2)).Single(m => m.Id != first.Id);
        Assert.Contains("/s/withdraw/", string.Join(" ", second.Links()), StringComparison.Ordinal);
        var again = await browser.GetAsync(second.SingleLink("/s/confirm/"));

        Assert.Equal("Thank you for signing", again.Text("h1"));
        Assert.Equal(1, await browser.WaitForShownCountAsync(petition.Slug, 1));
        await Eventually.TrueAsync(
            async () => !await App.WithDbAsync(db => db.CountEvents.AnyAsync(e => e.PetitionId == petition.Id)),
            "every change is counted");
        Assert.Equal(1, await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == petition.Id).Select(p => p.SignatureCount).SingleAsync()));
        var row = await App.WithDbAsync(db => db.Signatures.AsNoTracking().SingleAsync(s => s.PetitionId == petition.Id));
        Assert.Equal(SignatureState.Confirmed, row.State);
        Assert.Equal("Signed Again", row.FullName);
    }

    private static async Task<string> CsvAsync(TestBrowser recipient, string link)
    {
        using var response = await recipient.Client.GetAsync(new Uri(link + "/signatures.csv", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private string LinkFor(long petitionId, string normalizedEmail) =>
        "/s/withdraw/" + App.Services.GetRequiredService<WithdrawTokens>().Create(petitionId, normalizedEmail);

    private Task<SignatureState> StateAsync(long id) =>
        App.WithDbAsync(db => db.Signatures.Where(s => s.Id == id).Select(s => s.State).SingleAsync());
}
