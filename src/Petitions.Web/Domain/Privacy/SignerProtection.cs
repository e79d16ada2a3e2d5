using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace Petitions.Web.Domain.Privacy;

/// <summary>
/// Encrypts protected signers' personal fields at rest and keys their email address for deduplication and exact
/// search, so a leaked database or backup holds no name, email, place or reason in the clear.
/// </summary>
/// <remarks>
/// <para>
/// XChaCha20-Poly1305 rather than AES-256-GCM: its 24-byte nonce can be drawn at random for every value with no
/// practical risk of a repeat (AES-GCM's 12-byte random nonce must stay far below 2^32 values per key, and a repeat
/// leaks the authentication key), it needs no AES hardware (libsodium offers AES-GCM only on CPUs with AES-NI), and it
/// runs in constant time in software.
/// </para>
/// <para>
/// Stored value: <c>version (0x01) || key id (1 byte) || nonce (24) || ciphertext || tag (16)</c>, so 42 bytes plus
/// the UTF-8 text. The two header bytes are authenticated too (they are prepended to the associated data).
/// </para>
/// <para>
/// Keys: the configured master key is never used directly. HKDF-SHA256 derives from it an encryption key, an email-hash
/// key and a one-byte key id, each under its own label, so the roles can never be confused. The key id tells
/// decryption which key to use after a rotation; two keys whose ids collide (1 in 256) are simply both tried.
/// </para>
/// </remarks>
public sealed class SignerProtection : IDisposable
{
    public const byte FormatVersion = 1;
    public const int EmailKeySize = 32;

    private const int HeaderSize = 2;
    private const int StackLimit = 512;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;
    private static readonly MacAlgorithm Mac = MacAlgorithm.HmacSha256;

    /// <summary>Bytes a stored value has beyond its UTF-8 text.</summary>
    public static readonly int Overhead = HeaderSize + Aead.NonceSize + Aead.TagSize;

    private readonly ProtectionKey current;
    private readonly ProtectionKey[] keys;

    public SignerProtection(IOptions<ProtectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var master = ProtectionOptions.ParseKey(settings.Key)
            ?? throw new InvalidOperationException("Protection__Key is not set or is not the base64 of 32 bytes: generate one with: openssl rand -base64 32");
        var previous = ProtectionOptions.Items(settings.PreviousKeys)
            .Select(k => ProtectionOptions.ParseKey(k) ?? throw new InvalidOperationException("Protection__PreviousKeys holds a key that is not the base64 of 32 bytes"));
        keys = [.. new[] { master }.Concat(previous).Select(ProtectionKey.Derive)];
        current = keys[0];
    }

    /// <summary>The id byte of the key that encrypts new values.</summary>
    public byte CurrentKeyId => current.Id;

    /// <summary>Encrypts <paramref name="plaintext"/> for the row and column named by <paramref name="associatedData"/>.</summary>
    public byte[] Encrypt(string plaintext, ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(plaintext.Length);
        var rented = maxBytes > StackLimit ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> plain = rented is null ? stackalloc byte[StackLimit] : rented;
        var adRented = HeaderSize + associatedData.Length > StackLimit ? ArrayPool<byte>.Shared.Rent(HeaderSize + associatedData.Length) : null;
        Span<byte> adBuffer = adRented is null ? stackalloc byte[StackLimit] : adRented;
        try
        {
            plain = plain[..Encoding.UTF8.GetBytes(plaintext, plain)];
            var result = new byte[Overhead + plain.Length];
            result[0] = FormatVersion;
            result[1] = current.Id;
            var nonce = result.AsSpan(HeaderSize, Aead.NonceSize);
            RandomNumberGenerator.Fill(nonce);
            var ad = WithHeader(result.AsSpan(0, HeaderSize), associatedData, adBuffer);
            Aead.Encrypt(current.Encryption, nonce, ad, plain, result.AsSpan(HeaderSize + Aead.NonceSize));
            return result;
        }
        finally
        {
            plain.Clear();
            Return(rented);
            Return(adRented);
        }
    }

    /// <summary>
    /// The text in <paramref name="ciphertext"/>; throws <see cref="ProtectedDataException"/> if it was altered, moved
    /// to another row or column, or encrypted with a key that is no longer configured.
    /// </summary>
    public string Decrypt(byte[] ciphertext, ReadOnlySpan<byte> associatedData)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < Overhead || ciphertext[0] != FormatVersion)
        {
            throw new ProtectedDataException("The value is not a protected field of a known format (version byte or length is wrong).");
        }

        var keyId = ciphertext[1];
        if (!keys.Any(k => k.Id == keyId))
        {
            throw new ProtectedDataException(
                $"The value was encrypted with key id {keyId}, which is neither Protection__Key nor in Protection__PreviousKeys.");
        }

        var adRented = HeaderSize + associatedData.Length > StackLimit ? ArrayPool<byte>.Shared.Rent(HeaderSize + associatedData.Length) : null;
        Span<byte> adBuffer = adRented is null ? stackalloc byte[StackLimit] : adRented;
        var ad = WithHeader(ciphertext.AsSpan(0, HeaderSize), associatedData, adBuffer);
        var nonce = ciphertext.AsSpan(HeaderSize, Aead.NonceSize);
        var sealedText = ciphertext.AsSpan(HeaderSize + Aead.NonceSize);
        var plain = new byte[sealedText.Length - Aead.TagSize];
        try
        {
            foreach (var key in keys)
            {
                if (key.Id == keyId && Aead.Decrypt(key.Encryption, nonce, ad, sealedText, plain))
                {
                    return Encoding.UTF8.GetString(plain);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            Return(adRented);
        }

        throw new ProtectedDataException(
            "The value failed authentication: it was altered, moved to another row or column, or encrypted with a different key.");
    }

    public byte[]? EncryptNullable(string? plaintext, ReadOnlySpan<byte> associatedData) =>
        plaintext is null ? null : Encrypt(plaintext, associatedData);

    public string? DecryptNullable(byte[]? ciphertext, ReadOnlySpan<byte> associatedData) =>
        ciphertext is null ? null : Decrypt(ciphertext, associatedData);

    /// <summary>Whether <paramref name="ciphertext"/> was made with the current key (a rotation job re-encrypts the rest).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> ciphertext) =>
        ciphertext.Length >= Overhead && ciphertext[0] == FormatVersion && ciphertext[1] == current.Id;

    /// <summary>
    /// HMAC-SHA256 of an address already normalized by <c>EmailAddresses.Normalize</c>, under the current key: the same
    /// for one address on every petition (dedup, "my signatures", moderators' exact search), meaningless without the key.
    /// </summary>
    public byte[] EmailKey(string normalizedEmail) => EmailKey(current, normalizedEmail);

    /// <summary>
    /// The address's key under every configured key, current first: while rows written before a rotation still carry
    /// an old email key, look up and deduplicate with all of these.
    /// </summary>
    public IReadOnlyList<byte[]> EmailKeys(string normalizedEmail) => [.. keys.Select(k => EmailKey(k, normalizedEmail))];

    public byte[]? EmailKeyNullable(string? normalizedEmail) => normalizedEmail is null ? null : EmailKey(normalizedEmail);

    public void Dispose()
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    private static byte[] EmailKey(ProtectionKey key, string normalizedEmail)
    {
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        return Mac.Mac(key.EmailHash, Encoding.UTF8.GetBytes(normalizedEmail));
    }

    // The AEAD sees header || caller's associated data, so the version and key id bytes cannot be swapped undetected.
    private static ReadOnlySpan<byte> WithHeader(ReadOnlySpan<byte> header, ReadOnlySpan<byte> associatedData, Span<byte> buffer)
    {
        header.CopyTo(buffer);
        associatedData.CopyTo(buffer[header.Length..]);
        return buffer[..(header.Length + associatedData.Length)];
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private sealed class ProtectionKey : IDisposable
    {
        private ProtectionKey(byte id, Key encryption, Key emailHash)
        {
            Id = id;
            Encryption = encryption;
            EmailHash = emailHash;
        }

        public byte Id { get; }
        public Key Encryption { get; }
        public Key EmailHash { get; }

        public static ProtectionKey Derive(byte[] master)
        {
            Span<byte> derived = stackalloc byte[32];
            try
            {
                HKDF.DeriveKey(HashAlgorithmName.SHA256, master, derived[..1], [], "petitions.protection.v1.key-id"u8);
                var id = derived[0];
                HKDF.DeriveKey(HashAlgorithmName.SHA256, master, derived, [], "petitions.protection.v1.encrypt"u8);
                var encryption = Key.Import(Aead, derived, KeyBlobFormat.RawSymmetricKey);
                HKDF.DeriveKey(HashAlgorithmName.SHA256, master, derived, [], "petitions.protection.v1.email-key"u8);
                var emailHash = Key.Import(Mac, derived, KeyBlobFormat.RawSymmetricKey);
                return new ProtectionKey(id, encryption, emailHash);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(derived);
                CryptographicOperations.ZeroMemory(master);
            }
        }

        public void Dispose()
        {
            Encryption.Dispose();
            EmailHash.Dispose();
        }
    }
}

/// <summary>A protected field that cannot be decrypted; the message never contains the value or any personal data.</summary>
public sealed class ProtectedDataException : CryptographicException
{
    public ProtectedDataException()
    {
    }

    public ProtectedDataException(string message)
        : base(message)
    {
    }

    public ProtectedDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The associated data that binds a protected value to its place. On the one-statement signing path the row id does not
/// exist before the INSERT, but the petition id and the email key do, and (petition id, email key) is unique per
/// signature row; so a ciphertext copied to another signer's row, another petition or another column fails to decrypt.
/// </summary>
public static class ProtectedColumns
{
    public const string FullName = "signatures.full_name";
    public const string Email = "signatures.email";
    public const string PostcodeOrCity = "signatures.postcode_or_city";
    public const string Reason = "signatures.reason";
    public const string DeliverySaltKey = "deliveries.salt_key";

    /// <summary><c>UTF-8("deliveries.salt_key") || 0x00 || petition id (8 bytes, big-endian)</c>: a delivery's salt key, bound to its petition.</summary>
    public static byte[] SaltKey(long petitionId)
    {
        var label = Encoding.UTF8.GetByteCount(DeliverySaltKey);
        var result = new byte[label + 1 + sizeof(long)];
        Encoding.UTF8.GetBytes(DeliverySaltKey, result);
        BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(label + 1), petitionId);
        return result;
    }

    /// <summary><c>UTF-8(column) || 0x00 || petition id (8 bytes, big-endian) || email key</c>.</summary>
    public static byte[] SignatureField(string column, long petitionId, ReadOnlySpan<byte> emailKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        if (emailKey.Length != SignerProtection.EmailKeySize)
        {
            throw new ArgumentException($"An email key is {SignerProtection.EmailKeySize} bytes.", nameof(emailKey));
        }

        var label = Encoding.UTF8.GetByteCount(column);
        var result = new byte[label + 1 + sizeof(long) + emailKey.Length];
        Encoding.UTF8.GetBytes(column, result);
        BinaryPrimitives.WriteInt64BigEndian(result.AsSpan(label + 1), petitionId);
        emailKey.CopyTo(result.AsSpan(label + 1 + sizeof(long)));
        return result;
    }
}
