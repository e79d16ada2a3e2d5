using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Moderation;

public sealed record PetitionRow(long Id, string Slug, string Title, string StarterName, PetitionStatus Status, DateTimeOffset CreatedAt, int SignatureCount);

public sealed record ReportGroup(PetitionRow Petition, int Reports, DateTimeOffset Latest, IReadOnlyList<ModerationReason> Reasons);

public sealed record AuditRow(AuditLogEntry Entry, string? ActorEmail, string? PetitionSlug);

public sealed record ModerationHome(
    int QueueCount, IReadOnlyList<PetitionRow> Queue,
    int OpenReportCount, int ReportedPetitionCount, IReadOnlyList<ReportGroup> Reports,
    int HiddenCount, IReadOnlyList<PetitionRow> Hidden,
    int AuditCount, IReadOnlyList<AuditRow> RecentAudit);

public sealed record SupporterRow(long Id, string FullName, string? Reason, DateTimeOffset? ConfirmedAt, bool Hidden);

public sealed record ReviewModel(Petition Petition, string? OwnerEmail, IReadOnlyList<PetitionReport> OpenReports, IReadOnlyList<SupporterRow> Supporters, DecisionForm Form, string? FormAction);

public sealed class ModerationQueries(PetitionsDbContext db)
{
    public async Task<ModerationHome> HomeAsync(CancellationToken cancellationToken)
    {
        var queue = db.Petitions.AsNoTracking().Where(p => p.Status == PetitionStatus.AwaitingModeration);
        var hidden = db.Petitions.AsNoTracking().Where(p => p.Status == PetitionStatus.Hidden);
        var openReports = db.PetitionReports.AsNoTracking().Where(r => r.ClosedAt == null);
        return new ModerationHome(
            await queue.CountAsync(cancellationToken),
            await Rows(queue.OrderBy(p => p.CreatedAt).Take(20), cancellationToken),
            await openReports.CountAsync(cancellationToken),
            await openReports.Select(r => r.PetitionId).Distinct().CountAsync(cancellationToken),
            await ReportGroupsAsync(10, cancellationToken),
            await hidden.CountAsync(cancellationToken),
            await Rows(hidden.OrderByDescending(p => p.ModeratedAt).Take(10), cancellationToken),
            await db.AuditLog.CountAsync(cancellationToken),
            await AuditAsync(db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Take(10), cancellationToken));
    }

    public async Task<IReadOnlyList<ReportGroup>> ReportGroupsAsync(int take, CancellationToken cancellationToken)
    {
        var groups = await db.PetitionReports.AsNoTracking().Where(r => r.ClosedAt == null)
            .GroupBy(r => r.PetitionId)
            .Select(g => new { PetitionId = g.Key, Count = g.Count(), Latest = g.Max(r => r.CreatedAt) })
            .OrderByDescending(g => g.Count).ThenByDescending(g => g.Latest)
            .Take(take)
            .ToListAsync(cancellationToken);
        var ids = groups.Select(g => g.PetitionId).ToList();
        var petitions = (await Rows(db.Petitions.AsNoTracking().Where(p => ids.Contains(p.Id)), cancellationToken)).ToDictionary(p => p.Id);
        var reasons = (await db.PetitionReports.AsNoTracking().Where(r => r.ClosedAt == null && ids.Contains(r.PetitionId))
            .Select(r => new { r.PetitionId, r.Reason }).Distinct().ToListAsync(cancellationToken))
            .ToLookup(r => r.PetitionId, r => r.Reason);
        return groups.Where(g => petitions.ContainsKey(g.PetitionId))
            .Select(g => new ReportGroup(petitions[g.PetitionId], g.Count, g.Latest, reasons[g.PetitionId].Order().ToList()))
            .ToList();
    }

    public async Task<ReviewModel?> ReviewAsync(string slug, DecisionForm? form, string? formAction, CancellationToken cancellationToken)
    {
        var petition = await db.Petitions.AsNoTracking().Include(p => p.DecisionMakers.OrderBy(d => d.Position))
            .SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        if (petition is null)
        {
            return null;
        }

        var ownerEmail = petition.OwnerId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == petition.OwnerId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var reports = await db.PetitionReports.AsNoTracking().Where(r => r.PetitionId == petition.Id && r.ClosedAt == null)
            .OrderByDescending(r => r.CreatedAt).Take(100).ToListAsync(cancellationToken);
        // A protected petition shows nobody publicly, so there is nobody to hide.
        var supporters = petition.Protected ? [] : await db.Signatures.AsNoTracking()
            .Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Confirmed && s.ShowPublicly)
            .OrderByDescending(s => s.ConfirmedAt).Take(20)
            .Select(s => new SupporterRow(s.Id, s.FullName, s.Reason, s.ConfirmedAt, s.PublicHiddenAt != null))
            .ToListAsync(cancellationToken);
        return new ReviewModel(petition, ownerEmail, reports, supporters, form ?? new DecisionForm(), formAction);
    }

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(IQueryable<AuditLogEntry> entries, CancellationToken cancellationToken)
    {
        var list = await entries.ToListAsync(cancellationToken);
        var actorIds = list.Select(e => e.ActorId).OfType<string>().Distinct().ToList();
        var petitionIds = list.Select(e => e.PetitionId).OfType<long>().Distinct().ToList();
        var actors = await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        var slugs = await db.Petitions.AsNoTracking().Where(p => petitionIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Slug, cancellationToken);
        return list.Select(e => new AuditRow(
            e,
            e.ActorId is null ? null : actors.GetValueOrDefault(e.ActorId),
            e.PetitionId is null ? null : slugs.GetValueOrDefault(e.PetitionId.Value))).ToList();
    }

    private static async Task<IReadOnlyList<PetitionRow>> Rows(IQueryable<Petition> query, CancellationToken cancellationToken) =>
        await query.Select(p => new PetitionRow(p.Id, p.Slug, p.Title, p.StarterName, p.Status, p.CreatedAt, p.SignatureCount)).ToListAsync(cancellationToken);
}
