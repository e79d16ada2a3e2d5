using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Admin;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Verify;

namespace Petitions.Tests.Privacy;

/// <summary>
/// Receipts for signers who never asked for updates (on /my), a protected delivery's salt key sealed in its row, and
/// the block lists and moderators' search by country and time on protected petitions.
/// </summary>
public sealed class EverySignerReceiptTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private ProtectedFields Fields => App.Services.GetRequiredService<ProtectedFields>();

    [Fact]
    public async Task SignerWithoutUpdates_FindsOnMyAReceiptTheVerifyPageAccepts_AndTheProtectedSaltKeyIsSealed()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().WithTitle("Free the teachers").Protected().AddressedTo("Cllr Jane Porter").CreateOwnedAsync(App, organizer.User);
        var email = UniqueEmail("quiet-signer");
        var signature = await new SignatureBuilder(petition.Id).Named("Ali Rezaei").WithEmail(email).From("IR", "Tabriz").SealedWith(Fields).Confirmed()
            .CreateAsync(App.Services);
        for (var i = 0; i < DeliveryTestKit.MinimumSignatures; i++)
        {
            await new SignatureBuilder(petition.Id).Named($"Signer {i}").SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        }

        Assert.False(await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == signature.Id).Select(s => s.EmailUpdates).SingleAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.DeliverAsync(petition.Slug, "Here are the signatures.", (0, UniqueEmail("jane")))).Status);
        var delivery = Assert.Single(await App.DeliveriesAsync(petition.Id));

        // The salt key is stored sealed: neither it nor its base64 is in the raw row.
        await using (var connection = new NpgsqlConnection(App.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT salt_key, row_to_json(d)::text FROM deliveries d", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var raw = reader.GetFieldValue<byte[]>(0);
            var json = reader.GetString(1);
            var key = Fields.OpenSaltKey(petition.Id, raw);
            Assert.Equal(ProtectedFields.SaltKeySize, key.Length);
            Assert.NotEqual(ProtectedFields.SaltKeySize, raw.Length);
            Assert.Equal(-1, raw.AsSpan().IndexOf(key));
            Assert.DoesNotContain(Convert.ToBase64String(key), System.Text.Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexStringLower(key), json, StringComparison.Ordinal);
        }

        using var browser = App.CreateBrowser();
        var list = await MySignaturesSteps.OpenListAsync(browser, MailDev, email);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        var receiptLink = list.One($"section[data-signature='{signature.Id}'] a.receipt-link").GetAttribute("href")!;
        Assert.StartsWith("/verify#receipt=", receiptLink, StringComparison.Ordinal);
        var receipt = VerifyController.Parse(receiptLink);
        Assert.Equal((petition.Slug, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Ali Rezaei"),
            (receipt.Petition, receipt.Delivery, receipt.Signature.Name));
        Assert.Equal(Convert.ToHexStringLower(receipt.LeafHash()), list.Text($"section[data-signature='{signature.Id}'] .receipt-leaf"));
        Assert.Equal(Convert.ToHexStringLower(receipt.Salt), list.Text($"section[data-signature='{signature.Id}'] .receipt-salt"));
        Assert.Equal(ReceiptCheck.Valid, receipt.Verify(delivery.MerkleRoot!, delivery.SignatureCount));

        using var visitor = App.CreateVisitor();
        var form = await visitor.GetAsync("/verify");
        var valid = await visitor.SubmitAsync(form.Form("form[action='/verify']"), [new("receipt", PetitionsAppFactory.BaseUrl + receiptLink)]);
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.Contains("Valid: this signature is in the delivery.", valid.Text("#server-result"), StringComparison.Ordinal);

        // It never had a delivery notice to carry the receipt.
        Assert.DoesNotContain(await MailDev.ListToAsync(email), m => m.Subject == "Delivered: Free the teachers");
    }

    [Fact]
    public async Task BlockLists_StopProtectedSignaturesFromConfirming_ThoughTheRowKeepsNeitherDomainNorIp()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        var admin = await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Admin, "Admin");
        using var adminBrowser = await App.LoggedInVisitorAsync(admin);
        foreach (var (kind, value) in new[] { ("Domain", "spam-farm.test"), ("Ip", "203.0.113.0/25") })
        {
            var blocks = await adminBrowser.GetAsync("/admin/blocks");
            var added = await adminBrowser.SubmitAsync(blocks.Form("form[action='/admin/blocks']"), [new("Form.Kind", kind), new("Form.Value", value), new("Form.Reason", "Scripted run")]);
            Assert.Equal(HttpStatusCode.Redirect, added.Status);
        }

        var byDomain = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("198.51.100.7"), UniqueEmail("a", "mx.spam-farm.test"));
        var byIp = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("203.0.113.77"), UniqueEmail("b"));
        var fine = await SignAndConfirmAsync(petition.Slug, IPAddress.Parse("203.0.113.200"), UniqueEmail("c", "notspam-farm.test"));

        Assert.Equal(HttpStatusCode.NotFound, byDomain.Status);
        Assert.Equal(HttpStatusCode.NotFound, byIp.Status);
        Assert.Equal(HttpStatusCode.OK, fine.Status);
        Assert.Equal("Thank you for signing", fine.Text("h1"));
        var rows = await App.WithDbAsync(db => db.Signatures.AsNoTracking().Where(s => s.PetitionId == petition.Id).OrderBy(s => s.Id).ToListAsync());
        Assert.Equal([SignatureState.Pending, SignatureState.Pending, SignatureState.Confirmed], rows.Select(r => r.State).ToList());
        Assert.All(rows, r => Assert.Null(r.IpAddress));
        Assert.All(rows, r => Assert.DoesNotContain("spam-farm", r.NormalizedEmail + r.Email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModeratorSearch_FindsProtectedSignaturesByCountryAndTime()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        var at = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        await new SignatureBuilder(petition.Id).Named("Ali Rezaei").From("IR", "Tabriz").CreatedAt(at).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Nasrin Karimi").From("IR", "Shiraz").CreatedAt(at.AddHours(3)).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        await new SignatureBuilder(petition.Id).Named("Jean Dupont").From("FR", "Lyon").CreatedAt(at.AddMinutes(30)).SealedWith(Fields).Confirmed().CreateAsync(App.Services);
        using var moderator = await App.LoggedInVisitorAsync(await ModerationArrange.CreateWithRoleAsync(App.Services, AdminRoles.Moderator, AdminRoles.Moderator));

        var iran = await moderator.GetAsync($"/admin/signatures?petition={petition.Slug}&country=ir");
        var window = await moderator.GetAsync($"/admin/signatures?petition={petition.Slug}&from=2026-11-20T07:30&to=2026-11-20T09:00");
        var both = await moderator.GetAsync($"/admin/signatures?petition={petition.Slug}&country=IR&from=2026-11-20T07:30&to=2026-11-20T09:00");
        var unknown = await moderator.GetAsync($"/admin/signatures?petition={petition.Slug}&country=XX");

        Assert.Equal("2", iran.Text("[data-count=matches]"));
        Assert.Contains("Nasrin Karimi", iran.Text("main"), StringComparison.Ordinal);
        Assert.DoesNotContain("Jean Dupont", iran.Text("main"), StringComparison.Ordinal);
        Assert.Equal("2", window.Text("[data-count=matches]"));
        Assert.Equal("1", both.Text("[data-count=matches]"));
        Assert.Contains("Ali Rezaei", both.Text("main"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("two-letter code", unknown.Text("#Country-error"), StringComparison.Ordinal);
    }

    private async Task<HtmlPage> SignAndConfirmAsync(string slug, IPAddress address, string email)
    {
        using var signer = App.Server.CreateVisitor(address);
        var signed = await signer.SignAsync(slug, new SignFormBuilder().WithEmail(email).WithCountry("IR"));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var message = await MailDev.WaitForEmailAsync(email);
        return await signer.GetAsync(message.SingleLink("/s/confirm/"));
    }
}
