using Petitions.Web.Email;

namespace Petitions.Web.Data;

/// <summary>What a lifecycle step tells the petition's opted-in supporters; SupporterNotices queues it with the change.</summary>
public sealed record PetitionNotice(EmailKind Kind, NoticeArguments Arguments);

public enum PublishResult
{
    /// <summary>Not a draft (or a rejected petition): nothing changed.</summary>
    NotAllowed,

    /// <summary>The petition is public and takes signatures.</summary>
    Live,

    /// <summary>The moderators decide first (pre-moderation, or a rejected petition sent back).</summary>
    SentToModerators,
}

/// <summary>
/// The petition's own lifecycle: who may do what in which status. Each step changes the petition only when its status
/// allows it, and returns what supporters should be told, or null/false when nothing changed. Moderation steps are in
/// Petition.Moderation.cs.
/// </summary>
public partial class Petition
{
    public const int MinimumSignaturesForVictory = 5;

    public const string ReachedClosingDateMessage = "This petition reached its closing date.";

    public bool CanPublish => Status is PetitionStatus.Draft or PetitionStatus.Rejected;

    public bool CanSign => Status == PetitionStatus.Open;

    public bool CanClose => Status == PetitionStatus.Open;

    public bool CanDeclareVictory => Status is PetitionStatus.Open or PetitionStatus.Closed;

    public bool CanDeliver => Status is PetitionStatus.Open or PetitionStatus.Closed or PetitionStatus.Victory;

    /// <summary>Once closed, won or delivered, the text stays as people signed it.</summary>
    public bool IsTextLocked(bool delivered) => Status is PetitionStatus.Closed or PetitionStatus.Victory || delivered;

    public static bool HasEnoughSignaturesForVictory(int confirmedSignatures) => confirmedSignatures >= MinimumSignaturesForVictory;

    /// <summary>The owner publishes a draft, or sends a rejected petition back to the moderators.</summary>
    public PublishResult Publish(ModerationMode mode, DateTimeOffset now)
    {
        if (!CanPublish)
        {
            return PublishResult.NotAllowed;
        }

        return Submit(mode, now) ? PublishResult.Live : PublishResult.SentToModerators;
    }

    /// <summary>The organizer closes the petition with a message to supporters.</summary>
    public PetitionNotice? Close(string message, DateTimeOffset now) =>
        Close(message, now, new NoticeArguments { Markdown = message });

    /// <summary>The closing date passed; the closer calls this.</summary>
    public PetitionNotice? CloseOnClosingDate() =>
        ClosesAt is { } closesAt
            ? Close(ClosingMessage ?? ReachedClosingDateMessage, closesAt, new NoticeArguments { ReachedClosingDate = true })
            : null;

    public PetitionNotice? DeclareVictory(string message, int confirmedSignatures, DateTimeOffset now)
    {
        if (!CanDeclareVictory || !HasEnoughSignaturesForVictory(confirmedSignatures))
        {
            return null;
        }

        Status = PetitionStatus.Victory;
        VictoryAt = now;
        ClosedAt ??= now;
        VictoryMessage = message;
        return new PetitionNotice(EmailKind.PetitionVictory, new NoticeArguments { Markdown = message });
    }

    /// <summary>A copy to preview an unpublished petition as it will look once live, with its starter's signature.</summary>
    public Petition PreviewAsPublished()
    {
        var copy = (Petition)MemberwiseClone();
        copy.Status = PetitionStatus.Open;
        copy.SignatureCount = 1;
        return copy;
    }

    private PetitionNotice? Close(string closingMessage, DateTimeOffset closedAt, NoticeArguments notice)
    {
        if (!CanClose)
        {
            return null;
        }

        Status = PetitionStatus.Closed;
        ClosedAt = closedAt;
        ClosingMessage = closingMessage;
        return new PetitionNotice(EmailKind.PetitionClosed, notice);
    }
}
