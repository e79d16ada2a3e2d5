using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Petitions.Web.Domain;

namespace Petitions.Web.Features.MySignatures;

/// <summary>
/// The short session a spent link starts: an encrypted, signed cookie naming the normalized address and when it ends
/// (an hour after the link was opened). Nothing about it is stored on the server; the link itself is spent.
/// </summary>
public sealed class MySession(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string CookieName = "petitions.my";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly IDataProtector protector = protection.CreateProtector("Petitions.MySignatures.Session.v1");

    public void Start(HttpContext context, string normalizedEmail)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        var ends = clock.GetUtcNow() + Lifetime;
        var email = Encoding.UTF8.GetBytes(normalizedEmail);
        var payload = new byte[sizeof(long) + email.Length];
        BitConverter.TryWriteBytes(payload, ends.ToUnixTimeSeconds());
        email.CopyTo(payload, sizeof(long));
        context.Response.Cookies.Append(CookieName, protector.ProtectToken(payload), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = ends,
            IsEssential = true,
        });
    }

    /// <summary>The session's normalized address, or null when there is none, it has ended, or the cookie was tampered with.</summary>
    public string? Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (protector.UnprotectToken(context.Request.Cookies[CookieName]) is not { Length: > sizeof(long) } bytes)
        {
            return null;
        }

        var ends = DateTimeOffset.FromUnixTimeSeconds(BitConverter.ToInt64(bytes));
        return ends > clock.GetUtcNow() ? Encoding.UTF8.GetString(bytes, sizeof(long), bytes.Length - sizeof(long)) : null;
    }

    public static void End(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
    }
}
