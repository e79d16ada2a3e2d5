using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Moderation;

namespace Petitions.Web.Features.Reporting;

/// <summary>
/// Stores a visitor's report. One IP address has at most one open report per petition (a unique partial index): a
/// second report replaces the first's words instead of adding to the count. With Moderation__AutoHideReports set,
/// the report that reaches that many distinct open reports hides the petition until a moderator looks.
/// </summary>
public sealed class ReportHandler(PetitionsDbContext db, AuditLog audit, ModerationDecisions decisions, IOptions<ModerationOptions> options, TimeProvider clock)
{
    public async Task SubmitAsync(Petition petition, ModerationReason reason, string? details, string? email, string ipAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        details = string.IsNullOrWhiteSpace(details) ? null : details.Trim();
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlRawAsync(ReportSql.Upsert,
            [petition.Id, reason.ToString(), SqlParameters.Text(details), SqlParameters.Text(email), ipAddress, now], cancellationToken);

        var threshold = options.Value.AutoHideReports;
        if (threshold <= 0 || !petition.IsPublic)
        {
            return;
        }

        var open = await db.PetitionReports.CountAsync(r => r.PetitionId == petition.Id && r.ClosedAt == null, cancellationToken);
        if (open < threshold)
        {
            return;
        }

        var tracked = await db.Petitions.SingleAsync(p => p.Id == petition.Id, cancellationToken);
        if (tracked.Hide(ModerationReason.Other, $"Hidden automatically after {open} reports", now))
        {
            // The reports stay open: they are the moderators' queue for this petition.
            audit.Add(null, AuditAction.AutoHide, AuditTarget.Petition, petition.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), petition.Id, $"{open} reports");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException)
            {
                return;
            }

            await decisions.ForgetCachedPagesAsync(cancellationToken);
        }
    }
}
