namespace Petitions.Web.Data;

/// <summary>What a moderator or admin did. Stored by name, so new actions can be added anywhere in the list.</summary>
public enum AuditAction
{
    GrantRole,
    RevokeRole,
    Approve,
    Reject,
    Hide,
    Restore,
    AutoHide,
    DismissReports,
    HideSupporter,
    ShowSupporter,
    PauseSigning,
    ResumeSigning,
    AddBlock,
    RemoveBlock,
    SearchSignatures,
    InvalidateSignatures,
    UndoInvalidation,
    ProtectNewPetitions,
    UnprotectNewPetitions,
    ReleaseFullList,
}

public enum AuditTarget
{
    Petition,
    Signature,
    User,
    Report,
    Site,
    Block,
    Invalidation,
    Delivery,
}

/// <summary>One moderation or integrity action: who, when, what, on what and why. Rows are only ever inserted.</summary>
public class AuditLogEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The account that acted; null for the site itself (an automatic hide).</summary>
    public string? ActorId { get; set; }
    public AuditAction Action { get; set; }
    public AuditTarget TargetKind { get; set; }
    public required string TargetId { get; set; }
    public long? PetitionId { get; set; }
    public string? Reason { get; set; }
}
