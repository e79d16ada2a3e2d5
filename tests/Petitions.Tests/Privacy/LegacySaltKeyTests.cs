using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Deliveries;
using Petitions.Tests.Infrastructure;
using Petitions.Tests.Organize;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Features.Verify;
using Serilog.Events;

namespace Petitions.Tests.Privacy;

/// <summary>
/// Deliveries of protected petitions made before salt keys were sealed hold the plain 32-byte key: the one-time pass
/// seals them, receipts stay the same, a second run changes nothing, and unprotected deliveries keep their plain key.
/// </summary>
public sealed class LegacySaltKeyTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private ProtectedFields Fields => App.Services.GetRequiredService<ProtectedFields>();

    private SaltKeySealing Sealing => App.Services.GetRequiredService<SaltKeySealing>();

    [Fact]
    public async Task PlainSaltKeyOfAProtectedDelivery_IsSealed_ReceiptsStayTheSame_AndASecondRunChangesNothing()
    {
        var (protectedPetition, signature, email) = await DeliverAsync(isProtected: true);
        var (openPetition, openSignature, _) = await DeliverAsync(isProtected: false);
        var protectedDelivery = Assert.Single(await App.DeliveriesAsync(protectedPetition.Id));
        var openDelivery = Assert.Single(await App.DeliveriesAsync(openPetition.Id));

        // As an older version stored it: the key itself.
        var plain = Fields.OpenSaltKey(protectedPetition.Id, await RawSaltKeyAsync(protectedDelivery.Id));
        Assert.Equal(ProtectedFields.SaltKeySize, plain.Length);
        await SetSaltKeyAsync(protectedDelivery.Id, plain);
        var openKey = await RawSaltKeyAsync(openDelivery.Id);
        Assert.Equal(ProtectedFields.SaltKeySize, openKey.Length);

        var before = await ReceiptAsync(protectedPetition, signature);
        var openBefore = await ReceiptAsync(openPetition, openSignature);
        Assert.Equal(ReceiptCheck.Valid, MerkleReceipt.FromCompact(before).Verify(protectedDelivery.MerkleRoot!, protectedDelivery.SignatureCount));

        Assert.Equal(1, await Sealing.RunOnceAsync(default));

        var sealedKey = await RawSaltKeyAsync(protectedDelivery.Id);
        Assert.NotEqual(ProtectedFields.SaltKeySize, sealedKey.Length);
        Assert.NotEqual(plain, sealedKey);
        Assert.Equal(-1, sealedKey.AsSpan().IndexOf(plain));
        Assert.Equal(plain, Fields.OpenSaltKey(protectedPetition.Id, sealedKey));
        Assert.Equal(before, await ReceiptAsync(protectedPetition, signature));
        Assert.Equal(openKey, await RawSaltKeyAsync(openDelivery.Id));
        Assert.Equal(openBefore, await ReceiptAsync(openPetition, openSignature));

        // /my still shows the same receipt.
        using var browser = App.CreateBrowser();
        var list = await MySignaturesSteps.OpenListAsync(browser, MailDev, email);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var shown = VerifyController.Parse(list.One($"section[data-signature='{signature.Id}'] a.receipt-link").GetAttribute("href")!);
        Assert.Equal(before, shown.ToCompact());

        Assert.Equal(0, await Sealing.RunOnceAsync(default));
        Assert.Equal(sealedKey, await RawSaltKeyAsync(protectedDelivery.Id));
        Assert.Equal(openKey, await RawSaltKeyAsync(openDelivery.Id));
    }

    [Fact]
    public async Task WhileAnotherNodeHoldsTheLock_NothingIsSealed_AndAfterItAllBatchesAre()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        var plain = new List<(long Id, byte[] Key)>();
        for (var i = 0; i < SaltKeySealing.BatchSize + 3; i++)
        {
            plain.Add((await LegacyDeliveryAsync(petition), RandomNumberGenerator.GetBytes(ProtectedFields.SaltKeySize)));
        }

        foreach (var (id, key) in plain)
        {
            await SetSaltKeyAsync(id, key);
        }

        await using (var otherNode = new NpgsqlConnection(App.ConnectionString))
        {
            await otherNode.OpenAsync();
            await using var transaction = await otherNode.BeginTransactionAsync();
            await using var take = new NpgsqlCommand(WorkerSql.TryLock, otherNode, transaction).With(AdvisoryLocks.SaltKeySealing);
            Assert.Equal(true, await take.ExecuteScalarAsync());

            Assert.Null(await Sealing.RunOnceAsync(default));
            foreach (var (id, key) in plain)
            {
                Assert.Equal(key, await RawSaltKeyAsync(id));
            }
        }

        Assert.Equal(plain.Count, await Sealing.RunOnceAsync(default));
        foreach (var (id, key) in plain)
        {
            var stored = await RawSaltKeyAsync(id);
            Assert.NotEqual(ProtectedFields.SaltKeySize, stored.Length);
            Assert.Equal(key, Fields.OpenSaltKey(petition.Id, stored));
        }
    }

    [Fact]
    public async Task WithoutTheProtectionKey_PlainSaltKeysStay_AndOneWarningSaysSo()
    {
        var petition = await new PetitionBuilder().Protected().CreateAsync(App.Services);
        var id = await LegacyDeliveryAsync(petition);
        var key = RandomNumberGenerator.GetBytes(ProtectedFields.SaltKeySize);
        await SetSaltKeyAsync(id, key);

        await using var node = App.WithSettings(("Protection:Key", ""));
        var sealing = node.Services.GetRequiredService<SaltKeySealing>();
        Assert.Equal(0, await sealing.RunOnceAsync(default));
        Assert.Equal(0, await sealing.RunOnceAsync(default));

        Assert.Equal(key, await RawSaltKeyAsync(id));
        var warnings = App.Logs.Events.Where(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.Contains("Protection__Key", StringComparison.Ordinal)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("1 deliver", LogCapture.Render(warning), StringComparison.Ordinal);
        Assert.DoesNotContain(petition.Slug, LogCapture.Render(warning), StringComparison.Ordinal);
    }

    private async Task<(Petition Petition, Signature Signature, string Email)> DeliverAsync(bool isProtected)
    {
        var organizer = await App.SignInNewUserAsync();
        var builder = new PetitionBuilder().WithTitle(isProtected ? "Free the teachers" : "Fix the bridge").AddressedTo("Cllr Jane Porter");
        var petition = await (isProtected ? builder.Protected() : builder).CreateOwnedAsync(App, organizer.User);
        SignatureBuilder Signer(string name) =>
            isProtected ? new SignatureBuilder(petition.Id).Named(name).SealedWith(Fields) : new SignatureBuilder(petition.Id).Named(name);
        var email = UniqueEmail("signer");
        var signature = await Signer("Ali Rezaei").WithEmail(email).Confirmed().CreateAsync(App.Services);
        for (var i = 0; i < DeliveryTestKit.MinimumSignatures; i++)
        {
            await Signer($"Signer {i}").Confirmed().CreateAsync(App.Services);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await organizer.Browser.DeliverAsync(petition.Slug, "Here are the signatures.", (0, UniqueEmail("jane")))).Status);
        return (petition, signature, email);
    }

    /// <summary>The signer's receipt, as /my computes it, in its compact form.</summary>
    private async Task<string> ReceiptAsync(Petition petition, Signature signature)
    {
        var confirmedAt = await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == signature.Id).Select(s => s.ConfirmedAt!.Value).SingleAsync());
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        var receipts = await ReceiptLinks.ForSignaturesAsync(connection, App.Services.GetRequiredService<DeliveryTrees>(), Fields,
            [new SignatureLeaf(signature.Id, petition.Id, petition.Slug, "Ali Rezaei", confirmedAt)], default);
        return Assert.Single(receipts[signature.Id]).ToCompact();
    }

    private async Task<long> LegacyDeliveryAsync(Petition petition) =>
        (await App.DeliverDirectlyAsync(petition, DateTimeOffset.UtcNow.AddDays(-1))).Delivery.Id;

    private async Task<byte[]> RawSaltKeyAsync(long deliveryId)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT salt_key FROM deliveries WHERE id = $1", connection).With(deliveryId);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stores <paramref name="saltKey"/> as it is, as versions before sealing did.</summary>
    private async Task SetSaltKeyAsync(long deliveryId, byte[] saltKey)
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE deliveries SET salt_key = $2 WHERE id = $1", connection).With(deliveryId).With(saltKey);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
