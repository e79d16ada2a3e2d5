using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;

namespace Petitions.Tests.Deliveries;

public sealed class DeliveryEmailTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Deliver_EachRecipientGetsThePetitionAndAWorkingLink()
    {
        var organizer = await App.SignInNewUserAsync("Olive Organizer");
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").StartedBy("Towpath Friends")
            .WithBody("Please **light the towpath** between the bridges.")
            .AddressedTo("Cllr Jane Porter", "Chair, Transport Committee").AddressedTo("Mayor Sam Lee")
            .CreateOwnedAsync(App, organizer.User);
        await App.AddSignatureAsync(petition.Id, s => s.Named("Ada Lovelace").Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Grace Hopper").Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Alan Turing").Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Hedy Lamarr").Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Named("Katherine Johnson").Confirmed());
        var jane = DeliveryTestKit.UniqueEmail("jane");
        var sam = DeliveryTestKit.UniqueEmail("sam");

        await organizer.Browser.DeliverAsync(petition.Slug, "Dear councillors,\n\nWe ask you to act before winter.", (0, jane), (1, sam));

        var links = new List<string>();
        foreach (var (address, name) in new[] { (jane, "Cllr Jane Porter"), (sam, "Mayor Sam Lee") })
        {
            var email = await MailDev.WaitForEmailAsync(address);
            Assert.Equal("Petition: Light the towpath (5 signatures)", email.Subject);
            Assert.Contains($"Dear {name},", email.Text, StringComparison.Ordinal);
            Assert.Contains("We ask you to act before winter.", email.Text, StringComparison.Ordinal);
            Assert.Contains("Towpath Friends started this petition, and 5 people have signed it.", email.Text, StringComparison.Ordinal);
            Assert.Contains("Please **light the towpath** between the bridges.", email.Text, StringComparison.Ordinal);
            Assert.Contains("<strong>light the towpath</strong>", email.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("grace-", email.Text, StringComparison.Ordinal);

            var link = new Uri(email.SingleLink("/d/"));
            links.Add(link.AbsolutePath);
            Assert.Matches("^/d/[A-Za-z0-9_-]{22}$", link.AbsolutePath);
            using var recipient = App.CreateBrowser();
            var page = await recipient.GetAsync(link.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("Light the towpath", page.Text("h1"));
            Assert.Contains(name, page.Text("main"), StringComparison.Ordinal);

            // A small list also travels as an attachment, identical to the download.
            var attachment = await AttachmentAsync(address);
            Assert.Equal($"{petition.Slug}-signatures.csv", attachment.Name);
            using var csv = await recipient.Client.GetAsync(new Uri(link.AbsolutePath + "/signatures.csv", UriKind.Relative));
            Assert.Equal(await csv.Content.ReadAsByteArrayAsync(), attachment.Content);
        }

        // The links differ: each belongs to one recipient.
        Assert.NotEqual(links[0], links[1]);

        var receipt = await MailDev.WaitForEmailAsync(organizer.User.Email!);
        Assert.Equal("Delivered: Light the towpath", receipt.Subject);
        Assert.Contains("Cllr Jane Porter, Chair, Transport Committee", receipt.Text, StringComparison.Ordinal);
        Assert.Contains("Mayor Sam Lee", receipt.Text, StringComparison.Ordinal);
        Assert.Contains($"/dashboard/p/{petition.Slug}/deliveries", receipt.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_LargerList_IsNotAttached()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().AddressedTo("Cllr Jane Porter").CreateOwnedAsync(App, organizer.User);
        await App.AddConfirmedSignaturesAsync(petition.Id, 1_001, DateTimeOffset.UtcNow.AddMinutes(-1));
        var jane = DeliveryTestKit.UniqueEmail("jane");

        await organizer.Browser.DeliverAsync(petition.Slug, "Here they are.", (0, jane));

        var email = await MailDev.WaitForEmailAsync(jane);
        Assert.Contains("(1,001 signatures)", email.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("attached", email.Text, StringComparison.Ordinal);
        Assert.Null(await AttachmentOrNullAsync(jane));
    }

    [Fact]
    public async Task Deliver_NoticeReachesExactlyTheOptedInSupporters()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().WithTitle("Light the towpath").AddressedTo("Cllr Jane Porter").AddressedTo("Mayor Sam Lee")
            .CreateOwnedAsync(App, organizer.User);
        var optedIn = new[] { DeliveryTestKit.UniqueEmail("in1"), DeliveryTestKit.UniqueEmail("in2") };
        foreach (var address in optedIn)
        {
            await App.AddSignatureAsync(petition.Id, s => s.WithEmail(address).Confirmed(), emailUpdates: true);
        }

        var notOptedIn = DeliveryTestKit.UniqueEmail("out");
        var unsubscribed = DeliveryTestKit.UniqueEmail("unsub");
        var pending = DeliveryTestKit.UniqueEmail("pending");
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(notOptedIn).Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.Confirmed());
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(unsubscribed).Confirmed(), emailUpdates: true, unsubscribed: true);
        await App.AddSignatureAsync(petition.Id, s => s.WithEmail(pending).Pending(), emailUpdates: true);

        await organizer.Browser.DeliverAsync(petition.Slug, "Here they are.", (0, DeliveryTestKit.UniqueEmail("jane")), (1, DeliveryTestKit.UniqueEmail("sam")));

        foreach (var address in optedIn)
        {
            var notice = await MailDev.WaitForEmailAsync(address, m => m.Subject == "Delivered: Light the towpath");
            Assert.Contains("The petition you signed was delivered to Cllr Jane Porter and Mayor Sam Lee", notice.Text, StringComparison.Ordinal);
            Assert.Contains("with 5 signatures", notice.Text, StringComparison.Ordinal);
            Assert.Contains("/u/", notice.Text, StringComparison.Ordinal);
            Assert.True(notice.Headers.ContainsKey("list-unsubscribe"));
        }

        await Eventually.TrueAsync(() => App.WithDbAsync(db => db.NotificationJobs.AnyAsync(j => j.PetitionId == petition.Id && j.CompletedAt != null)),
            "the delivery notice job has finished");
        var noticed = await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.Kind == "petition-delivered").Select(m => m.ToAddress).ToListAsync());
        Assert.Equal(optedIn.Order(StringComparer.Ordinal), noticed.Order(StringComparer.Ordinal));
    }

    private sealed record Attachment(string Name, byte[] Content);

    private static async Task<Attachment> AttachmentAsync(string address) =>
        await AttachmentOrNullAsync(address) ?? throw new Xunit.Sdk.XunitException($"The email to {address} has no attachment.");

    /// <summary>maildev's own JSON lists attachments; the shared client does not read them.</summary>
    private static async Task<Attachment?> AttachmentOrNullAsync(string address)
    {
        using var http = new HttpClient { BaseAddress = TestEnvironment.MailDevUrl };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/email", UriKind.Relative)));
        foreach (var message in document.RootElement.EnumerateArray())
        {
            var to = message.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString());
            if (!to.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array || attachments.GetArrayLength() == 0)
            {
                return null;
            }

            var first = attachments[0];
            var name = first.GetProperty("generatedFileName").GetString()!;
            var id = message.GetProperty("id").GetString()!;
            var content = await http.GetByteArrayAsync(new Uri($"/email/{id}/attachment/{Uri.EscapeDataString(name)}", UriKind.Relative));
            return new Attachment(first.GetProperty("fileName").GetString()!, content);
        }

        return null;
    }
}
