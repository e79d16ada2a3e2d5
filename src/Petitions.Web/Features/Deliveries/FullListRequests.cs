using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Petitions.Web.Data;
using Petitions.Web.Domain;
using Petitions.Web.Email;
using Petitions.Web.Features.Admin;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Deliveries;

public enum ReleaseOutcome
{
    Released,
    AlreadyReleased,
    NotFound,
    Forbidden,
}

/// <summary>Tells the organizer that a recipient asked for the full list of a delivery made as initials only.</summary>
public sealed record FullListRequestEmail(
    string OrganizerName,
    string PetitionTitle,
    string RecipientName,
    string? RecipientTitle,
    DateTimeOffset DeliveredAt,
    string DeliveriesUrl);

/// <summary>
/// Tells a recipient that the organizer released the full list of their delivery. Their link is not in it: only its
/// hash is stored, so the email points to the delivery email that holds it.
/// </summary>
public sealed record FullListReleasedEmail(
    string RecipientName,
    string PetitionTitle,
    string StarterName,
    DateTimeOffset DeliveredAt,
    DateTimeOffset? LinkExpiresAt,
    string PetitionUrl,
    string SiteName,
    string StopUrl);

/// <summary>
/// The sealed full list of a protected petition delivered as initials only: a recipient asks for it through their link
/// (the organizer is emailed once per recipient), and the petition's owner releases it to that delivery, audited, and
/// its recipients are emailed once; from then on that delivery's CSV and PDF hold the names. Withdrawn and erased
/// signers stay out, as in every list.
/// </summary>
public sealed class FullListRequests(
    PetitionsDbContext db,
    EmailRenderer renderer,
    Outbox outbox,
    OutboxSignal outboxSignal,
    SuppressionLinks suppressionLinks,
    SiteLinks links,
    AuditLog audit,
    UserManager<ApplicationUser> users,
    IOptions<SiteOptions> site,
    DeliveryLanguage deliveryLanguage,
    SiteLanguages languages,
    TimeProvider clock)
{
    /// <summary>Whether this delivery's list is sealed: initials and country only, its full list not released (an anonymized petition has no names left to release).</summary>
    public static bool IsSealed(Petition petition, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(petition);
        ArgumentNullException.ThrowIfNull(delivery);
        return DeliversInitialsOnly(petition) && delivery.FullListReleasedAt is null;
    }

    /// <summary>Whether the petition's deliveries list initials only, so the full list can be asked for and released.</summary>
    public static bool DeliversInitialsOnly(Petition petition)
    {
        ArgumentNullException.ThrowIfNull(petition);
        return petition.Protected && petition.DeliverInitialsOnly && petition.AnonymizedAt is null;
    }

    /// <summary>Records the recipient's request; only the first one of a recipient emails the organizer. False when there was nothing to ask for.</summary>
    public async Task<bool> RequestAsync(RecipientLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var (petition, delivery, recipient) = (link.Petition!, link.Delivery!, link.Recipient!);
        if (!IsSealed(petition, delivery))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var first = await db.DeliveryRecipients.Where(r => r.Id == recipient.Id && r.FullListRequestedAt == null)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.FullListRequestedAt, now), cancellationToken) == 1;
        if (first)
        {
            var organizerId = petition.OwnerId ?? delivery.DeliveredById;
            var organizer = organizerId is null ? null : await users.FindByIdAsync(organizerId);
            if (organizer?.Email is { } organizerEmail)
            {
                // The organizer's language is the one they delivered in.
                var language = deliveryLanguage.Of(delivery);
                var url = $"{site.Value.BaseUrl.TrimEnd('/')}{languages.Prefix(language)}/dashboard/p/{petition.Slug}/deliveries#delivery-{delivery.Id.ToString(CultureInfo.InvariantCulture)}";
                var content = await renderer.RenderAsync(EmailKind.FullListRequested, new FullListRequestEmail(
                    organizer.DisplayName, petition.Title, recipient.Name, recipient.TitleOrOrganization, delivery.DeliveredAt, url), language);
                db.OutboxMessages.Add(outbox.Create(EmailKind.FullListRequested, organizerEmail, organizer.DisplayName, content));
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (first)
        {
            outboxSignal.Notify();
        }

        return true;
    }

    /// <summary>
    /// Releases the full list of delivery <paramref name="deliveryId"/> of <paramref name="petition"/> (one the actor may
    /// manage). Only the petition's owner may: an admin who can manage it is refused. Releasing again changes nothing.
    /// </summary>
    public async Task<ReleaseOutcome> ReleaseAsync(Petition petition, long deliveryId, ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        var delivery = await db.Deliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.PetitionId == petition.Id, cancellationToken);
        if (delivery is null || !DeliversInitialsOnly(petition))
        {
            return ReleaseOutcome.NotFound;
        }

        var actorId = users.GetUserId(actor);
        if (actorId is null || petition.OwnerId != actorId)
        {
            return ReleaseOutcome.Forbidden;
        }

        // One UPDATE decides, so two posts at once release (and audit) once.
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var released = await db.Deliveries.Where(d => d.Id == delivery.Id && d.FullListReleasedAt == null)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.FullListReleasedAt, now), cancellationToken) == 1;
        if (released)
        {
            await audit.WriteAsync(actorId, AuditAction.ReleaseFullList, AuditTarget.Delivery, delivery.Id.ToString(CultureInfo.InvariantCulture), petition.Id,
                null, cancellationToken);
            await QueueReleasedEmailsAsync(petition, delivery, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (released)
        {
            outboxSignal.Notify();
        }

        return released ? ReleaseOutcome.Released : ReleaseOutcome.AlreadyReleased;
    }

    /// <summary>
    /// One email per recipient whose link still opens their page (not revoked, not expired) and whose address did not
    /// ask for no more email, in the delivery's language; the caller's transaction commits them with the release.
    /// </summary>
    private async Task QueueReleasedEmailsAsync(Petition petition, Delivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = await db.DeliveryRecipients.AsNoTracking()
            .Where(r => r.DeliveryId == delivery.Id && r.RevokedAt == null && (r.AccessExpiresAt == null || r.AccessExpiresAt > now) && r.Email != null)
            .OrderBy(r => r.Id)
            .ToListAsync(cancellationToken);
        var suppressed = await EmailSuppressions.SuppressedAsync(db, recipients.Select(r => r.Email!), cancellationToken);
        var language = deliveryLanguage.Of(delivery);
        foreach (var recipient in recipients.Where(r => !suppressed.Contains(r.Email!)))
        {
            var stopUrl = links.StopEmails(suppressionLinks.CreateToken(recipient.Email!), language);
            var content = await renderer.RenderAsync(EmailKind.FullListReleased, new FullListReleasedEmail(
                recipient.Name, petition.Title, petition.StarterName, delivery.DeliveredAt, recipient.AccessExpiresAt,
                links.Petition(petition.Slug, language), site.Value.Name, stopUrl), language);
            db.OutboxMessages.Add(outbox.Create(EmailKind.FullListReleased, recipient.Email!, recipient.Name, content, Outbox.OneClickUnsubscribe(stopUrl)));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
