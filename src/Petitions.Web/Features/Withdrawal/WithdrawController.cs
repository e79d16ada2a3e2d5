using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Withdrawal;

/// <summary>What the withdraw pages show; <paramref name="DeliveredAt"/> is when a recipient got a list holding this signature.</summary>
public sealed record WithdrawPage(string Token, string PetitionTitle, string Slug, bool Withdrawn, DateTimeOffset? DeliveredAt);

public sealed class WithdrawController(PetitionsDbContext db, WithdrawTokens tokens, TimeProvider clock) : Controller
{
    /// <summary>The link in the thank-you page and every email to a signer. It only asks: mail scanners prefetch links.</summary>
    [HttpGet("/s/withdraw/{token}")]
    public async Task<IActionResult> Ask(string token, CancellationToken cancellationToken)
    {
        var found = await FindAsync(token, cancellationToken);
        return found is null ? Problem() : View("Withdraw", await PageAsync(token, found, cancellationToken));
    }

    [HttpPost("/s/withdraw/{token}")]
    public async Task<IActionResult> Withdraw(string token, CancellationToken cancellationToken)
    {
        var found = await FindAsync(token, cancellationToken);
        if (found is null)
        {
            return Problem();
        }

        // Read before the change, so the page can still say whether a recipient has the list.
        var page = await PageAsync(token, found, cancellationToken);
        await SignatureWithdrawal.WithdrawAsync(db, [found.Id], clock.GetUtcNow(), cancellationToken);
        return View("Withdrawn", page with { Withdrawn = true });
    }

    private sealed record Found(long Id, long PetitionId, SignatureState State, DateTimeOffset? ConfirmedAt, string Title, string Slug);

    private async Task<Found?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var key = tokens.Read(token);
        if (key is null)
        {
            return null;
        }

        var (petitionId, email) = key.Value;
        return await db.Signatures.AsNoTracking().Where(s => s.PetitionId == petitionId && s.NormalizedEmail == email)
            .Join(db.Petitions, s => s.PetitionId, p => p.Id, (s, p) => new Found(s.Id, p.Id, s.State, s.ConfirmedAt, p.Title, p.Slug))
            .SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<WithdrawPage> PageAsync(string token, Found found, CancellationToken cancellationToken)
    {
        // The first delivery made after the signature counted is the first list that held it.
        DateTimeOffset? deliveredAt = null;
        if (found.ConfirmedAt is { } confirmedAt && found.State is SignatureState.Confirmed or SignatureState.Withdrawn)
        {
            deliveredAt = await db.Deliveries.AsNoTracking()
                .Where(d => d.PetitionId == found.PetitionId && d.DeliveredAt >= confirmedAt)
                .OrderBy(d => d.DeliveredAt)
                .Select(d => (DateTimeOffset?)d.DeliveredAt)
                .FirstOrDefaultAsync(cancellationToken);
        }

        return new WithdrawPage(token, found.Title, found.Slug, found.State == SignatureState.Withdrawn, deliveredAt);
    }

    private ViewResult Problem()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return View("WithdrawProblem");
    }
}
