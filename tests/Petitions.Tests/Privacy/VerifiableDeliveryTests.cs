using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Account;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Verify;
using UglyToad.PdfPig;

namespace Petitions.Tests.Privacy;

/// <summary>A real delivery of 10,001 signatures: the published root, the PDF, the receipt in the notice and the verify page.</summary>
public sealed class VerifiableDeliveryTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private const int Bulk = 10_000;

    [Fact]
    public async Task Delivery_Of10001Signatures_PublishesARootThatEveryReceiptVerifiesAgainst()
    {
        var organizer = await App.SignInNewUserAsync();
        var petition = await new PetitionBuilder().WithTitle("Keep the ferry running").AddressedTo("Cllr Jane Porter").CreateOwnedAsync(App, organizer.User);
        await App.AddConfirmedSignaturesAsync(petition.Id, Bulk, DateTimeOffset.UtcNow.AddMinutes(-5));
        var signer = DeliveryTestKit.UniqueEmail("signer");
        var signature = await App.AddSignatureAsync(petition.Id, s => s.Named("Zoë Martin").WithEmail(signer).Confirmed(), emailUpdates: true);
        var jane = DeliveryTestKit.UniqueEmail("jane");

        var result = await organizer.Browser.DeliverAsync(petition.Slug, "Here are the signatures.", (0, jane));

        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        var delivery = Assert.Single(await App.DeliveriesAsync(petition.Id));
        Assert.Equal(Bulk + 1, delivery.SignatureCount);
        var root = delivery.MerkleRoot!;
        var rootHex = Convert.ToHexStringLower(root);
        Assert.Equal(MerkleTree.HashSize, root.Length);

        // Every delivered signature's receipt, from the stored tree, verifies against the published root and count.
        await using (var connection = new NpgsqlConnection(App.ConnectionString))
        {
            await connection.OpenAsync();
            var tree = (await App.Services.GetRequiredService<DeliveryTrees>().LoadAsync(connection, null, delivery.Id, CancellationToken.None))!;
            Assert.Equal(Bulk + 1, tree.Tree.Count);
            Assert.Equal(root, tree.Tree.Root);
            var rows = await App.WithDbAsync(db => db.Signatures.AsNoTracking().Where(s => s.PetitionId == petition.Id)
                .OrderBy(s => s.Id).Select(s => new { s.Id, s.FullName, s.ConfirmedAt }).ToListAsync());
            var receipts = rows.Select(r => DeliveryTrees.Receipt(tree, delivery.SaltKey!, r.Id, r.FullName, r.ConfirmedAt!.Value, petition.Slug, delivery.Id, delivery.DeliveredAt)).ToList();
            Assert.Equal(Bulk + 1, receipts.Count);
            Assert.All(receipts, r => Assert.Equal(ReceiptCheck.Valid, r!.Verify(root, delivery.SignatureCount)));
            Assert.Equal(Enumerable.Range(0, Bulk + 1), receipts.Select(r => (int)r!.LeafIndex));

            // Tampered leaf, proof or root fail.
            var sample = receipts[1234]!;
            Assert.Equal(ReceiptCheck.ProofFails, (sample with { Signature = sample.Signature with { Name = "Someone Else" } }).Verify(root, delivery.SignatureCount));
            var path = sample.Path.ToArray();
            path[3] = (byte[])path[3].Clone();
            path[3][0] ^= 1;
            Assert.Equal(ReceiptCheck.ProofFails, (sample with { Path = path }).Verify(root, delivery.SignatureCount));
            var otherRoot = (byte[])root.Clone();
            otherRoot[31] ^= 1;
            Assert.Equal(ReceiptCheck.NotThisDelivery, sample.Verify(otherRoot, delivery.SignatureCount));
        }

        // The petition page publishes the root, the count and the date, with a link to the verify page.
        using var visitor = App.CreateVisitor();
        var page = await visitor.GetAsync($"/p/{petition.Slug}");
        var published = page.Text(".delivery-root");
        Assert.Contains(rootHex, published, StringComparison.Ordinal);
        Assert.Contains("10,001 signatures", published, StringComparison.Ordinal);
        Assert.NotNull(page.Find($".delivery-root a[href='/p/{petition.Slug}/verify']"));

        // The recipient's PDF carries the root on its cover.
        var recipientEmail = await MailDev.WaitForEmailAsync(jane);
        var link = recipientEmail.Links().First(l => l.Contains("/d/", StringComparison.Ordinal));
        using var recipient = App.CreateBrowser();
        using (var response = await recipient.Client.GetAsync(new Uri(new Uri(link).AbsolutePath + "/signatures.pdf", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
            var cover = string.Join(' ', pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains(rootHex, cover, StringComparison.Ordinal);
        }

        // The signer's notice carries a receipt link that the verify page accepts, on the server, without JavaScript.
        var notice = await MailDev.WaitForEmailAsync(signer, m => m.Subject == "Delivered: Keep the ferry running");
        var receiptLink = notice.Links().Single(l => l.Contains("/verify#receipt=", StringComparison.Ordinal));
        Assert.Contains(receiptLink, notice.Text, StringComparison.Ordinal);
        var receipt = VerifyController.Parse(receiptLink);
        Assert.Equal((signature.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Zoë Martin"), (receipt.Signature.Id, receipt.Signature.Name));

        var valid = await CheckAsync(visitor, receiptLink);
        Assert.Equal(HttpStatusCode.OK, valid.Status);
        Assert.Contains("Valid: this signature is in the delivery.", valid.Text("#server-result"), StringComparison.Ordinal);
        Assert.Contains(rootHex, valid.Text("#server-result"), StringComparison.Ordinal);
        Assert.Contains("Valid", (await CheckAsync(visitor, receipt.ToJson())).Text("#server-result h2"), StringComparison.Ordinal);

        var tamperedName = await CheckAsync(visitor, (receipt with { Signature = receipt.Signature with { Name = "Zoe Martin" } }).ToCompact());
        Assert.Contains("The receipt was changed", tamperedName.Text("#server-result"), StringComparison.Ordinal);
        var forged = receipt with { Root = (byte[])receipt.Root.Clone() };
        forged.Root[0] ^= 1;
        Assert.Contains("Not valid", (await CheckAsync(visitor, forged.ToCompact())).Text("#server-result h2"), StringComparison.Ordinal);
        var otherDelivery = await CheckAsync(visitor, (receipt with { Delivery = "999999999" }).ToCompact());
        Assert.Contains("No delivery with this number", otherDelivery.Text("#server-result"), StringComparison.Ordinal);

        // Malformed input is a plain message at the field, never an error page.
        foreach (var bad in new[] { receiptLink[..^5], "not a receipt", "{\"version\": 1}", "", new string('A', 20_000) })
        {
            var answer = await CheckAsync(visitor, bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.NotNull(answer.Find("#error-summary"));
            Assert.Equal(bad.Trim(), answer.One("#Receipt").TextContent.Trim());
        }
    }

    private static async Task<HtmlPage> CheckAsync(TestBrowser browser, string receipt)
    {
        var form = await browser.GetAsync("/verify");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        return await browser.SubmitAsync(form.Form("form[action='/verify']"), [new("receipt", receipt)]);
    }
}
