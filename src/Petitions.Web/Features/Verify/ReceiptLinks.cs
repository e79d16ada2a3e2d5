using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Web.Features.Verify;

/// <summary>Receipts for the signers a delivery notice goes to (<see cref="SiteLinks.Receipt"/> makes the link that carries one).</summary>
public static class ReceiptLinks
{
    /// <summary>
    /// The receipts of <paramref name="signatures"/> (names in the clear) in every delivery of their petitions that holds
    /// them, by signature id, oldest delivery first: what "my signatures" shows, whether or not the signer asked for updates.
    /// </summary>
    public static async Task<Dictionary<long, List<MerkleReceipt>>> ForSignaturesAsync(NpgsqlConnection connection, DeliveryTrees trees,
        ProtectedFields protectedFields, IReadOnlyList<SignatureLeaf> signatures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentNullException.ThrowIfNull(protectedFields);
        ArgumentNullException.ThrowIfNull(signatures);
        var result = new Dictionary<long, List<MerkleReceipt>>();
        var byPetition = signatures.GroupBy(s => s.PetitionId).ToDictionary(g => g.Key, g => g.ToList());
        if (byPetition.Count == 0)
        {
            return result;
        }

        var deliveries = new List<(long Id, long PetitionId, DateTimeOffset DeliveredAt, byte[] SaltKey)>();
        await using (var find = new NpgsqlCommand(ReceiptSql.DeliveriesWithRoots, connection).With(byPetition.Keys.ToArray()))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                deliveries.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<byte[]>(3)));
            }
        }

        foreach (var delivery in deliveries)
        {
            var candidates = byPetition[delivery.PetitionId].Where(s => s.ConfirmedAt <= delivery.DeliveredAt).ToList();
            if (candidates.Count == 0 || await trees.LoadAsync(connection, null, delivery.Id, cancellationToken) is not { } tree)
            {
                continue;
            }

            var saltKey = protectedFields.OpenSaltKey(delivery.PetitionId, delivery.SaltKey);
            foreach (var s in candidates)
            {
                if (DeliveryTrees.Receipt(tree, saltKey, s.SignatureId, s.Name, s.ConfirmedAt, s.PetitionSlug, delivery.Id, delivery.DeliveredAt) is { } receipt)
                {
                    if (!result.TryGetValue(s.SignatureId, out var list))
                    {
                        result[s.SignatureId] = list = [];
                    }

                    list.Add(receipt);
                }
            }
        }

        return result;
    }

    /// <summary>The receipts of one batch of a delivery notice job, by signature id; signers not in the tree get none.</summary>
    public static async Task<Dictionary<long, MerkleReceipt>> ForBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DeliveryTrees trees,
        Domain.Privacy.ProtectedFields protectedFields, long jobId, string slug, long[] signatureIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var result = new Dictionary<long, MerkleReceipt>();
        if (signatureIds is not { Length: > 0 })
        {
            return result;
        }

        long deliveryId;
        DateTimeOffset deliveredAt;
        byte[] saltKey;
        await using (var find = new NpgsqlCommand(ReceiptSql.DeliveryOfJob, connection, transaction).With(jobId))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(3))
            {
                return result;
            }

            (deliveryId, deliveredAt) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
            saltKey = protectedFields.OpenSaltKey(reader.GetInt64(5), reader.GetFieldValue<byte[]>(3));
        }

        var tree = await trees.LoadAsync(connection, transaction, deliveryId, cancellationToken);
        if (tree is null)
        {
            return result;
        }

        await using var fields = new NpgsqlCommand(ReceiptSql.LeafFields, connection, transaction).With(signatureIds);
        await using var rows = await fields.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var id = rows.GetInt64(0);
            if (DeliveryTrees.Receipt(tree, saltKey, id, DeliveryTrees.OpenName(protectedFields, rows), rows.GetFieldValue<DateTimeOffset>(2), slug, deliveryId, deliveredAt) is { } receipt)
            {
                result[id] = receipt;
            }
        }

        return result;
    }
}

/// <summary>One signature's leaf fields in the clear, and its petition, to look for its receipts.</summary>
public sealed record SignatureLeaf(long SignatureId, long PetitionId, string PetitionSlug, string Name, DateTimeOffset ConfirmedAt);
