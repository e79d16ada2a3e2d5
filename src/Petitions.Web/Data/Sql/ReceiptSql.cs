using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>Statements for delivery receipts (docs/receipts.md): the tree's leaves, and the published roots.</summary>
public static class ReceiptSql
{
    /// <summary>$1 petition, $2 confirmed by: the leaf fields of every delivered signature, in tree order (by id), with what opens a protected name.</summary>
    public const string DeliveredLeaves =
        $"""
        SELECT s.id, s.full_name, s.confirmed_at, s.normalized_email, p.protected, s.petition_id
        FROM signatures s JOIN petitions p ON p.id = s.petition_id
        WHERE s.petition_id = $1 AND s.state = {Confirmed} AND s.confirmed_at <= $2
        ORDER BY s.id
        """;

    /// <summary>$1 delivery, $2 leaves (32 bytes each), $3 signature ids (8 bytes each, big-endian).</summary>
    public const string InsertTree = "INSERT INTO delivery_trees (delivery_id, leaves, signature_ids) VALUES ($1, $2, $3)";

    /// <summary>$1 delivery: its leaves and signature ids.</summary>
    public const string LoadTree = "SELECT leaves, signature_ids FROM delivery_trees WHERE delivery_id = $1";

    /// <summary>$1 notification job: the latest delivery with a root made by the time the job was queued.</summary>
    public const string DeliveryOfJob =
        """
        SELECT d.id, d.delivered_at, d.merkle_root, d.salt_key, d.signature_count, d.petition_id
        FROM notification_jobs j JOIN deliveries d ON d.petition_id = j.petition_id
        WHERE j.id = $1 AND d.merkle_root IS NOT NULL AND d.delivered_at <= j.created_at
        ORDER BY d.delivered_at DESC, d.id DESC LIMIT 1
        """;

    /// <summary>$1 signature ids: their leaf fields now, to check they still match the delivered leaves.</summary>
    public const string LeafFields =
        """
        SELECT s.id, s.full_name, s.confirmed_at, s.normalized_email, p.protected, s.petition_id
        FROM signatures s JOIN petitions p ON p.id = s.petition_id
        WHERE s.id = ANY($1) AND s.confirmed_at IS NOT NULL
        """;

    /// <summary>$1 petition ids: their deliveries with a root, oldest first.</summary>
    public const string DeliveriesWithRoots =
        """
        SELECT d.id, d.petition_id, d.delivered_at, d.salt_key
        FROM deliveries d
        WHERE d.petition_id = ANY($1) AND d.merkle_root IS NOT NULL AND d.salt_key IS NOT NULL
        ORDER BY d.delivered_at, d.id
        """;

    /// <summary>
    /// $1 batch size: deliveries of protected petitions whose salt key is still the plain 32 bytes an older version
    /// stored (a sealed one is longer), by id.
    /// </summary>
    public const string PlainProtectedSaltKeys = $"SELECT d.id, d.petition_id, d.salt_key {PlainProtectedSaltKeyRows} ORDER BY d.id LIMIT $1";

    /// <summary>How many deliveries of protected petitions still hold a plain salt key.</summary>
    public const string CountPlainProtectedSaltKeys = $"SELECT count(*)::int {PlainProtectedSaltKeyRows}";

    private const string PlainProtectedSaltKeyRows =
        "FROM deliveries d JOIN petitions p ON p.id = d.petition_id WHERE p.protected AND octet_length(d.salt_key) = 32";

    /// <summary>$1 delivery, $2 its sealed salt key: only while the stored one is still plain, so a second run changes nothing.</summary>
    public const string SealSaltKey = "UPDATE deliveries SET salt_key = $2 WHERE id = $1 AND octet_length(salt_key) = 32";

    /// <summary>$1 slug, $2 delivery id: the published root, count and date.</summary>
    public const string Published =
        $"""
        SELECT d.merkle_root, d.signature_count, d.delivered_at, p.title
        FROM deliveries d JOIN petitions p ON p.id = d.petition_id
        WHERE p.slug = $1 AND d.id = $2 AND d.merkle_root IS NOT NULL AND p.status IN {Public}
        """;
}
