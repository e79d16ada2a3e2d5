namespace Petitions.Web.Data;

/// <summary>One invalidation by a moderator: the criteria, why, and how many signatures it took off; an admin can undo it once.</summary>
public class SignatureInvalidation
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? ById { get; set; }
    public required string Reason { get; set; }

    /// <summary>The search that chose the signatures, as a readable line (for the list and the audit log).</summary>
    public required string Criteria { get; set; }
    public long? PetitionId { get; set; }
    public int ConfirmedCount { get; set; }
    public int PendingCount { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    public string? UndoneById { get; set; }
}

public enum TrendingKind
{
    Ip,

    /// <summary>A /24 (IPv4) or /64 (IPv6) network.</summary>
    Network,
    Domain,
}

/// <summary>An address, network or email domain that signed one petition unusually often within an hour.</summary>
public class TrendingFinding
{
    public long Id { get; set; }
    public long PetitionId { get; set; }
    public TrendingKind Kind { get; set; }

    /// <summary>The address, the network in CIDR form, or the domain.</summary>
    public required string Value { get; set; }

    /// <summary>The signatures within the hour before <see cref="LastSeenAt"/>.</summary>
    public int Count { get; set; }

    /// <summary>The earliest signature of the first hour it was found in: where a search for its run starts.</summary>
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}
