using System.Threading.RateLimiting;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Account;

/// <summary>
/// Limits posts to one account form aimed at one target (the email typed, or the account a reset link names), from
/// wherever they come; <see cref="RateLimits.AccountPolicy"/> limits each client. The allowance is twice what one
/// client may post, so a single client can never use it up and lock the owner out; the finer work is done by
/// <see cref="LoginThrottle"/> and <see cref="EmailThrottle"/>, which live in PostgreSQL. This one is a flood guard
/// and is kept in memory, per node: with N nodes a target gets up to N times the allowance.
/// </summary>
public sealed class AccountTargetLimiter : IDisposable
{
    public const int PermitsPerMinute = 2 * RateLimits.AccountPermitsPerClientPerMinute;

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = PermitsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    /// <summary>False when <paramref name="form"/> has had its allowance for <paramref name="target"/> this minute.</summary>
    public bool TryAcquire(string form, string target)
    {
        using var lease = limiter.AttemptAcquire($"{form}:{EmailAddresses.Normalize(target)}");
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
