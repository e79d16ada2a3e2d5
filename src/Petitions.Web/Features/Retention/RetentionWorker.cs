using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Retention;

/// <summary>What one run of <see cref="RetentionWorker"/> did, in counts (all it logs).</summary>
public sealed record RetentionResult(
    int UnconfirmedDeleted, int SignerIpsTruncated, int DownloadIpsTruncated, int OutboxAddressesCleared,
    int FailedBodiesCleared, int SignaturesAnonymized, int PetitionsAnonymized, int AccessLinksDeleted);

/// <summary>
/// Keeps personal data no longer than <see cref="RetentionOptions"/> says: once a day, under an advisory lock so that
/// one node at a time does it, in one transaction. Every rule is idempotent, so a second node running it later that
/// day only finds nothing to do. Times come from <see cref="TimeProvider"/>, so tests can move the clock.
/// </summary>
public sealed partial class RetentionWorker(
    NpgsqlDataSource dataSource,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionWorker> logger) : PollingWorker(clock)
{
    private const long AdvisoryLockKey = Data.Sql.AdvisoryLocks.Retention;

    protected override ILogger Logger => logger;

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => TimeSpan.FromHours(options.Value.IntervalHours);

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        await RunOnceAsync(cancellationToken);
        return false;
    }

    /// <summary>Applies every rule once; null when another node holds the lock.</summary>
    public async Task<RetentionResult?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = Clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, AdvisoryLockKey, cancellationToken))
        {
            return null;
        }

        await CitusDistribution.UseSequentialOnCitusAsync(connection, transaction, cancellationToken);

        async Task<int> ExecuteAsync(string sql, int? period)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
            command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            if (period is not null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = period.Value });
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var unconfirmed = await ExecuteAsync(RetentionSql.DeleteUnconfirmed, settings.UnconfirmedDays);
        var signerIps = await ExecuteAsync(RetentionSql.TruncateSignerIps, settings.IpDays);
        var downloadIps = await ExecuteAsync(RetentionSql.TruncateDownloadIps, settings.IpDays);
        var outbox = await ExecuteAsync(RetentionSql.ClearOutboxAddresses, settings.OutboxDays);
        var failedBodies = await ExecuteAsync(RetentionSql.ClearFailedBodies, null);
        var links = await ExecuteAsync(RetentionSql.DeleteExpiredAccessLinks, null);

        var due = new List<long>();
        await using (var find = new NpgsqlCommand(RetentionSql.DueForAnonymizing, connection, transaction))
        {
            find.WithTimestamp(now).With(settings.AnonymizeMonthsAfterClose);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(reader.GetInt64(0));
            }
        }

        int signatures = 0, petitions = 0;
        if (due.Count > 0)
        {
            await using (var anonymize = new NpgsqlCommand(RetentionSql.AnonymizePetitionSignatures, connection, transaction) { CommandTimeout = 600 })
            {
                signatures = await anonymize.WithTimestamp(now).With(due.ToArray()).ExecuteNonQueryAsync(cancellationToken);
            }

            await using var mark = new NpgsqlCommand(RetentionSql.MarkPetitionsAnonymized, connection, transaction);
            petitions = await mark.WithTimestamp(now).With(due.ToArray()).ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var result = new RetentionResult(unconfirmed, signerIps, downloadIps, outbox, failedBodies, signatures, petitions, links);
        LogDone(result.UnconfirmedDeleted, result.SignerIpsTruncated, result.DownloadIpsTruncated, result.OutboxAddressesCleared,
            result.FailedBodiesCleared, result.SignaturesAnonymized, result.PetitionsAnonymized);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Unconfirmed} unconfirmed signatures, cut {SignerIps} signer and {DownloadIps} download IP addresses to their network, cleared {Outbox} old emails and {FailedBodies} failed email bodies, anonymized {Signatures} signatures of {Petitions} petitions")]
    private partial void LogDone(int unconfirmed, int signerIps, int downloadIps, int outbox, int failedBodies, int signatures, int petitions);
}
