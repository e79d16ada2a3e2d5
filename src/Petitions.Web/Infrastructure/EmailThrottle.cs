using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// At most <see cref="RateLimitingOptions.EmailsPerAddressPerHour"/> emails a stranger can trigger (signing, registering,
/// a password reset) go to one address in any hour, across every node, so nobody can mail-bomb an address through the
/// site. Past the limit the caller shows its usual page and sends nothing. Rows hold a hash of the normalized address and
/// the send times of the last hour only; <see cref="PurgeAsync"/> removes stale ones.
/// </summary>
public sealed class EmailThrottle(NpgsqlDataSource dataSource, IOptions<RateLimitingOptions> options)
{
    public int Limit => options.Value.EmailsPerAddressPerHour;

    /// <summary>The key of an address: one per inbox (see <see cref="EmailAddresses.Normalize"/>), never the address itself.</summary>
    public static byte[] Key(string email) =>
        SHA256.HashData(Encoding.UTF8.GetBytes("petitions.email-throttle:" + EmailAddresses.Normalize(email)));

    /// <summary>Takes one send for the address; false when it has had its limit this hour and nothing may be sent.</summary>
    public async Task<bool> TryTakeAsync(string email, CancellationToken cancellationToken, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        await using var command = connection is null
            ? dataSource.CreateCommand(ThrottleSql.TakeEmail("$1", "$2"))
            : new NpgsqlCommand(ThrottleSql.TakeEmail("$1", "$2"), connection, transaction);
        command.With(Key(email)).With(Limit);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// Takes one send under any other key (such as a hashed client address, for a per-client allowance) with its own
    /// hourly <paramref name="limit"/>; the key must not collide with <see cref="Key"/>'s, so prefix it.
    /// </summary>
    public async Task<bool> TryTakeAsync(byte[] key, int limit, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ThrottleSql.TakeEmail("$1", "$2"), connection, transaction);
        command.With(key).With(limit);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Deletes addresses with no send in the last hour; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ThrottleSql.PurgeEmail);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
