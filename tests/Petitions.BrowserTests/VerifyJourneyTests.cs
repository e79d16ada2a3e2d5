using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Features.Verify;
using static Microsoft.Playwright.Assertions;

namespace Petitions.BrowserTests;

/// <summary>"Verify my signature" in Chromium: a receipt link from an email is checked in the browser, with WebCrypto.</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class VerifyJourneyTests(BrowserAppFixture app)
{
    [Fact]
    public async Task ReceiptLink_IsCheckedInTheBrowser_ValidWhenGenuine_NotValidWhenTampered()
    {
        Petition petition;
        await using (var db = app.CreateDbContext())
        {
            petition = await PetitionBuilder.Realistic().WithTitle("Open the library on Sundays").WithConfirmedSupporters(7).SaveAsync(db);
        }

        var deliveredAt = DateTimeOffset.UtcNow;
        var saltKey = DeliveryTrees.NewSaltKey();
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        DeliveredTree tree;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            tree = await DeliveryTrees.BuildAsync(connection, transaction, petition.Id, deliveredAt, saltKey, app.App.Services.GetRequiredService<Petitions.Web.Domain.Privacy.ProtectedFields>(), CancellationToken.None);
        }

        var delivery = new Delivery { PetitionId = petition.Id, DeliveredAt = deliveredAt, SignatureCount = tree.Tree.Count, MerkleRoot = tree.Tree.Root, SaltKey = saltKey };
        await using (var db = app.CreateDbContext())
        {
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await new DeliveryTrees().StoreAsync(connection, transaction, delivery.Id, tree, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Signature signer;
        await using (var db = app.CreateDbContext())
        {
            signer = await db.Signatures.Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed).OrderBy(s => s.Id).Skip(4).FirstAsync();
        }

        var receipt = DeliveryTrees.Receipt(tree, saltKey, signer.Id, signer.FullName, signer.ConfirmedAt!.Value, petition.Slug, delivery.Id, deliveredAt)!;
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/verify#receipt=" + receipt.ToCompact());
        await Expect(page.Locator("#browser-result")).ToContainTextAsync("Valid: checked in your browser against the published root.");
        await Expect(page.Locator("#browser-result")).ToContainTextAsync(signer.FullName);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserAppFixture.ScreenshotFolder, "verify-valid.png"), FullPage = true });

        var tampered = receipt with { Signature = receipt.Signature with { Name = "Someone Else" } };
        await page.GotoAsync("/verify#receipt=" + tampered.ToCompact());
        await page.ReloadAsync();
        await Expect(page.Locator("#browser-result")).ToContainTextAsync("Not valid: the receipt was changed");

        // The same receipt pasted and checked on the server, as without JavaScript.
        await page.Locator("#Receipt").FillAsync(receipt.ToJson());
        await page.GetByRole(AriaRole.Button, new() { Name = "Check on the server" }).ClickAsync();
        await Expect(page.Locator("#server-result")).ToContainTextAsync("Valid: this signature is in the delivery.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserAppFixture.ScreenshotFolder, "verify-server.png"), FullPage = true });
    }
}
