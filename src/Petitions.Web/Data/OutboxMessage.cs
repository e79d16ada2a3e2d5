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
    public string? AttachmentName { get; set; }
    public byte[]? AttachmentContent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}
