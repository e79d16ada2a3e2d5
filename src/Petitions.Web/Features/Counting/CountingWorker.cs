using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Counting;

/// <summary>
/// Adds newly confirmed signatures to each petition's count, and to its count per country, in one statement every
/// interval, so that signing and confirming never lock the petition row (a hot row serializes every signer of a viral
/// petition) and nothing groups a petition's signatures per request.
/// An advisory lock keeps the counting to one instance; a full recount repairs any drift on start-up and daily.
/// </summary>
public sealed partial class CountingWorker(
    NpgsqlDataSource dataSource,
    IOptions<CountingOptions> options,
    TimeProvider clock,
    ILogger<CountingWorker> logger) : PollingWorker(clock)
{
    private const long AdvisoryLockKey = Data.Sql.AdvisoryLocks.Counting;
    private static readonly TimeSpan RecountEvery = TimeSpan.FromDays(1);

    private DateTimeOffset? lastRecount;

    protected override ILogger Logger => logger;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        if (lastRecount is null || Clock.GetUtcNow() - lastRecount > RecountEvery)
        {
            if (await RecountAllAsync(cancellationToken))
            {
                lastRecount = Clock.GetUtcNow();
            }
        }

        await CountNewConfirmationsAsync(cancellationToken);
        return false;
    }

    /// <summary>Applies the count events waiting; returns how many it consumed, or -1 if another instance is counting.</summary>
    public async Task<int> CountNewConfirmationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, AdvisoryLockKey, cancellationToken))
        {
            return -1;
        }

        await CitusDistribution.UseSequentialOnCitusAsync(connection, transaction, cancellationToken);

        await using var command = new NpgsqlCommand(CountingSql.CountNew, connection, transaction);
        var added = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// Recomputes every petition's count, and its counts per country, from the Confirmed signatures; returns false if
    /// another instance holds the lock or a concurrent change to a petition row got in the way (it is simply run again).
    /// </summary>
    public async Task<bool> RecountAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var citus = await CitusDistribution.IsCoordinatorAsync(connection, cancellationToken);
        // One snapshot for all of it: the counts it writes are those of the signatures it sees, and the events it
        // deletes are exactly the ones those signatures wrote; anything committed after the snapshot keeps its event.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        if (citus)
        {
            // Citus has no snapshot across the coordinator and the workers, so a confirmation committing meanwhile could
            // be seen in the signatures and not in the events (or the reverse). Taken before the first query, so before
            // the snapshot, this lock waits for the writers in flight and holds new ones back until the recount commits.
            await using var hold = new NpgsqlCommand(CountingSql.HoldCountEvents, connection, transaction);
            await hold.ExecuteNonQueryAsync(cancellationToken);
            await CitusDistribution.UseSequentialOnCitusAsync(connection, transaction, cancellationToken);
        }

        if (!await TryLockAsync(connection, transaction, AdvisoryLockKey, cancellationToken))
        {
            return false;
        }

        int repaired;
        int repairedCountries;
        try
        {
            await using (var drop = new NpgsqlCommand(CountingSql.DropEvents, connection, transaction) { CommandTimeout = 600 })
            {
                await drop.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(CountingSql.RecountAll, connection, transaction) { CommandTimeout = 600 };
            repaired = await command.ExecuteNonQueryAsync(cancellationToken);
            repairedCountries = await RecountCountriesAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.SerializationFailure)
        {
            LogRecountRetried();
            return false;
        }

        if (repaired > 0)
        {
            LogRepaired(repaired);
        }

        if (repairedCountries > 0)
        {
            LogRepairedCountries(repairedCountries);
        }

        return true;
    }

    /// <summary>Makes petition_country_counts match the counted signatures; returns how many rows it changed.</summary>
    private static async Task<int> RecountCountriesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CountingSql.RecountCountries, connection, transaction)
        { CommandTimeout = 600 };
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recount met a concurrent change to a petition; it will run again")]
    private partial void LogRecountRetried();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recount repaired the count of {Petitions} petitions")]
    private partial void LogRepaired(int petitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recount repaired {Rows} per-country counts")]
    private partial void LogRepairedCountries(int rows);
}
