using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Petitions.Web.Domain.Privacy;

/// <summary>
/// The fields of one delivered signature, exactly as they are hashed into its leaf and written in its receipt. Build it
/// with <see cref="From"/>, which fixes the canonical form; a verifier hashes the strings as they are.
/// </summary>
/// <param name="Id">The signature id in decimal, no sign, no leading zeros.</param>
/// <param name="Name">The name as delivered, in Unicode NFC.</param>
/// <param name="ConfirmedAt">The confirmation time in RFC 3339 UTC, whole seconds (truncated): 2026-11-24T09:05:00Z.</param>
public sealed record MerkleLeafFields(string Id, string Name, string ConfirmedAt)
{
    public static MerkleLeafFields From(long signatureId, string name, DateTimeOffset confirmedAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signatureId);
        ArgumentNullException.ThrowIfNull(name);
        return new(
            signatureId.ToString(CultureInfo.InvariantCulture),
            MerkleLeaf.Canonical(name),
            MerkleLeaf.Timestamp(confirmedAt));
    }
}

/// <summary>
/// A leaf of a delivery's Merkle tree: <c>SHA-256(0x00 || salt || field(id) || field(name) || field(confirmed_at))</c>,
/// where <c>field(s) = 4-byte big-endian length of UTF-8(s) || UTF-8(s)</c> and the salt is 16 random bytes per
/// signature per delivery. The 0x00 prefix (0x01 for inner nodes, as in RFC 6962) keeps a leaf from passing as a node.
/// </summary>
public static class MerkleLeaf
{
    public const int SaltSize = 16;
    public const byte LeafPrefix = 0x00;

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltSize);

    /// <summary>The bytes that are hashed after the 0x00 prefix: salt || field(id) || field(name) || field(confirmed_at).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> salt, MerkleLeafFields fields) => Encode(salt, fields, start: 0);

    public static byte[] Hash(ReadOnlySpan<byte> salt, MerkleLeafFields fields)
    {
        var input = Encode(salt, fields, start: 1);
        input[0] = LeafPrefix;
        return SHA256.HashData(input);
    }

    /// <summary>NFC, after replacing any lone surrogate with U+FFFD as UTF-8 encoding would.</summary>
    public static string Canonical(string name) =>
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)).Normalize(NormalizationForm.FormC);

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Encode(ReadOnlySpan<byte> salt, MerkleLeafFields fields, int start)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (salt.Length != SaltSize)
        {
            throw new ArgumentException($"A leaf salt is {SaltSize} bytes.", nameof(salt));
        }

        var length = start + SaltSize + FieldSize(fields.Id) + FieldSize(fields.Name) + FieldSize(fields.ConfirmedAt);
        var result = new byte[length];
        salt.CopyTo(result.AsSpan(start));
        var offset = start + SaltSize;
        offset += WriteField(fields.Id, result.AsSpan(offset));
        offset += WriteField(fields.Name, result.AsSpan(offset));
        WriteField(fields.ConfirmedAt, result.AsSpan(offset));
        return result;
    }

    private static int FieldSize(string value) => sizeof(uint) + Encoding.UTF8.GetByteCount(value);

    private static int WriteField(string value, Span<byte> destination)
    {
        var written = Encoding.UTF8.GetBytes(value, destination[sizeof(uint)..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)written);
        return sizeof(uint) + written;
    }
}
