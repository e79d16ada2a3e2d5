namespace Petitions.Web.Data;

/// <summary>Recent login attempts for one (email, client) pair, for <see cref="Features.Account.LoginThrottle"/>: a hash of the pair, never the pair.</summary>
public class LoginThrottleEntry
{
    public required byte[] KeyHash { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset LastAttemptAt { get; set; }
}
