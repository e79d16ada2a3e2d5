namespace Petitions.Web.Data;

public enum SignatureState
{
    Pending,
    Confirmed,
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

    // Set by SignatureCounter once this confirmation has been added to the petition's count.
    public bool Counted { get; set; }
    public DateTimeOffset? UnsubscribedAt { get; set; }
}
