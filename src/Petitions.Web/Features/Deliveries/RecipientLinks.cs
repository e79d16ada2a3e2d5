using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Deliveries;

public enum LinkState
{
    Valid,
    Malformed,
    Unknown,
    Expired,
    Revoked,
}

/// <summary>A recipient's link, looked up: what state it is in and, when it was ever issued, what it belongs to.</summary>
public sealed record RecipientLink(LinkState State, DeliveryRecipient? Recipient = null, Delivery? Delivery = null, Petition? Petition = null)
{
    public int StatusCode => State switch
    {
        LinkState.Valid => StatusCodes.Status200OK,
        LinkState.Malformed => StatusCodes.Status400BadRequest,
        LinkState.Unknown => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status410Gone,
    };
}

/// <summary>Finds the recipient behind a /d/{token} link by the token's hash; the token itself is never stored.</summary>
public sealed class RecipientLinks(PetitionsDbContext db, TimeProvider clock)
{
    public async Task<RecipientLink> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (!RecipientTokens.LooksValid(token))
        {
            return new RecipientLink(LinkState.Malformed);
        }

        var hash = RecipientTokens.Hash(token!);
        var found = await db.DeliveryRecipients.AsNoTracking()
            .Where(r => r.AccessTokenHash == hash)
            .Join(db.Deliveries, r => r.DeliveryId, d => d.Id, (r, d) => new { Recipient = r, Delivery = d })
            .Join(db.Petitions, x => x.Delivery.PetitionId, p => p.Id, (x, p) => new { x.Recipient, x.Delivery, Petition = p })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new RecipientLink(LinkState.Unknown);
        }

        var state = found.Recipient.RevokedAt is not null ? LinkState.Revoked
            : found.Recipient.AccessExpiresAt is { } expires && expires <= clock.GetUtcNow() ? LinkState.Expired
            : LinkState.Valid;
        return new RecipientLink(state, found.Recipient, found.Delivery, found.Petition);
    }
}
