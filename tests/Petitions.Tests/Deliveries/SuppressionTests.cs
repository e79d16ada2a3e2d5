using System.Net;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Email;

namespace Petitions.Tests.Deliveries;

/// <summary>
/// Addresses that bounced or asked not to be emailed get no more deliveries: the deliver form says so, and the
/// delivery skips them. Every delivery email carries a one-click "Don't email me from this site again".
/// </summary>
public sealed class SuppressionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const string Cover = "Dear councillors,\n\nHere are the signatures.";
    private const string SkippedNote = "can't be emailed: its mail server refused our email, or its owner asked not to get email from this site. It will be skipped.";

    [Fact]
    public async Task Deliver_SuppressedAddress_IsShownOnTheFormAndSkipped()
    {
        var organizer = await App.SignInNewUserAsync();
        var jane = DeliveryTestKit.UniqueEmail("jane");
        var sam = DeliveryTestKit.UniqueEmail("sam");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter", email: jane).AddressedTo("Mayor Sam Lee", email: sam)
            .CreateDeliverableAsync(App, organizer.User);
        // Suppressed under another spelling of the same inbox.
        await SuppressAsync("  " + jane.ToUpperInvariant(), EmailSuppressions.Bounce);

        var form = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal($"{jane} {SkippedNote}", form.Text("#Form_Recipients_0__Email-suppressed"));
        Assert.Null(form.Find("#Form_Recipients_1__Email-suppressed"));

        var preview = await organizer.Browser.PreviewDeliveryAsync(petition.Slug, Cover, (0, jane), (1, sam));
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.DoesNotContain(jane, preview.Text("ul.recipients"), StringComparison.Ordinal);
        Assert.Contains(sam, preview.Text("ul.recipients"), StringComparison.Ordinal);
        Assert.Contains(jane, preview.Text("ul.skipped"), StringComparison.Ordinal);
        Assert.Equal("Deliver to 1 recipient", preview.Text("form[action$='/deliver'] button.btn-primary"));

        var result = await organizer.Browser.ConfirmDeliveryAsync(preview);

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var delivery = Assert.Single(await App.DeliveriesAsync(petition.Id));
        Assert.Equal([sam], delivery.Recipients.Select(r => r.Email));
        Assert.Equal([sam], await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.Kind == "delivery").Select(m => m.ToAddress).ToListAsync()));
        await MailDev.WaitForEmailAsync(sam);
    }

    [Fact]
    public async Task Deliver_OnlySuppressedAddressesPicked_IsRefusedWithMessageAtTheFieldAndSendsNothing()
    {
        var organizer = await App.SignInNewUserAsync();
        var jane = DeliveryTestKit.UniqueEmail("jane");
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").AddressedTo("Mayor Sam Lee").CreateDeliverableAsync(App, organizer.User);
        await SuppressAsync(jane, EmailSuppressions.Complaint);

        var page = await organizer.Browser.PreviewDeliveryAsync(petition.Slug, Cover, (0, jane));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        const string message = "None of the addresses you picked can be emailed. Pick another decision maker, or enter a different address";
        Assert.Equal(message, page.One(".error-summary a[href='#Form_Recipients']").TextContent.Trim());
        Assert.Equal("Error: " + message, page.Text("#Form_Recipients-error"));
        Assert.Equal($"{jane} {SkippedNote}", page.Text("#Form_Recipients_0__Email-suppressed"));
        Assert.Equal(jane, page.One("#Form_Recipients_0__Email").GetAttribute("value"));
        Assert.Empty(await App.DeliveriesAsync(petition.Id));
        Assert.Equal(0, await App.WithDbAsync(db => db.OutboxMessages.CountAsync()));
    }

    [Fact]
    public async Task DeliveryEmail_DontEmailMeLink_AsksThenSuppressesTheAddress()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);
        var jane = DeliveryTestKit.UniqueEmail("jane");
        await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, jane));
        var email = await MailDev.WaitForEmailAsync(jane);

        var link = email.SingleLink("/email/stop/");
        Assert.Equal($"<{link}>", email.Headers["list-unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", email.Headers["list-unsubscribe-post"]);
        Assert.Contains("Don't email me from this site again", email.Text, StringComparison.Ordinal);
        Assert.Contains(link, email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(jane, link, StringComparison.OrdinalIgnoreCase);

        // Opening the link only asks; no login is needed.
        using var recipient = App.CreateBrowser();
        var ask = await recipient.GetAsync(new Uri(link).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, ask.Status);
        Assert.Equal("Don't email me from this site again", ask.Text("h1"));
        Assert.Equal(0, await App.WithDbAsync(db => db.EmailSuppressions.CountAsync()));

        var done = await recipient.SubmitAsync(ask.Form("form[method=post]"), []);

        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Equal("We won't email you again", done.Text("h1"));
        var suppression = await App.WithDbAsync(db => db.EmailSuppressions.AsNoTracking().SingleAsync());
        Assert.Equal(EmailSuppressions.Key(jane), suppression.AddressHash);
        Assert.Equal(EmailSuppressions.Complaint, suppression.Reason);
        var form = await organizer.Browser.GetAsync($"/dashboard/p/{petition.Slug}/deliver");
        Assert.Equal($"{jane} {SkippedNote}", form.Text("#Form_Recipients_0__Email-suppressed"));
    }

    [Fact]
    public async Task DeliveryEmail_OneClickUnsubscribeFromTheMailClient_SuppressesTheAddress()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateDeliverableAsync(App, organizer.User);
        var jane = DeliveryTestKit.UniqueEmail("jane");
        await organizer.Browser.DeliverAsync(petition.Slug, Cover, (0, jane));
        var email = await MailDev.WaitForEmailAsync(jane);
        var url = email.Headers["list-unsubscribe"].Trim('<', '>');

        // RFC 8058: the mail provider POSTs this body to the header's URL, with no cookie and no form token.
        using var client = App.CreateClient();
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        using var response = await client.PostAsync(new Uri(url).AbsolutePath, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var suppression = await App.WithDbAsync(db => db.EmailSuppressions.AsNoTracking().SingleAsync());
        Assert.Equal(EmailSuppressions.Key(jane), suppression.AddressHash);
    }

    [Theory]
    [InlineData("/email/stop/not-a-token")]
    [InlineData("/email/stop/CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task StopLink_TamperedOrUnknown_IsNotFoundAndStoresNothing(string path)
    {
        using var visitor = App.CreateBrowser();
        var page = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Equal("We don't recognise this link", page.Text("h1"));

        using var client = App.CreateClient();
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        using var response = await client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await App.WithDbAsync(db => db.EmailSuppressions.CountAsync()));
    }

    private Task SuppressAsync(string email, string reason) => App.WithDbAsync(async db =>
    {
        db.EmailSuppressions.Add(new EmailSuppression { AddressHash = EmailSuppressions.Key(email), Reason = reason, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    });
}
