namespace Petitions.Web.Data;

public class OutboxMessage
{
    public long Id { get; set; }
    public required string MessageId { get; set; }
    public required string Kind { get; set; }
    public required string ToAddress { get; set; }
    public string? ToName { get; set; }
    public required string Subject { get; set; }

    // Bodies hold live links (tokens), so they are cleared once the message is sent.
    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }
    public string? HeadersJson { get; set; }

    /// <summary>
    /// For a kind rendered at send time (<see cref="Email.DeferredEmails"/>): the template's model as JSON, with the
    /// bodies NULL until the worker renders them. It holds the same names and live links as a body, so it is cleared
    /// wherever the bodies are.
    /// </summary>
    public string? ModelJson { get; set; }

    /// <summary>The language code the deferred model is rendered in.</summary>
    public string? Language { get; set; }

    /// <summary>Set for a protected petition's signer: the address and name are cleared as soon as the message is sent.</summary>
    public bool ForgetRecipient { get; set; }
    public string? AttachmentName { get; set; }
    public byte[]? AttachmentContent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>The token of the sender's claim that holds (or last held) the lease; its updates check it.</summary>
    public Guid? Claim { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>
/// An address the site no longer sends deliveries to: its server refused it permanently, or its owner asked us to stop.
/// Held as a hash of the normalized address (see <see cref="Email.EmailSuppressions.Key"/>), never the address.
/// </summary>
public class EmailSuppression
{
    public required byte[] AddressHash { get; set; }

    /// <summary>"bounce" or "complaint".</summary>
    public required string Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Recent sends to one address, for <see cref="Infrastructure.EmailThrottle"/>: a hash of the address, never the address.</summary>
public class EmailThrottleEntry
{
    public required byte[] AddressHash { get; set; }
    public DateTimeOffset[] SentAt { get; set; } = [];
}
