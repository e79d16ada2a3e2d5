using System.Text.RegularExpressions;

namespace Petitions.Web.Domain;

public static partial class EmailAddresses
{
    public static bool IsWellFormed(string email) => email.Length <= 254 && HasAsciiLocalPart(email) && Pattern().IsMatch(email);

    /// <summary>
    /// Non-ASCII before the @ (RFC 6531) is refused: it needs SMTPUTF8 from every server on the way, and without it the
    /// address arrives garbled, so the confirmation would never reach the signer. Non-ASCII domains are not affected
    /// here (the pattern asks for their ASCII, xn--, form).
    /// </summary>
    public static bool HasAsciiLocalPart(string email)
    {
        var at = email.LastIndexOf('@');
        var local = at < 0 ? email : email[..at];
        return local.All(char.IsAscii);
    }

    public const string NonAsciiLocalPartMessage =
        "The part of your email address before the @ must use only the letters a to z, numbers and symbols such as . _ - +, because we cannot yet send email to addresses like مریم@example.com";

    /// <summary>
    /// The form one person's address takes, for the one-signature-per-person rule: trimmed and lower-cased; for Gmail,
    /// dots and +tags are dropped too, because Gmail delivers all those variants to the same inbox.
    /// </summary>
    public static string Normalize(string email)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var at = normalized.LastIndexOf('@');
        if (at <= 0)
        {
            return normalized;
        }

        var local = normalized[..at];
        var domain = normalized[(at + 1)..];
        if (domain is "gmail.com" or "googlemail.com")
        {
            var plus = local.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0)
            {
                local = local[..plus];
            }

            local = local.Replace(".", "", StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return $"{local}@{domain}";
    }

    // Pragmatic check: one @, no spaces or control characters, a dotted domain with a TLD of two or more letters.
    [GeneratedRegex(@"^[^@\s""<>()\[\],;:\p{Cc}]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
