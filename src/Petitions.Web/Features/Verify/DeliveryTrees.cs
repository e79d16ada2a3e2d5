using System.Buffers.Binary;
using System.Data;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Web.Features.Verify;

/// <summary>A delivery's tree with the signature id of each leaf (ascending, so a leaf is found by binary search).</summary>
public sealed class DeliveredTree(MerkleTree tree, long[] signatureIds)
{
    public MerkleTree Tree { get; } = tree;

    public IReadOnlyList<long> SignatureIds => signatureIds;

    public int IndexOf(long signatureId) => Array.BinarySearch(signatureIds, signatureId);
}

/// <summary>
/// Builds, stores and reloads delivery trees (docs/receipts.md), and issues receipts from them.
/// </summary>
/// <remarks>
/// Salts: each delivery draws a random 32-byte key, stored on its row and never shown; a leaf's salt is the first 16
/// bytes of HMAC-SHA256(key, signature id). That is one value per delivery instead of a million stored salts, it needs
/// no server secret that could be lost or rotated, and anyone without the database still cannot test a guessed name
/// against another signer's leaf. The leaves themselves are stored too, so receipts can be issued after the delivery
/// even when signatures are withdrawn or erased in between; a leaf that no longer matches its signature gets none.
/// </remarks>
public sealed class DeliveryTrees
{
    private readonly Lock gate = new();

    // The worker sends a delivery's notices in many batches; the last tree read stays in memory (32 bytes a leaf).
    private (long DeliveryId, DeliveredTree Tree)? cached;

    public static byte[] NewSaltKey() => RandomNumberGenerator.GetBytes(ProtectedFields.SaltKeySize);

    public static byte[] Salt(ReadOnlySpan<byte> saltKey, long signatureId)
    {
        Span<byte> id = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(id, signatureId);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(saltKey, id, mac);
        return mac[..MerkleLeaf.SaltSize].ToArray();
    }

    /// <summary>Streams the delivered signatures (confirmed by <paramref name="by"/>) into a tree: only leaf hashes stay in memory.</summary>
    public static async Task<DeliveredTree> BuildAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long petitionId, DateTimeOffset by,
        byte[] saltKey, Domain.Privacy.ProtectedFields protectedFields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(protectedFields);
        var builder = new MerkleTreeBuilder();
        var ids = new List<long>();
        await using (var command = new NpgsqlCommand(ReceiptSql.DeliveredLeaves, connection, transaction).With(petitionId).WithTimestamp(by))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetInt64(0);
                builder.Add(Salt(saltKey, id), MerkleLeafFields.From(id, OpenName(protectedFields, reader), reader.GetFieldValue<DateTimeOffset>(2)));
                ids.Add(id);
            }
        }

        return new DeliveredTree(builder.Build(), [.. ids]);
    }

    /// <summary>
    /// The name in the clear of a row of <see cref="ReceiptSql.DeliveredLeaves"/> or <see cref="ReceiptSql.LeafFields"/>: a leaf
    /// hashes what the signer typed, so a protected signer's receipt verifies as anyone else's.
    /// </summary>
    public static string OpenName(Domain.Privacy.ProtectedFields protectedFields, NpgsqlDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(protectedFields);
        ArgumentNullException.ThrowIfNull(reader);
        return protectedFields.Open(reader.GetBoolean(4), reader.GetInt64(5), reader.GetString(3), reader.GetString(1), "", "", null).FullName;
    }

    /// <summary>Stores the tree of delivery <paramref name="deliveryId"/> in the caller's transaction, and keeps it for the notices.</summary>
    public async Task StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long deliveryId, DeliveredTree tree,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var signatureIds = tree.SignatureIds;
        var count = tree.Tree.Count;
        await using var leaves = new LeafStream(tree.Tree);
        var idBytes = new byte[signatureIds.Count * sizeof(long)];
        for (var i = 0; i < signatureIds.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(idBytes.AsSpan(i * sizeof(long)), signatureIds[i]);
        }

        await using var command = new NpgsqlCommand(ReceiptSql.InsertTree, connection, transaction).With(deliveryId);
        command.Parameters.Add(new NpgsqlParameter { Value = leaves, NpgsqlDbType = NpgsqlDbType.Bytea, Size = count * MerkleTree.HashSize });
        command.Parameters.Add(new NpgsqlParameter { Value = idBytes, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(deliveryId, tree);
    }

    /// <summary>The tree of a delivery, from memory or streamed from the database; null when it has none.</summary>
    public async Task<DeliveredTree?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long deliveryId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (cached is { } c && c.DeliveryId == deliveryId)
            {
                return c.Tree;
            }
        }

        await using var command = new NpgsqlCommand(ReceiptSql.LoadTree, connection, transaction).With(deliveryId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var builder = new MerkleTreeBuilder();
        var leaf = new byte[MerkleTree.HashSize];
        await using (var leaves = await reader.GetStreamAsync(0, cancellationToken))
        {
            while (await ReadFullAsync(leaves, leaf, cancellationToken))
            {
                builder.Add(leaf);
            }
        }

        var ids = new long[builder.Count];
        var id = new byte[sizeof(long)];
        await using (var stream = await reader.GetStreamAsync(1, cancellationToken))
        {
            for (var i = 0; i < ids.Length && await ReadFullAsync(stream, id, cancellationToken); i++)
            {
                ids[i] = BinaryPrimitives.ReadInt64BigEndian(id);
            }
        }

        var tree = new DeliveredTree(builder.Build(), ids);
        Remember(deliveryId, tree);
        return tree;
    }

    /// <summary>
    /// The receipt of one signature, or null when it is not in the tree or its fields no longer hash to its leaf
    /// (renamed, erased or anonymized since the delivery).
    /// </summary>
    public static MerkleReceipt? Receipt(DeliveredTree tree, byte[] saltKey, long signatureId, string name, DateTimeOffset confirmedAt,
        string petitionSlug, long deliveryId, DateTimeOffset deliveredAt)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var index = tree.IndexOf(signatureId);
        if (index < 0)
        {
            return null;
        }

        var salt = Salt(saltKey, signatureId);
        var fields = MerkleLeafFields.From(signatureId, name, confirmedAt);
        if (!MerkleLeaf.Hash(salt, fields).AsSpan().SequenceEqual(tree.Tree.Leaf(index)))
        {
            return null;
        }

        return MerkleReceipt.Create(tree.Tree, index, salt, fields, petitionSlug, deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture), deliveredAt);
    }

    private void Remember(long deliveryId, DeliveredTree tree)
    {
        lock (gate)
        {
            cached = (deliveryId, tree);
        }
    }

    private static async Task<bool> ReadFullAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == buffer.Length;
    }

    /// <summary>The tree's leaves as one read-only stream, so a million of them go to the database without a 32 MB copy.</summary>
    private sealed class LeafStream(MerkleTree tree) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => (long)tree.Count * MerkleTree.HashSize;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length && position < Length)
            {
                var leaf = tree.Leaf((int)(position / MerkleTree.HashSize))[(int)(position % MerkleTree.HashSize)..];
                var take = Math.Min(leaf.Length, buffer.Length - written);
                leaf[..take].CopyTo(buffer[written..]);
                written += take;
                position += take;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
