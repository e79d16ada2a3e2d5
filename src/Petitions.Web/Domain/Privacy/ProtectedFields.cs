using System.Globalization;
using Microsoft.Extensions.Options;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Domain.Privacy;

/// <summary>A signer's personal fields in the clear, as typed (or as retention left them).</summary>
public sealed record SignerFields(string FullName, string Email, string PostcodeOrCity, string? Reason);

/// <summary>What a protected signature stores: the email key (hex) in normalized_email and base64 ciphertexts.</summary>
public sealed record SealedSignerFields(string NormalizedEmail, string FullName, string Email, string PostcodeOrCity, string? Reason);

/// <summary>
/// The one place that turns a protected petition's signer fields into what is stored and back. Stored as base64 text in
/// the existing columns rather than new bytea ones, so the unique (petition_id, normalized_email) index, retention's
/// anonymization and every reader keep one column per field; the petition's <c>protected</c> flag says how to read them.
/// </summary>
public sealed class ProtectedFields(IOptions<ProtectionOptions> options) : IDisposable
{
    /// <summary>The size of a delivery's salt key in the clear.</summary>
    public const int SaltKeySize = 32;

    private readonly Lazy<SignerProtection> protection = new(() => new SignerProtection(options));

    /// <summary>Whether Protection__Key is set, so petitions may be protected.</summary>
    public bool IsAvailable => options.Value.IsConfigured;

    /// <summary>What normalized_email holds for this address on a protected petition: its keyed hash in lower-case hex.</summary>
    public string EmailKey(string normalizedEmail) => Convert.ToHexStringLower(protection.Value.EmailKey(normalizedEmail));

    /// <summary>The address's identity on a petition: its keyed hash when protected, else the normalized address.</summary>
    public string Identity(bool isProtected, string normalizedEmail) => isProtected ? EmailKey(normalizedEmail) : normalizedEmail;

    /// <summary>Both ways an address can be stored, for look-ups across petitions (/my, erasure, moderators' exact search).</summary>
    public IReadOnlyList<string> Identities(string normalizedEmail) =>
        IsAvailable ? [normalizedEmail, .. protection.Value.EmailKeys(normalizedEmail).Select(Convert.ToHexStringLower)] : [normalizedEmail];

    public SealedSignerFields Seal(long petitionId, string normalizedEmail, SignerFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var p = protection.Value;
        var key = p.EmailKey(normalizedEmail);
        string Encrypt(string column, string value) => Convert.ToBase64String(p.Encrypt(value, ProtectedColumns.SignatureField(column, petitionId, key)));
        return new SealedSignerFields(
            Convert.ToHexStringLower(key),
            Encrypt(ProtectedColumns.FullName, fields.FullName),
            Encrypt(ProtectedColumns.Email, fields.Email),
            Encrypt(ProtectedColumns.PostcodeOrCity, fields.PostcodeOrCity),
            fields.Reason is null ? null : Encrypt(ProtectedColumns.Reason, fields.Reason));
    }

    /// <summary>
    /// The stored fields of one signature in the clear. Unprotected rows come back as they are, and so do protected rows
    /// that retention has anonymized (their normalized_email is no longer an email key).
    /// </summary>
    public SignerFields Open(bool isProtected, long petitionId, string storedNormalizedEmail, string fullName, string email, string postcodeOrCity, string? reason)
    {
        var fields = new SignerFields(fullName, email, postcodeOrCity, reason);
        if (!isProtected || ParseKey(storedNormalizedEmail) is not { } key)
        {
            return fields;
        }

        var p = protection.Value;
        string Decrypt(string column, string value) =>
            value.Length == 0 ? value : p.Decrypt(Convert.FromBase64String(value), ProtectedColumns.SignatureField(column, petitionId, key));
        return new SignerFields(
            Decrypt(ProtectedColumns.FullName, fullName),
            Decrypt(ProtectedColumns.Email, email),
            Decrypt(ProtectedColumns.PostcodeOrCity, postcodeOrCity),
            reason is null ? null : Decrypt(ProtectedColumns.Reason, reason));
    }

    /// <summary>
    /// What a protected petition's delivery stores as its receipts' salt key: the key encrypted like a signer's field
    /// (as base64 text), so a copy of the database cannot recompute a leaf's salt and test guessed names against it.
    /// </summary>
    public byte[] SealSaltKey(long petitionId, byte[] saltKey)
    {
        ArgumentNullException.ThrowIfNull(saltKey);
        return protection.Value.Encrypt(Convert.ToBase64String(saltKey), ProtectedColumns.SaltKey(petitionId));
    }

    /// <summary>A delivery's salt key in the clear: stored as is (32 bytes) for other petitions, sealed for protected ones.</summary>
    public byte[] OpenSaltKey(long petitionId, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Length == SaltKeySize ? stored : Convert.FromBase64String(protection.Value.Decrypt(stored, ProtectedColumns.SaltKey(petitionId)));
    }

    /// <summary>"A. R." for "Ali Rezaei": what a protected petition delivers when its organizer chose initials only.</summary>
    public static string Initials(string fullName) =>
        string.Join(' ', (fullName ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => StringInfo.GetNextTextElementLength(w) is var n and > 0 ? w[..n].ToUpper(CultureInfo.InvariantCulture) + "." : ""));

    public void Dispose()
    {
        if (protection.IsValueCreated)
        {
            protection.Value.Dispose();
        }
    }

    private static byte[]? ParseKey(string stored) =>
        stored.Length == SignerProtection.EmailKeySize * 2 && stored.All(char.IsAsciiHexDigitLower) ? Convert.FromHexString(stored) : null;
}

public static class ProtectedModeServices
{
    public static IServiceCollection AddProtectedMode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProtectionOptions, ProtectionOptionsValidator>(configuration, ProtectionOptions.Section);
        services.AddSingleton<ProtectedFields>();
        return services;
    }
}
