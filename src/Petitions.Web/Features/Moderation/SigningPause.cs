using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Admin;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

/// <summary>
/// The site-wide pause as the petition page sees it, read at most every few seconds. Signing itself reads the flag
/// in the statement that already loads the petition (SignatureSql.FindPetition), so it is never stale there.
/// </summary>
public sealed class SigningPause(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Message = "Signing is paused while moderators look into unusual activity. Please try again later.";
    public const int MaxReasonLength = 2000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    // One immutable reading swapped whole, so concurrent requests never see a torn value.
    private volatile Reading? cached;

    public async Task<bool> SiteWidePausedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (cached is { } c && now - c.ReadAt < Lifetime)
        {
            return c.Paused;
        }

        await using var command = dataSource.CreateCommand(SignatureSql.FindPausedSiteWide);
        var paused = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        cached = new Reading(paused, now);
        return paused;
    }

    public void Forget() => cached = null;

    private sealed record Reading(bool Paused, DateTimeOffset ReadAt);

    public static string? ReasonError(Texts t, string? reason)
    {
        ArgumentNullException.ThrowIfNull(t);
        return string.IsNullOrWhiteSpace(reason) ? t["Say why signing is paused"]
            : reason.Length > MaxReasonLength || reason.Contains('\0', StringComparison.Ordinal) ? t["The reason must be {0} characters or fewer", MaxReasonLength] : null;
    }
}

/// <summary>Pausing and resuming: the flag and its audit row commit together, then cached pages are forgotten.</summary>
public sealed class SigningPauseActions(PetitionsDbContext db, AuditLog audit, SigningPause pause, ModerationDecisions decisions, TimeProvider clock)
{
    public async Task SetPetitionAsync(Petition petition, bool paused, string? reason, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        ArgumentNullException.ThrowIfNull(moderator);
        petition.SigningPausedAt = paused ? clock.GetUtcNow() : null;
        await audit.WriteAsync(moderator.FindFirstValue(ClaimTypes.NameIdentifier), paused ? AuditAction.PauseSigning : AuditAction.ResumeSigning,
            AuditTarget.Petition, petition.Id.ToString(CultureInfo.InvariantCulture), petition.Id, reason, cancellationToken);
        await decisions.ForgetCachedPagesAsync(cancellationToken);
    }

    public async Task SetSiteWideAsync(bool paused, string? reason, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moderator);
        var settings = await db.SiteSettings.SingleOrDefaultAsync(s => s.Id == SiteSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            // The migration seeds the row; a database emptied by hand (or by the tests' reset) gets it back here.
            settings = new SiteSettings();
            db.SiteSettings.Add(settings);
        }

        settings.SigningPausedAt = paused ? clock.GetUtcNow() : null;
        await audit.WriteAsync(moderator.FindFirstValue(ClaimTypes.NameIdentifier), paused ? AuditAction.PauseSigning : AuditAction.ResumeSigning,
            AuditTarget.Site, "site", null, reason, cancellationToken);
        pause.Forget();
        await decisions.ForgetCachedPagesAsync(cancellationToken);
    }
}
