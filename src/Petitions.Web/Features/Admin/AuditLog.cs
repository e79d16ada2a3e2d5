using Petitions.Web.Data;

namespace Petitions.Web.Features.Admin;

/// <summary>
/// Writes audit rows. There is deliberately no update or delete: the site only ever adds to the log. It shares the
/// request's <see cref="PetitionsDbContext"/>, so <see cref="Add"/> before SaveChanges commits the action and its audit together.
/// </summary>
public sealed class AuditLog(PetitionsDbContext db, TimeProvider clock)
{
    public void Add(string? actorId, AuditAction action, AuditTarget targetKind, string targetId, long? petitionId, string? reason)
    {
        db.AuditLog.Add(new AuditLogEntry
        {
            At = clock.GetUtcNow(),
            ActorId = actorId,
            Action = action,
            TargetKind = targetKind,
            TargetId = targetId,
            PetitionId = petitionId,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        });
    }

    /// <summary>Adds the row and saves the context, with whatever else the caller changed in it.</summary>
    public async Task WriteAsync(string? actorId, AuditAction action, AuditTarget targetKind, string targetId, long? petitionId, string? reason, CancellationToken cancellationToken = default)
    {
        Add(actorId, action, targetKind, targetId, petitionId, reason);
        await db.SaveChangesAsync(cancellationToken);
    }
}
