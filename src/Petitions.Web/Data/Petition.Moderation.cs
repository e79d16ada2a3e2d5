using System.ComponentModel.DataAnnotations;

namespace Petitions.Web.Data;

public enum ModerationMode
{
    /// <summary>Publishing makes a petition public at once; reports bring it to the moderators.</summary>
    PostModeration,

    /// <summary>Publishing sends a petition to the moderators, who approve or reject it.</summary>
    PreModeration,
}

/// <summary>Why a petition was rejected, hidden or reported.</summary>
public enum ModerationReason
{
    Duplicate,
    NotAPetition,
    Offensive,
    Defamatory,
    Spam,
    Illegal,
    Other,
}

public static class ModerationReasons
{
    public static string Describe(ModerationReason reason) => reason switch
    {
        ModerationReason.Duplicate => "It duplicates another petition",
        ModerationReason.NotAPetition => "It is not a petition",
        ModerationReason.Offensive => "It is offensive",
        ModerationReason.Defamatory => "It is defamatory",
        ModerationReason.Spam => "It is spam or advertising",
        ModerationReason.Illegal => "It breaks the law",
        _ => "Another reason",
    };
}

/// <summary>The moderation part of a petition's lifecycle. Each method returns false when the petition is not in a state that allows it.</summary>
public partial class Petition
{
    public static readonly PetitionStatus[] PublicStatuses = [PetitionStatus.Open, PetitionStatus.Closed, PetitionStatus.Victory];

    /// <summary>What a hidden petition was before, so that restoring it brings it back as it was.</summary>
    public PetitionStatus? StatusBeforeHidden { get; set; }

    /// <summary>Set while moderators have paused signing on this petition (a surge of abuse); null otherwise.</summary>
    public DateTimeOffset? SigningPausedAt { get; set; }

    public ModerationReason? ModerationReason { get; set; }

    /// <summary>The moderator's own words to the owner.</summary>
    [MaxLength(2000)]
    public string? ModerationNote { get; set; }

    public DateTimeOffset? ModeratedAt { get; set; }

    public bool IsPublic => PublicStatuses.Contains(Status);

    /// <summary>
    /// The owner publishes: a draft goes live at once under post-moderation, or to the moderators under pre-moderation.
    /// A rejected petition, once edited, always goes back to the moderators. Returns true when it went live.
    /// </summary>
    public bool Submit(ModerationMode mode, DateTimeOffset now)
    {
        if (Status == PetitionStatus.Draft && mode == ModerationMode.PostModeration)
        {
            GoLive(now);
            return true;
        }

        if (Status is PetitionStatus.Draft or PetitionStatus.Rejected)
        {
            Status = PetitionStatus.AwaitingModeration;
        }

        return false;
    }

    public bool Approve(DateTimeOffset now)
    {
        if (Status != PetitionStatus.AwaitingModeration)
        {
            return false;
        }

        GoLive(now);
        ModerationReason = null;
        ModerationNote = null;
        ModeratedAt = now;
        return true;
    }

    public bool Reject(ModerationReason reason, string? note, DateTimeOffset now)
    {
        if (Status != PetitionStatus.AwaitingModeration)
        {
            return false;
        }

        Status = PetitionStatus.Rejected;
        (ModerationReason, ModerationNote, ModeratedAt) = (reason, note, now);
        return true;
    }

    public bool Hide(ModerationReason reason, string? note, DateTimeOffset now)
    {
        if (!IsPublic)
        {
            return false;
        }

        StatusBeforeHidden = Status;
        Status = PetitionStatus.Hidden;
        (ModerationReason, ModerationNote, ModeratedAt) = (reason, note, now);
        return true;
    }

    public bool Restore(DateTimeOffset now)
    {
        if (Status != PetitionStatus.Hidden)
        {
            return false;
        }

        Status = StatusBeforeHidden ?? PetitionStatus.Open;
        StatusBeforeHidden = null;
        ModerationReason = null;
        ModerationNote = null;
        ModeratedAt = now;
        return true;
    }

    private void GoLive(DateTimeOffset now)
    {
        Status = PetitionStatus.Open;
        PublishedAt ??= now;
    }
}
