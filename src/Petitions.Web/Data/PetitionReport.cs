namespace Petitions.Web.Data;

public enum ReportOutcome
{
    Dismissed,
    Acted,
}

/// <summary>A visitor's report of a petition. One open report per petition and IP address: a second one updates the first.</summary>
public class PetitionReport
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public ModerationReason Reason { get; set; }
    public string? Details { get; set; }
    public string? Email { get; set; }
    public required string IpAddress { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedById { get; set; }
    public ReportOutcome? Outcome { get; set; }
}
