using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Features.Account;

/// <summary>
/// Login attempts per (email, client address), in PostgreSQL so that every node counts the same attempts. The first
/// <see cref="FreeAttempts"/> are free; after that each try waits 1, 2, 4 … minutes (at most an hour) after the last.
/// Only that pair waits, so the owner coming from another address logs in at once, which an account-wide lockout
/// would not allow. The key is the email typed, whether or not it has an account, so a refusal tells nobody who has one.
/// </summary>
public sealed class LoginThrottle(NpgsqlDataSource dataSource)
{
    public const int FreeAttempts = 5;

    /// <summary>The pair's key: the email as Identity normalizes it, and <see cref="Infrastructure.RateLimits.ClientKey"/>.</summary>
    public static byte[] Key(string normalizedEmail, string client) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"petitions.login-throttle:{normalizedEmail}\n{client}"));

    /// <summary>Counts one attempt; false when the pair must wait longer, and the password must not be checked.</summary>
    public async Task<bool> TryTakeAsync(byte[] key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ThrottleSql.TakeLogin).With(key).With(FreeAttempts);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The right password (or a password reset) was given from this pair: it starts again.</summary>
    public async Task ClearAsync(byte[] key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ThrottleSql.ClearLogin).With(key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes pairs with no attempt for a day, which would start again anyway; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ThrottleSql.PurgeLogin);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Purges stale <see cref="LoginThrottle"/> and <see cref="Infrastructure.EmailThrottle"/> rows hourly; plain DELETEs, so
/// any number of nodes may run it.
/// </summary>
public sealed class ThrottlePurgeWorker(LoginThrottle throttle, Infrastructure.EmailThrottle emails, TimeProvider clock, ILogger<ThrottlePurgeWorker> logger)
    : Infrastructure.PollingWorker(clock)
{
    protected override ILogger Logger => logger;

    protected override TimeSpan Interval { get; } = TimeSpan.FromHours(1);

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        await throttle.PurgeAsync(cancellationToken);
        await emails.PurgeAsync(cancellationToken);
        return false;
    }
}
