using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Integrity;

/// <summary>
/// Looks at the last hour of signatures, per petition, for addresses, /24 (/64) networks and email domains signing
/// more than <see cref="IntegrityOptions"/> allows, and records them in trending_findings for /admin. One node at a
/// time, under an advisory lock; times come from <see cref="TimeProvider"/> so tests can drive it.
/// </summary>
public sealed partial class TrendingWorker(
    NpgsqlDataSource dataSource,
    IOptions<IntegrityOptions> options,
    TimeProvider clock,
    ILogger<TrendingWorker> logger) : PollingWorker(clock)
{
    private const long AdvisoryLockKey = Data.Sql.AdvisoryLocks.Trending;

    protected override ILogger Logger => logger;

    protected override bool Enabled => options.Value.TrendingEnabled;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.TrendingIntervalSeconds);

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        return false;
    }

    /// <summary>Looks once; returns how many findings it recorded or refreshed, or null when another node holds the lock.</summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, AdvisoryLockKey, cancellationToken))
        {
            return null;
        }

        await using var command = new NpgsqlCommand(IntegritySql.FindTrending, connection, transaction) { CommandTimeout = 300 };
        command.WithTimestamp(Clock.GetUtcNow()).With(settings.TrendingIpPerHour).With(settings.TrendingDomainPerHour).With(settings.CommonMailDomainList());
        var found = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        if (found > 0)
        {
            LogFound(found);
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trending signing activity: {Findings} findings")]
    private partial void LogFound(int findings);
}

public sealed record TrendingRow(TrendingFinding Finding, string PetitionSlug, string PetitionTitle)
{
    /// <summary>The search that shows this finding's signatures: its petition, its address, network or domain, since its run began.</summary>
    public SignatureCriteria Criteria => new()
    {
        Petition = PetitionSlug,
        Ip = Finding.Kind == TrendingKind.Domain ? null : Finding.Value,
        Domain = Finding.Kind == TrendingKind.Domain ? Finding.Value : null,
        From = Finding.WindowStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class TrendingQueries(PetitionsDbContext db, TimeProvider clock)
{
    /// <summary>Findings seen in the last day, latest first.</summary>
    public async Task<(int Count, IReadOnlyList<TrendingRow> Rows)> RecentAsync(int take, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddDays(-1);
        var recent = db.TrendingFindings.AsNoTracking().Where(f => f.LastSeenAt >= since);
        var rows = await recent.OrderByDescending(f => f.LastSeenAt).ThenByDescending(f => f.Count).Take(take)
            .Join(db.Petitions, f => f.PetitionId, p => p.Id, (f, p) => new TrendingRow(f, p.Slug, p.Title))
            .ToListAsync(cancellationToken);
        return (await recent.CountAsync(cancellationToken), rows);
    }
}
