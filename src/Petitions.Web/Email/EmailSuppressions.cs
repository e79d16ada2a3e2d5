using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain;
using Petitions.Web.Features.Signing;

namespace Petitions.Web.Email;

/// <summary>
/// Addresses that get no more deliveries: ones their mail server refused permanently (fed by the outbox worker), and
/// ones whose owner followed "Don't email me from this site again". Only a hash of the normalized address is kept.
/// </summary>
public static class EmailSuppressions
{
    public const string Bounce = "bounce";
    public const string Complaint = "complaint";

    /// <summary>The key of an address: one per inbox (see <see cref="EmailAddresses.Normalize"/>), never the address itself.</summary>
    public static byte[] Key(string email) =>
        SHA256.HashData(Encoding.UTF8.GetBytes("petitions.email-suppression:" + EmailAddresses.Normalize(email)));

    /// <summary>Which of <paramref name="addresses"/> must not be emailed (compared by <see cref="Key"/>).</summary>
    public static async Task<IReadOnlySet<string>> SuppressedAsync(PetitionsDbContext db, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var keyed = addresses.Distinct(StringComparer.Ordinal).Select(a => (Address: a, Key: Convert.ToHexString(Key(a)))).ToList();
        if (keyed.Count == 0)
        {
            return new HashSet<string>();
        }

        var keys = keyed.Select(k => Convert.FromHexString(k.Key)).ToList();
        var found = (await db.EmailSuppressions.Where(s => keys.Contains(s.AddressHash)).Select(s => s.AddressHash).ToListAsync(cancellationToken))
            .Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        return keyed.Where(k => found.Contains(k.Key)).Select(k => k.Address).ToHashSet(StringComparer.Ordinal);
    }

    public static async Task AddAsync(NpgsqlDataSource dataSource, byte[] key, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(ThrottleSql.Suppress("$1", "$2"));
        command.With(key).With(reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Signed "Don't email me from this site again" links: the token carries the address's key, never the address, and
/// needs no storage and no login.
/// </summary>
public sealed class SuppressionLinks(IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("Petitions.EmailSuppression.v1");

    public string CreateToken(string email) => protector.ProtectToken(EmailSuppressions.Key(email));

    /// <summary>The address key in a genuine token, or null.</summary>
    public byte[]? Read(string? token) =>
        protector.UnprotectToken(token) is { Length: SHA256.HashSizeInBytes } key ? key : null;
}
