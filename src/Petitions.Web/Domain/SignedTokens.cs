using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Petitions.Web.Domain;

/// <summary>
/// The links that need no storage and no login (unsubscribe, withdraw, suppression): a payload signed and encrypted
/// with the app's data-protection keys, in URL-safe Base64. A forged, cut or garbled token reads as null.
/// </summary>
public static class SignedTokens
{
    public static string ProtectToken(this IDataProtector protector, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return WebEncoders.Base64UrlEncode(protector.Protect(payload.ToArray()));
    }

    public static byte[]? UnprotectToken(this IDataProtector protector, string? token)
    {
        ArgumentNullException.ThrowIfNull(protector);
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
