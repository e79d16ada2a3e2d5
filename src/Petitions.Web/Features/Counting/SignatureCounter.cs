using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Counting;

/// <summary>
/// Adds newly confirmed signatures to each petition's count in one statement every interval, so that signing and
/// confirming never lock the petition row (a hot row serializes every signer of a viral petition).
/// An advisory lock keeps the counting to one instance; a full recount repairs any drift on start-up and daily.
/// </summary>
public sealed partial class SignatureCounter(
    NpgsqlDataSource dataSource,
    IOptions<CountingOptions> options,
    TimeProvider clock,
    ILogger<SignatureCounter> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 7_210_001;
    private static readonly TimeSpan RecountEvery = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.IntervalSeconds);
        DateTimeOffset? lastRecount = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (lastRecount is null || clock.GetUtcNow() - lastRecount > RecountEvery)
                {
                    if (await RecountAllAsync(stoppingToken))
                    {
                        lastRecount = clock.GetUtcNow();
                    }
                }

                await CountNewConfirmationsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NpgsqlException ex)
            {
                LogCountingFailed(ex);
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

    /// <summary>Adds confirmations not yet counted; returns how many were added, or -1 if another instance is counting.</summary>
    public async Task<int> CountNewConfirmationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, cancellationToken))
        {
            return -1;
        }

        await using var command = new NpgsqlCommand(
            """
            WITH newly AS (
                UPDATE signatures SET counted = true
                WHERE id IN (SELECT id FROM signatures WHERE state = 'Confirmed' AND NOT counted ORDER BY id LIMIT 200000)
                RETURNING petition_id),
            per_petition AS (SELECT petition_id, count(*) AS n FROM newly GROUP BY petition_id),
            bumped AS (
                UPDATE petitions p SET signature_count = p.signature_count + per_petition.n
                FROM per_petition WHERE p.id = per_petition.petition_id
                RETURNING per_petition.n)
            SELECT coalesce(sum(n), 0)::int FROM bumped
            """, connection, transaction);
        var added = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Recomputes every petition's count from the counted signatures; returns false if another instance holds the lock.</summary>
    public async Task<bool> RecountAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, cancellationToken))
        {
            return false;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE petitions p SET signature_count = actual.n
            FROM (SELECT p2.id, (SELECT count(*) FROM signatures s WHERE s.petition_id = p2.id AND s.state = 'Confirmed' AND s.counted) AS n
                  FROM petitions p2) actual
            WHERE p.id = actual.id AND p.signature_count <> actual.n
            """, connection, transaction)
        { CommandTimeout = 600 };
        var repaired = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (repaired > 0)
        {
            LogRepaired(repaired);
        }

        return true;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = AdvisoryLockKey });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Counting signatures failed; will retry")]
    private partial void LogCountingFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recount repaired the count of {Petitions} petitions")]
    private partial void LogRepaired(int petitions);
}
