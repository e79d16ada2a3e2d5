namespace Petitions.Web.Data;

public enum SignatureState
{
    Pending,

    /// <summary>Confirmed and counted; the only state that counts, is exported and delivered.</summary>
    Confirmed,

    /// <summary>Stopped counting by a moderator (CountEvents.RemoveAsync); an admin can restore it to Confirmed.</summary>
    Invalidated,

    /// <summary>Withdrawn by the signer (CountEvents.RemoveAsync).</summary>
    Withdrawn,
}

public class Signature
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public required string FullName { get; set; }
    public required string Email { get; set; }
    public required string NormalizedEmail { get; set; }
    public required string Country { get; set; }
    public required string PostcodeOrCity { get; set; }
    public string? Reason { get; set; }
    public bool ShowPublicly { get; set; }
    public bool EmailUpdates { get; set; }
    public bool ShareEmailWithOrganizer { get; set; }
    public SignatureState State { get; set; }
    public required byte[] ConfirmationTokenHash { get; set; }
    public string? IpAddress { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? UnsubscribedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }

    // Set when the personal fields were replaced (retention after the petition closed, or the signer erased them).
    public DateTimeOffset? AnonymizedAt { get; set; }

    // The language the signer signed in (its URL prefix code); their later emails are written in it.
    public string Language { get; set; } = "en";
    /// <summary>Set when a moderator takes this supporter's name and reason off "recent supporters"; the signature still counts.</summary>
    public DateTimeOffset? PublicHiddenAt { get; set; }

    /// <summary>Set when a moderator invalidated it (with who, why and in which batch); kept after an undo as history.</summary>
    public DateTimeOffset? InvalidatedAt { get; set; }
    public string? InvalidatedById { get; set; }
    public string? InvalidationReason { get; set; }
    public long? InvalidationId { get; set; }
}
