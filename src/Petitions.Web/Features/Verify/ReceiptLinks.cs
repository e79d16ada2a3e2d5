using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Web.Features.Verify;

/// <summary>Receipts for the signers a delivery notice goes to (<see cref="SiteLinks.Receipt"/> makes the link that carries one).</summary>
public static class ReceiptLinks
{
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

            (deliveryId, deliveredAt, saltKey) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<byte[]>(3));
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
