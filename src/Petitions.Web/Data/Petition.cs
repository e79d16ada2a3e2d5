namespace Petitions.Web.Data;

public enum PetitionStatus
{
    Draft,
    Open,
    Closed,
    Victory,

    // Moderation (issue 11): none of these is public; see Petition.Moderation.cs.
    AwaitingModeration,
    Rejected,
    Hidden,
}

public partial class Petition
{
    public long Id { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    // Rendered, sanitized HTML: the lead shows at once, the rest folds behind "Read more".
    public required string BodyLeadHtml { get; set; }
    public string? BodyMoreHtml { get; set; }
    public required string StarterName { get; set; }
    public string? OwnerId { get; set; }
    public string Category { get; set; } = "Other";
    public PetitionStatus Status { get; set; }
    public int Goal { get; set; }
    public bool AutomaticGoal { get; set; }

    // Maintained only by CountingWorker in batches; never updated in the signing transaction.
    public int SignatureCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? ClosesAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public string? ClosingMessage { get; set; }
    public string? VictoryMessage { get; set; }
    public DateTimeOffset? VictoryAt { get; set; }
    public bool Featured { get; set; }

    /// <summary>Protected mode: signers' personal fields are encrypted at rest, no IP is stored and no name is shown publicly.</summary>
    public bool Protected { get; set; }

    /// <summary>For a protected petition, deliveries list initials and country only; the full list stays sealed.</summary>
    public bool DeliverInitialsOnly { get; set; }

    // Set by the retention job once every signature's personal fields were replaced; delivery links then show counts only.
    public DateTimeOffset? AnonymizedAt { get; set; }

    // Stored generated column (title weighted A, body B) behind a GIN index, for full-text search.
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; set; } = null!;

    public List<DecisionMaker> DecisionMakers { get; set; } = [];
    public List<Delivery> Deliveries { get; set; } = [];

    public bool IsAcceptingSignatures => CanSign;
}

public class DecisionMaker
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string Name { get; set; }
    public string? TitleOrOrganization { get; set; }
    public string? Email { get; set; }
    public int Position { get; set; }
}

public class Delivery
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public DateTimeOffset DeliveredAt { get; set; }
    public string CoverMessage { get; set; } = "";
    public int SignatureCount { get; set; }

    /// <summary>The account that delivered it, for the daily limit per organizer.</summary>
    public string? DeliveredById { get; set; }

    /// <summary>The published Merkle root of the delivered signatures (docs/receipts.md); null for deliveries made before receipts.</summary>
    public byte[]? MerkleRoot { get; set; }

    /// <summary>Secret random key from which each leaf's salt is derived (HMAC-SHA256 of the signature id); never published.</summary>
    public byte[]? SaltKey { get; set; }

    /// <summary>The language of the organizer's page when delivering: the recipients' email, pages, CSV and PDF are in it.</summary>
    public string Language { get; set; } = "en";

    /// <summary>When the organizer released the full list of a delivery made as initials only; its recipients' lists then hold the names.</summary>
    public DateTimeOffset? FullListReleasedAt { get; set; }

    public List<DeliveryRecipient> Recipients { get; set; } = [];
}

/// <summary>
/// A delivery's leaf hashes and the signature id of each (in tree order), to issue receipts after the delivery even if
/// signatures are withdrawn or erased since. Never loaded through EF: DeliveryTreeSql streams it.
/// </summary>
public class DeliveryTree
{
    public long DeliveryId { get; set; }

    /// <summary>32 bytes per leaf.</summary>
    public byte[] Leaves { get; set; } = [];

    /// <summary>8 bytes (big-endian) per leaf: the signature id, ascending.</summary>
    public byte[] SignatureIds { get; set; } = [];
}

public class DeliveryRecipient
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public long? DecisionMakerId { get; set; }
    public required string Name { get; set; }
    public string? TitleOrOrganization { get; set; }
    public string? Email { get; set; }
    public byte[]? AccessTokenHash { get; set; }
    public DateTimeOffset? AccessExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? FirstDownloadedAt { get; set; }

    /// <summary>When this recipient of a delivery made as initials only first asked for the full list.</summary>
    public DateTimeOffset? FullListRequestedAt { get; set; }
}

public class PetitionUpdate
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string BodyHtml { get; set; }
    public DateTimeOffset PostedAt { get; set; }
}

/// <summary>One edit of a petition, kept so the history of what supporters signed stays visible.</summary>
public class PetitionEdit
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public DateTimeOffset EditedAt { get; set; }
    public string? EditedByUserId { get; set; }
    public required string PreviousTitle { get; set; }
    public required string PreviousBody { get; set; }
    public required string PreviousDecisionMakersJson { get; set; }
    public int PreviousGoal { get; set; }
}

public class RecipientResponse
{
    public long Id { get; set; }
    public long DeliveryRecipientId { get; set; }
    public long PetitionId { get; set; }
    public required string Text { get; set; }
    public bool AcceptsDemand { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

public class DownloadLog
{
    public long Id { get; set; }
    public long DeliveryRecipientId { get; set; }
    public required string Format { get; set; }
    public DateTimeOffset DownloadedAt { get; set; }
    public string? IpAddress { get; set; }
}

/// <summary>
/// A notice to every opted-in supporter of a petition (update, closing, victory, delivery, response). The worker
/// writes the outbox rows in batches, moving the cursor in the same transaction, so any number of supporters is fine
/// and a restart carries on where it stopped.
/// </summary>
public class NotificationJob
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string Kind { get; set; }

    // Jobs queued before notices were composed at send time carry their English text here; newer ones have Arguments.
    public string? Subject { get; set; }
    public string? BodyHtml { get; set; }
    public string? BodyText { get; set; }

    /// <summary>What the notice says, as JSON (<see cref="NoticeArguments"/>): each signer's email is composed from it in their language.</summary>
    public string? Arguments { get; set; }

    /// <summary>The update an update's notice announces, whose translations the notice uses.</summary>
    public long? UpdateId { get; set; }
    public PetitionUpdate? Update { get; set; }
    public long LastSignatureId { get; set; }
    public int Sent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
