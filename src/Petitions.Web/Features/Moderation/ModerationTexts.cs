using System.Globalization;
using Petitions.Web.Data;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Moderation;

/// <summary>What the moderators' tables show of stored values, as English resource keys written through the localizer.</summary>
public static class ModerationTexts
{
    /// <summary>A moment in UTC, in the language's calendar and digits: "3 December 2026 at 14:05", «۱۲ آذر ۱۴۰۵، ساعت ۱۴:۰۵».</summary>
    public static string At(Texts t, DateTimeOffset value, bool seconds = false)
    {
        ArgumentNullException.ThrowIfNull(t);
        var utc = value.ToUniversalTime();
        return t["{0} at {1}", Texts.Date(utc), Texts.Digits(utc.ToString(seconds ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture))];
    }

    public static string Action(AuditAction action) => action switch
    {
        AuditAction.GrantRole => "Granted a role",
        AuditAction.RevokeRole => "Revoked a role",
        AuditAction.Approve => "Approved the petition",
        AuditAction.Reject => "Rejected the petition",
        AuditAction.Hide => "Hid the petition",
        AuditAction.Restore => "Restored the petition",
        AuditAction.AutoHide => "Hid the petition automatically",
        AuditAction.DismissReports => "Dismissed the reports",
        AuditAction.HideSupporter => "Hid a supporter's name and reason",
        AuditAction.ShowSupporter => "Showed a supporter's name and reason again",
        AuditAction.PauseSigning => "Paused signing",
        AuditAction.ResumeSigning => "Resumed signing",
        AuditAction.AddBlock => "Added a block",
        AuditAction.RemoveBlock => "Removed a block",
        AuditAction.SearchSignatures => "Searched the signatures",
        AuditAction.InvalidateSignatures => "Invalidated signatures",
        AuditAction.UndoInvalidation => "Undid an invalidation",
        AuditAction.ProtectNewPetitions => "Turned on protection of new petitions",
        AuditAction.UnprotectNewPetitions => "Turned off protection of new petitions",
        _ => "Released the full list",
    };

    public static string Target(AuditTarget target) => target switch
    {
        AuditTarget.Petition => "Petition",
        AuditTarget.Signature => "Signature",
        AuditTarget.User => "Account",
        AuditTarget.Report => "Report",
        AuditTarget.Site => "The whole site",
        AuditTarget.Block => "Block",
        AuditTarget.Invalidation => "Invalidation",
        _ => "Delivery",
    };
}
