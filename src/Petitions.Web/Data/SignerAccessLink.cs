namespace Petitions.Web.Data;

/// <summary>
/// A single-use "my signatures" link sent from /my: only the SHA-256 of its token is stored. It works for an hour
/// and once; the retention job deletes old rows.
/// </summary>
public class SignerAccessLink
{
    public required byte[] TokenHash { get; set; }
    public required string NormalizedEmail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
