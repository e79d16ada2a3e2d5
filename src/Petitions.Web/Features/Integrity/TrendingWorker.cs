using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;

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
    ILogger<TrendingWorker> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 7_210_013;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.TrendingEnabled)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(options.Value.TrendingIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NpgsqlException ex)
            {
                LogFailed(ex);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Looks once; returns how many findings it recorded or refreshed, or null when another node holds the lock.</summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand(IntegritySql.TryLock, connection, transaction).With(AdvisoryLockKey))
        {
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return null;
            }
        }

        await using var command = new NpgsqlCommand(IntegritySql.FindTrending, connection, transaction) { CommandTimeout = 300 };
        command.WithTimestamp(clock.GetUtcNow()).With(settings.TrendingIpPerHour).With(settings.TrendingDomainPerHour).With(settings.CommonMailDomainList());
        var found = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        if (found > 0)
        {
            LogFound(found);
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for trending signing activity failed; will retry")]
    private partial void LogFailed(Exception ex);

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
