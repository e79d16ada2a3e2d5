namespace Petitions.Web.Data;

/// <summary>The one row of site-wide switches (id 1). Signing is paused everywhere while <see cref="SigningPausedAt"/> is set.</summary>
public class SiteSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public DateTimeOffset? SigningPausedAt { get; set; }

    /// <summary>New petitions start in protected mode unless their organizer unticks it.</summary>
    public bool ProtectNewPetitions { get; set; }
}

public enum BlockKind
{
    Ip,
    Domain,
}

/// <summary>An IP/CIDR range or an email domain whose signatures never confirm. The signer is not told.</summary>
public class SigningBlock
{
    public long Id { get; set; }
    public BlockKind Kind { get; set; }

    /// <summary>A CIDR in canonical form (192.0.2.0/24, 2001:db8::/32) or a lower-case domain.</summary>
    public required string Value { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
}
