using FluentValidation;

namespace Petitions.Web.Domain.Privacy;

/// <summary>
/// The master key that encrypts protected signers' personal fields (see <see cref="SignerProtection"/>).
/// Generate one with <c>openssl rand -base64 32</c>; every node needs the same value.
/// </summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";
    public const int KeySize = 32;

    /// <summary>Base64 of 32 random bytes. Encrypts new values and keys the email hash.</summary>
    public string? Key { get; set; }

    /// <summary>Comma-separated older keys, still used to decrypt values written before a rotation; never to encrypt.</summary>
    public string PreviousKeys { get; set; } = "";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Key);

    public static IEnumerable<string> Items(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The 32 key bytes, or null when the text is not the base64 of exactly 32 bytes.</summary>
    public static byte[]? ParseKey(string? text)
    {
        var buffer = new byte[KeySize + 3];
        return Convert.TryFromBase64String(text?.Trim() ?? "", buffer, out var written) && written == KeySize
            ? buffer[..KeySize]
            : null;
    }
}

public sealed class ProtectionOptionsValidator : AbstractValidator<ProtectionOptions>
{
    private const string HowToGenerate = "generate one with: openssl rand -base64 32";

    public ProtectionOptionsValidator()
    {
        RuleFor(o => o.Key).Must(k => ProtectionOptions.ParseKey(k) is not null).When(o => o.IsConfigured)
            .WithMessage($"Protection__Key must be the base64 of 32 random bytes; {HowToGenerate}");
        RuleFor(o => o.Key).NotEmpty().When(o => ProtectionOptions.Items(o.PreviousKeys).Any())
            .WithMessage("Protection__Key is required when Protection__PreviousKeys is set: previous keys only decrypt, the current key encrypts");
        RuleForEach(o => ProtectionOptions.Items(o.PreviousKeys)).Must(k => ProtectionOptions.ParseKey(k) is not null)
            .OverridePropertyName("PreviousKeys")
            .WithMessage((_, _) => "Protection__PreviousKeys must be base64 keys of 32 bytes each, separated by commas");
    }
}
