using System.Security.Cryptography;
using System.Text;

namespace Petitions.Web.Domain;

/// <summary>
/// A recipient's download link: 128 random bits as 22 base64url characters. Only the SHA-256 of the token is stored,
/// so a copy of the database does not open anyone's link.
/// </summary>
public static class RecipientTokens
{
    public const int Length = 22;

    public static (string Token, byte[] Hash) Create()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>A token as the site issues it. Anything else is refused before a lookup.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
