using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Account;

public sealed record AccountLinkEmail(string Name, string Url);

/// <summary>Identity's emails, written to the outbox on the caller's DbContext so they commit with the change.</summary>
public sealed class AccountEmails(UserManager<ApplicationUser> users, EmailRenderer renderer, Outbox outbox, IOptions<SiteOptions> site)
{
    private readonly string baseUrl = site.Value.BaseUrl.TrimEnd('/');

    public async Task QueueConfirmationAsync(PetitionsDbContext db, ApplicationUser user)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var url = $"{baseUrl}/account/confirm?userId={Uri.EscapeDataString(user.Id)}&code={code}";
        await QueueAsync(db, "ConfirmAccount", "confirm-account", user, url);
    }

    public async Task QueuePasswordResetAsync(PetitionsDbContext db, ApplicationUser user)
    {
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var url = $"{baseUrl}/account/reset-password?userId={Uri.EscapeDataString(user.Id)}&code={code}";
        await QueueAsync(db, "ResetPassword", "reset-password", user, url);
    }

    public Task QueueAccountExistsAsync(PetitionsDbContext db, ApplicationUser user) =>
        QueueAsync(db, "AccountExists", "account-exists", user, $"{baseUrl}/account/forgot-password");

    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));

    private async Task QueueAsync(PetitionsDbContext db, string template, string kind, ApplicationUser user, string url)
    {
        var content = await renderer.RenderAsync(template, new AccountLinkEmail(user.DisplayName, url));
        db.OutboxMessages.Add(outbox.Create(kind, user.Email!, user.DisplayName, content));
    }
}
