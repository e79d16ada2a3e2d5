using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Notifications;

public sealed record UnsubscribePage(bool Subscribed, string PetitionTitle, string Slug, string Token);

public sealed class UnsubscribeController(PetitionsDbContext db, UnsubscribeTokens tokens, TimeProvider clock) : Controller
{
    /// <summary>The link in every notice: one click unsubscribes, and the page offers an undo.</summary>
    [HttpGet("/u/{token}")]
    public Task<IActionResult> Unsubscribe(string token, CancellationToken cancellationToken) => SetAsync(token, subscribed: false, cancellationToken);

    [HttpPost("/u/{token}/resubscribe")]
    public Task<IActionResult> Resubscribe(string token, CancellationToken cancellationToken) => SetAsync(token, subscribed: true, cancellationToken);

    /// <summary>RFC 8058 one-click unsubscribe from mail clients (List-Unsubscribe-Post); mapped in Program.cs.</summary>
    public static async Task<IResult> OneClickAsync(string token, PetitionsDbContext db, UnsubscribeTokens tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        var id = tokens.Read(token);
        if (id is null)
        {
            return Results.NotFound();
        }

        await db.Signatures.Where(s => s.Id == id && s.UnsubscribedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UnsubscribedAt, clock.GetUtcNow()), cancellationToken);
        return Results.Ok();
    }

    private async Task<IActionResult> SetAsync(string token, bool subscribed, CancellationToken cancellationToken)
    {
        var id = tokens.Read(token);
        var found = id is null ? null : await db.Signatures.AsNoTracking().Where(s => s.Id == id)
            .Join(db.Petitions, s => s.PetitionId, p => p.Id, (s, p) => new { p.Title, p.Slug })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return View("UnsubscribeProblem");
        }

        DateTimeOffset? value = subscribed ? null : clock.GetUtcNow();
        await db.Signatures.Where(s => s.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UnsubscribedAt, value), cancellationToken);
        return View("Unsubscribe", new UnsubscribePage(subscribed, found.Title, found.Slug, token));
    }
}
