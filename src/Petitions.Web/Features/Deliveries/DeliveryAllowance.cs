using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Features.Deliveries;

/// <summary>
/// Whether a petition may be delivered now: it needs <see cref="DeliveryOptions.MinimumSignatures"/> confirmed
/// signatures, and its organizer may deliver <see cref="DeliveryOptions.MaxPerOrganizerPerDay"/> times in any 24 hours.
/// </summary>
public sealed record DeliveryAllowance(int Confirmed, int Minimum, int RecentDeliveries, int MaxPerDay, DateTimeOffset? NextAllowedAt)
{
    public bool EnoughSignatures => Confirmed >= Minimum;

    public bool WithinDailyLimit => RecentDeliveries < MaxPerDay;

    public bool Allowed => EnoughSignatures && WithinDailyLimit;

    /// <summary>Why the petition cannot be delivered now, or null, in the page's language.</summary>
    public string? Refusal(Localization.Texts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return !EnoughSignatures
            ? t.PluralOf(Minimum, "You can deliver the petition once it has at least {0} confirmed signature. It has {1}", "You can deliver the petition once it has at least {0} confirmed signatures. It has {1}", Confirmed)
            : !WithinDailyLimit
                ? t.PluralOf(RecentDeliveries, "You have delivered {0} time in the last 24 hours, the most allowed. You can deliver again after {1} on {2} (UTC)", "You have delivered {0} times in the last 24 hours, the most allowed. You can deliver again after {1} on {2} (UTC)",
                    Localization.Texts.Digits(NextAllowedAt!.Value.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)), NextAllowedAt.Value.ToUniversalTime())
                : null;
    }
}

public sealed partial class DeliveryHandler
{
    public static readonly TimeSpan LimitWindow = TimeSpan.FromHours(24);

    public async Task<DeliveryAllowance> AllowanceAsync(Petition petition, string actorId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        var limits = options.Value;
        var confirmed = await ConfirmedCountAsync(petition.Id, now, cancellationToken);
        var since = now - LimitWindow;
        var recent = await db.Deliveries.Where(d => d.DeliveredById == actorId && d.DeliveredAt > since)
            .OrderByDescending(d => d.DeliveredAt).Select(d => d.DeliveredAt).Take(limits.MaxPerOrganizerPerDay)
            .ToListAsync(cancellationToken);
        DateTimeOffset? next = recent.Count >= limits.MaxPerOrganizerPerDay ? recent[^1] + LimitWindow : null;
        return new DeliveryAllowance(confirmed, limits.MinimumSignatures, recent.Count, limits.MaxPerOrganizerPerDay, next);
    }

    /// <summary>The decision makers on the form whose address (as entered) must not be sent deliveries.</summary>
    public async Task<IReadOnlySet<long>> SuppressedAsync(DeliverForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var entered = form.Recipients.Where(r => r.TrimmedEmail is { } email && EmailAddresses.IsWellFormed(email)).ToList();
        var suppressed = await EmailSuppressions.SuppressedAsync(db, entered.Select(r => r.TrimmedEmail!), cancellationToken);
        return entered.Where(r => suppressed.Contains(r.TrimmedEmail!)).Select(r => r.DecisionMakerId).ToHashSet();
    }
}
