using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Account;

public sealed record AccountLinkEmail(string Name, string Url);

/// <summary>
/// Identity's emails, written to the outbox on the caller's DbContext so they commit with the change. A stranger can
/// cause every one of them, so each takes a send from <see cref="EmailThrottle"/> first: past the address's hourly
/// allowance nothing is queued, the method returns false, and the caller shows its usual page all the same.
/// </summary>
public sealed class AccountEmails(UserManager<ApplicationUser> users, EmailRenderer renderer, Outbox outbox, EmailThrottle throttle, SiteLinks links, Localization.SiteLanguages languages)
{
    // The emails are written in the language of the page that caused them, and their links open in it too.
    private Localization.Language Language => languages.Find(System.Globalization.CultureInfo.CurrentUICulture.Name) ?? languages.Default;

    public async Task<bool> QueueConfirmationAsync(PetitionsDbContext db, ApplicationUser user)
    {
        if (!await TakeSendAsync(db, user))
        {
            return false;
        }

        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var url = links.ConfirmAccount(user.Id, code, Language);
        await QueueAsync(db, EmailKind.ConfirmAccount, user, url);
        return true;
    }

    public async Task<bool> QueuePasswordResetAsync(PetitionsDbContext db, ApplicationUser user)
    {
        if (!await TakeSendAsync(db, user))
        {
            return false;
        }

        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var url = links.ResetPassword(user.Id, code, Language);
        await QueueAsync(db, EmailKind.ResetPassword, user, url);
        return true;
    }

    public async Task<bool> QueueAccountExistsAsync(PetitionsDbContext db, ApplicationUser user)
    {
        if (!await TakeSendAsync(db, user))
        {
            return false;
        }

        await QueueAsync(db, EmailKind.AccountExists, user, links.ForgotPassword(Language));
        return true;
    }

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

    // In the caller's transaction when it has one, so a registration that rolls back gives its send back.
    private Task<bool> TakeSendAsync(PetitionsDbContext db, ApplicationUser user)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
        return throttle.TryTakeAsync(user.Email!, CancellationToken.None, transaction?.Connection, transaction);
    }

    private async Task QueueAsync(PetitionsDbContext db, EmailKind kind, ApplicationUser user, string url)
    {
        var content = await renderer.RenderAsync(kind, new AccountLinkEmail(user.DisplayName, url));
        db.OutboxMessages.Add(outbox.Create(kind, user.Email!, user.DisplayName, content));
    }
}
