using System.Security.Claims;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Moderation;

public sealed record ModerationDecisionEmail(
    string Name, string Subject, string Summary, string? ReasonText, string? Note, string? NextStep, string LinkText, string Url);

public enum Decision
{
    Approve,
    Reject,
    Hide,
    Restore,
}

/// <summary>
/// A moderator's decision on a petition: the lifecycle change, the closing of its open reports, the audit row and
/// the owner's email commit together; then every cached copy of the petition's pages and lists is forgotten.
/// </summary>
public sealed class ModerationDecisions(
    PetitionsDbContext db, AuditLog audit, EmailRenderer renderer, Outbox outbox, OutboxSignal signal,
    IOutputCacheStore cache, SiteLinks links, Localization.Texts t, Localization.SiteLanguages languages, TimeProvider clock)
{
    /// <summary>False when the petition's state does not allow the decision (approving an open petition, say).</summary>
    public async Task<bool> DecideAsync(Petition petition, Decision decision, ModerationReason? reason, string? note, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        var now = clock.GetUtcNow();
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var changed = decision switch
        {
            Decision.Approve => petition.Approve(now),
            Decision.Reject => petition.Reject(reason ?? ModerationReason.Other, note, now),
            Decision.Hide => petition.Hide(reason ?? ModerationReason.Other, note, now),
            _ => petition.Restore(now),
        };
        if (!changed)
        {
            return false;
        }

        var actorId = moderator.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (decision == Decision.Approve)
        {
            // As publishing does under post-moderation: the starter's own signature counts from now.
            await db.Signatures.Where(s => s.PetitionId == petition.Id && s.State == SignatureState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SignatureState.Confirmed).SetProperty(x => x.ConfirmedAt, now), cancellationToken);
        }

        await CloseReportsAsync(petition.Id, ReportOutcome.Acted, actorId, cancellationToken);
        audit.Add(actorId, decision switch
        {
            Decision.Approve => AuditAction.Approve,
            Decision.Reject => AuditAction.Reject,
            Decision.Hide => AuditAction.Hide,
            _ => AuditAction.Restore,
        }, AuditTarget.Petition, petition.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), petition.Id, Describe(reason, note, decision));
        await QueueOwnerEmailAsync(petition, decision, reason, note);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        await ForgetCachedPagesAsync(cancellationToken);
        return true;
    }

    public async Task<int> DismissReportsAsync(Petition petition, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(petition);
        var actorId = moderator.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var closed = await CloseReportsAsync(petition.Id, ReportOutcome.Dismissed, actorId, cancellationToken);
        audit.Add(actorId, AuditAction.DismissReports, AuditTarget.Report, petition.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), petition.Id, $"{closed} report(s) dismissed");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return closed;
    }

    /// <summary>Takes one supporter's name and reason off the petition page, or puts them back; the signature keeps counting.</summary>
    public async Task<bool> SetSupporterHiddenAsync(long signatureId, bool hidden, string? reason, ClaimsPrincipal moderator, CancellationToken cancellationToken)
    {
        var signature = await db.Signatures.SingleOrDefaultAsync(s => s.Id == signatureId, cancellationToken);
        if (signature is null)
        {
            return false;
        }

        signature.PublicHiddenAt = hidden ? clock.GetUtcNow() : null;
        await audit.WriteAsync(moderator.FindFirstValue(ClaimTypes.NameIdentifier), hidden ? AuditAction.HideSupporter : AuditAction.ShowSupporter,
            AuditTarget.Signature, signatureId.ToString(System.Globalization.CultureInfo.InvariantCulture), signature.PetitionId, reason, cancellationToken);
        await ForgetCachedPagesAsync(cancellationToken);
        return true;
    }

    public async Task ForgetCachedPagesAsync(CancellationToken cancellationToken)
    {
        // Every public page (petition, home, browse, search, JSON API) carries this tag (see PublicPages).
        await cache.EvictByTagAsync(PetitionsController.PagePolicy, cancellationToken);
    }

    private async Task<int> CloseReportsAsync(long petitionId, ReportOutcome outcome, string? actorId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.PetitionReports.Where(r => r.PetitionId == petitionId && r.ClosedAt == null)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ClosedAt, now).SetProperty(x => x.ClosedById, actorId).SetProperty(x => x.Outcome, outcome), cancellationToken);
    }

    private static string? Describe(ModerationReason? reason, string? note, Decision decision)
    {
        if (decision is Decision.Approve or Decision.Restore)
        {
            return note;
        }

        var text = (reason ?? ModerationReason.Other).ToString();
        return note is null ? text : $"{text}: {note}";
    }

    private async Task QueueOwnerEmailAsync(Petition petition, Decision decision, ModerationReason? reason, string? note)
    {
        var owner = petition.OwnerId is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == petition.OwnerId);
        if (owner?.Email is null)
        {
            return;
        }

        // The owner's language is the one they started the petition in, kept on their own signature.
        var normalizedEmail = EmailAddresses.Normalize(owner.Email);
        var code = await db.Signatures.AsNoTracking().Where(s => s.PetitionId == petition.Id && s.NormalizedEmail == normalizedEmail)
            .OrderBy(s => s.Id).Select(s => s.Language).FirstOrDefaultAsync();
        var language = languages.Find(code) ?? languages.Default;
        var dashboard = links.Dashboard(petition.Slug, language);
        var live = links.Petition(petition.Slug, language);
        var title = "\u2068" + petition.Title + "\u2069";
        var model = Localization.InLanguage.Run(language, () =>
        {
            var reasonText = decision is Decision.Reject or Decision.Hide ? t[ModerationReasons.Describe(reason ?? ModerationReason.Other)] : null;
            return decision switch
            {
                Decision.Approve => new ModerationDecisionEmail(owner.DisplayName, t["Your petition is live: {0}", title],
                    t["The moderators approved your petition “{0}”. It is now open for signatures.", title], null, note, null, t["See your petition"], live),
                Decision.Reject => new ModerationDecisionEmail(owner.DisplayName, t["Your petition was not approved: {0}", title],
                    t["The moderators did not approve your petition “{0}”.", title], reasonText, note,
                    t["You can edit it and send it to the moderators again from your dashboard."], t["Edit your petition"], dashboard),
                Decision.Hide => new ModerationDecisionEmail(owner.DisplayName, t["Your petition was removed: {0}", title],
                    t["The moderators removed your petition “{0}” from the site. Its signatures are kept.", title], reasonText, note, null, t["See it in your dashboard"], dashboard),
                _ => new ModerationDecisionEmail(owner.DisplayName, t["Your petition is back: {0}", title],
                    t["The moderators restored your petition “{0}”. It is on the site again.", title], null, note, null, t["See your petition"], live),
            };
        });
        var content = await renderer.RenderAsync(EmailKind.ModerationDecision, model, language);
        db.OutboxMessages.Add(outbox.Create(EmailKind.ModerationDecision, owner.Email, owner.DisplayName, content));
    }
}
