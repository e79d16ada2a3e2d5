using System.Security.Cryptography;
using System.Text;

namespace Petitions.Web.Domain;

/// <summary>Single-use link tokens: 256 random bits for the link, and only their SHA-256 kept in the database.</summary>
public static class Tokens
{
    public static (string Token, byte[] Hash) Create()
    {
        var token = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>A token as the site issues it: 43 base64url characters. Anything else is refused before a lookup.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
