using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.WebUtilities;

namespace Petitions.Web.Domain.Privacy;

public enum ReceiptCheck
{
    /// <summary>The receipt's leaf is in the tree whose root and size were published.</summary>
    Valid,

    /// <summary>The fields, salt, index, size and path do not lead to the receipt's root: something was altered.</summary>
    ProofFails,

    /// <summary>The receipt is consistent in itself, but its root or tree size is not the one published for the delivery.</summary>
    NotThisDelivery,
}

/// <summary>
/// One signer's proof that their signature is in a delivery: the fields and salt of their leaf, its index, and the path
/// to the published root. The format is in docs/receipts.md; verify-receipt.js checks it in the browser.
/// </summary>
public sealed record MerkleReceipt(
    string Petition,
    string Delivery,
    string DeliveredAt,
    byte[] Root,
    long TreeSize,
    long LeafIndex,
    byte[] Salt,
    MerkleLeafFields Signature,
    IReadOnlyList<byte[]> Path)
{
    public const int Version = 1;
    public const int MaxPath = 64;
    private const int MaxCompactBytes = 8192;

    private static readonly JsonSerializerOptions Json = new()
    {
        // Names stay readable (not \u-escaped); characters that matter in HTML still are.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = true,
    };

    public static MerkleReceipt Create(MerkleTree tree, int leafIndex, byte[] salt, MerkleLeafFields signature, string petition, string delivery, DateTimeOffset deliveredAt)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return new(petition, delivery, MerkleLeaf.Timestamp(deliveredAt), tree.Root, tree.Count, leafIndex, salt, signature, tree.Proof(leafIndex));
    }

    public byte[] LeafHash() => MerkleLeaf.Hash(Salt, Signature);

    /// <summary>Checks the receipt against the root and count published for its delivery.</summary>
    public ReceiptCheck Verify(ReadOnlySpan<byte> publishedRoot, long publishedTreeSize)
    {
        if (Salt.Length != MerkleLeaf.SaltSize || !MerkleTree.Verify(LeafHash(), LeafIndex, TreeSize, Path, Root))
        {
            return ReceiptCheck.ProofFails;
        }

        return TreeSize == publishedTreeSize && CryptographicOperations.FixedTimeEquals(Root, publishedRoot)
            ? ReceiptCheck.Valid
            : ReceiptCheck.NotThisDelivery;
    }

    public string ToJson() => JsonSerializer.Serialize(ReceiptJson.From(this), Json);

    /// <summary>The receipt in <paramref name="json"/>; throws <see cref="FormatException"/> for anything malformed.</summary>
    public static MerkleReceipt FromJson(string json)
    {
        try
        {
            var dto = JsonSerializer.Deserialize<ReceiptJson>(json, Json) ?? throw new FormatException("The receipt is empty.");
            return dto.ToReceipt();
        }
        catch (JsonException ex)
        {
            throw new FormatException("The receipt is not valid JSON.", ex);
        }
    }

    /// <summary>
    /// The receipt as one base64url string for an email link (about 1.1 KB for a million signatures). Put it in the
    /// link's fragment (#…), which browsers never send, so the name it holds stays out of server and proxy logs.
    /// </summary>
    public string ToCompact()
    {
        using var stream = new MemoryStream();
        stream.WriteByte(Version);
        WriteString(stream, Petition);
        WriteString(stream, Delivery);
        WriteString(stream, DeliveredAt);
        stream.Write(Root);
        WriteUInt32(stream, checked((uint)TreeSize));
        WriteUInt32(stream, checked((uint)LeafIndex));
        stream.Write(Salt);
        WriteString(stream, Signature.Id);
        WriteString(stream, Signature.Name);
        WriteString(stream, Signature.ConfirmedAt);
        stream.WriteByte(checked((byte)Path.Count));
        foreach (var node in Path)
        {
            stream.Write(node);
        }

        return WebEncoders.Base64UrlEncode(stream.ToArray());
    }

    /// <summary>The receipt in a compact string; throws <see cref="FormatException"/> for anything malformed.</summary>
    public static MerkleReceipt FromCompact(string compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        if (compact.Length > MaxCompactBytes * 4 / 3 + 4)
        {
            throw new FormatException("The receipt is too long.");
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(compact.Trim());
        }
        catch (FormatException ex)
        {
            throw new FormatException("The receipt is not base64url.", ex);
        }

        var reader = new Reader(bytes);
        if (reader.Byte() != Version)
        {
            throw new FormatException("The receipt has an unknown version.");
        }

        var petition = reader.String();
        var delivery = reader.String();
        var deliveredAt = reader.String();
        var root = reader.Bytes(MerkleTree.HashSize);
        var treeSize = reader.UInt32();
        var leafIndex = reader.UInt32();
        var salt = reader.Bytes(MerkleLeaf.SaltSize);
        var signature = new MerkleLeafFields(reader.String(), reader.String(), reader.String());
        var path = new byte[reader.Byte()][];
        for (var i = 0; i < path.Length; i++)
        {
            path[i] = reader.Bytes(MerkleTree.HashSize);
        }

        reader.End();
        return Checked(new MerkleReceipt(petition, delivery, deliveredAt, root, treeSize, leafIndex, salt, signature, path));
    }

    private static MerkleReceipt Checked(MerkleReceipt receipt)
    {
        if (receipt.TreeSize is < 1 or > uint.MaxValue || receipt.LeafIndex < 0 || receipt.LeafIndex >= receipt.TreeSize)
        {
            throw new FormatException("The receipt's leaf index must be below its tree size.");
        }

        if (receipt.Path.Count > MaxPath)
        {
            throw new FormatException("The receipt's path is too long.");
        }

        return receipt;
    }

    private static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)bytes.Length));
        stream.Write(length);
        stream.Write(bytes);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private sealed class Reader(byte[] bytes)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private int offset;

        public byte Byte() => Bytes(1)[0];

        public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));

        public string String()
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));
            try
            {
                return StrictUtf8.GetString(Bytes(length));
            }
            catch (DecoderFallbackException ex)
            {
                throw new FormatException("The receipt holds text that is not UTF-8.", ex);
            }
        }

        public byte[] Bytes(int count)
        {
            if (count > bytes.Length - offset)
            {
                throw new FormatException("The receipt is cut short.");
            }

            offset += count;
            return bytes[(offset - count)..offset];
        }

        public void End()
        {
            if (offset != bytes.Length)
            {
                throw new FormatException("The receipt has bytes after its end.");
            }
        }
    }

    private sealed class ReceiptJson
    {
        [JsonPropertyName("version")]
        public int Version { get; set; }

        [JsonPropertyName("petition")]
        public string? Petition { get; set; }

        [JsonPropertyName("delivery")]
        public string? Delivery { get; set; }

        [JsonPropertyName("delivered_at")]
        public string? DeliveredAt { get; set; }

        [JsonPropertyName("root")]
        public string? Root { get; set; }

        [JsonPropertyName("tree_size")]
        public long TreeSize { get; set; }

        [JsonPropertyName("leaf_index")]
        public long LeafIndex { get; set; }

        [JsonPropertyName("salt")]
        public string? Salt { get; set; }

        [JsonPropertyName("signature")]
        public SignatureJson? Signature { get; set; }

        [JsonPropertyName("path")]
        public List<string>? Path { get; set; }

        public static ReceiptJson From(MerkleReceipt r) => new()
        {
            Version = MerkleReceipt.Version,
            Petition = r.Petition,
            Delivery = r.Delivery,
            DeliveredAt = r.DeliveredAt,
            Root = Hex(r.Root),
            TreeSize = r.TreeSize,
            LeafIndex = r.LeafIndex,
            Salt = Hex(r.Salt),
            Signature = new SignatureJson { Id = r.Signature.Id, Name = r.Signature.Name, ConfirmedAt = r.Signature.ConfirmedAt },
            Path = [.. r.Path.Select(Hex)],
        };

        public MerkleReceipt ToReceipt()
        {
            if (Version != MerkleReceipt.Version)
            {
                throw new FormatException("The receipt has an unknown version.");
            }

            var signature = Signature ?? throw new FormatException("The receipt has no signature.");
            return Checked(new MerkleReceipt(
                Required(Petition, "petition"),
                Required(Delivery, "delivery"),
                Required(DeliveredAt, "delivered_at"),
                FromHex(Root, MerkleTree.HashSize, "root"),
                TreeSize,
                LeafIndex,
                FromHex(Salt, MerkleLeaf.SaltSize, "salt"),
                new MerkleLeafFields(Required(signature.Id, "signature.id"), Required(signature.Name, "signature.name"), Required(signature.ConfirmedAt, "signature.confirmed_at")),
                [.. (Path ?? throw new FormatException("The receipt has no path.")).Select(p => FromHex(p, MerkleTree.HashSize, "path"))]));
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        private static string Required(string? value, string name) => value ?? throw new FormatException($"The receipt has no {name}.");

        private static byte[] FromHex(string? hex, int size, string name)
        {
            var bytes = hex is { Length: > 0 } && hex.Length == size * 2 ? TryHex(hex) : null;
            return bytes ?? throw new FormatException($"The receipt's {name} must be {size * 2} hexadecimal digits.");
        }

        private static byte[]? TryHex(string hex)
        {
            try
            {
                return Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private sealed class SignatureJson
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("confirmed_at")]
        public string? ConfirmedAt { get; set; }
    }
}
