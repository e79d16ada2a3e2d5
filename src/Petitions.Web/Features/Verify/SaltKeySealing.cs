using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Verify;

/// <summary>
/// Seals the salt keys that deliveries of protected petitions made before salt keys were sealed still hold in the clear
/// (<see cref="ProtectedFields.SealSaltKey"/>), once after start. The key itself is unchanged, only how it is stored, so
/// every receipt stays the same; sealing is idempotent (a sealed key is never 32 bytes long), so N nodes may all run it.
/// </summary>
public sealed partial class SaltKeySealing(
    NpgsqlDataSource dataSource,
    ProtectedFields protectedFields,
    TimeProvider clock,
    ILogger<SaltKeySealing> logger) : PollingWorker(clock)
{
    public const int BatchSize = 100;

    private bool finished;
    private int warned;

    protected override ILogger Logger => logger;

    // Only waited after a failure, or while another node holds the lock: that node may stop half-way.
    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    protected override bool Finished => finished;

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        finished = await RunOnceAsync(cancellationToken) is not null;
        return false;
    }

    /// <summary>
    /// Seals every plain salt key of a protected petition's delivery, a batch per transaction under an advisory lock;
    /// the count sealed, or null when another node holds the lock. Without Protection__Key it only warns, once.
    /// </summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!protectedFields.IsAvailable)
        {
            await using var count = new NpgsqlCommand(ReceiptSql.CountPlainProtectedSaltKeys, connection);
            if (await count.ExecuteScalarAsync(cancellationToken) is int plain and > 0 && Interlocked.Exchange(ref warned, 1) == 0)
            {
                LogCannotSeal(plain);
            }

            return 0;
        }

        var total = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (!await TryLockAsync(connection, transaction, AdvisoryLocks.SaltKeySealing, cancellationToken))
            {
                return null;
            }

            var rows = new List<(long Id, long PetitionId, byte[] SaltKey)>();
            await using (var find = new NpgsqlCommand(ReceiptSql.PlainProtectedSaltKeys, connection, transaction).With(BatchSize))
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
                }
            }

            if (rows.Count > 0)
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var (id, petitionId, saltKey) in rows)
                {
                    var command = new NpgsqlBatchCommand(ReceiptSql.SealSaltKey);
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
                    command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = protectedFields.SealSaltKey(petitionId, saltKey) });
                    batch.BatchCommands.Add(command);
                }

                total += await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (rows.Count < BatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogSealed(total);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed the salt keys of {Count} deliveries of protected petitions made before salt keys were sealed")]
    private partial void LogSealed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} deliveries of protected petitions keep their salt key in the clear: Protection__Key is not set, so they cannot be sealed")]
    private partial void LogCannotSeal(int count);
}
