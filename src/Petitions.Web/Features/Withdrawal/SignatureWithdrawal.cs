using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Features.Counting;

namespace Petitions.Web.Features.Withdrawal;

/// <summary>Withdraws signatures, for the emailed withdraw link and for /my alike.</summary>
public static class SignatureWithdrawal
{
    /// <summary>
    /// Confirmed signatures stop counting through count events (the counter takes them off within one interval; the
    /// request never touches a petition's count); uncounted ones (pending, or invalidated by a moderator) just change
    /// state. The guards on state make a repeat, or a race with a confirmation, safe. Returns how many were withdrawn.
    /// </summary>
    public static async Task<int> WithdrawAsync(PetitionsDbContext db, IReadOnlyCollection<long> signatureIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(signatureIds);
        if (signatureIds.Count == 0)
        {
            return 0;
        }

        var ids = signatureIds.ToArray();
        var counted = await CountEvents.RemoveAsync(db, ids, SignatureState.Withdrawn, cancellationToken);
        var uncounted = await db.Signatures.Where(s => ids.Contains(s.Id) && (s.State == SignatureState.Pending || s.State == SignatureState.Invalidated))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SignatureState.Withdrawn), cancellationToken);
        await db.Signatures.Where(s => ids.Contains(s.Id) && s.State == SignatureState.Withdrawn && s.WithdrawnAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.WithdrawnAt, now), cancellationToken);
        return counted + uncounted;
    }
}
