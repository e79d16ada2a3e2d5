using Npgsql;
using Petitions.Web.Data.Sql;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// The shape every background worker shares: poll, wait <see cref="Interval"/> (none while more work waits), log and
/// carry on after a failure, stop on cancellation. An exception escaping a BackgroundService stops the whole site, so none does.
/// </summary>
public abstract partial class PollingWorker(TimeProvider clock) : BackgroundService
{
    protected TimeProvider Clock => clock;

    /// <summary>The worker's own logger (the derived class's primary constructor keeps it, for its LoggerMessage methods).</summary>
    protected abstract ILogger Logger { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>How long to wait after a failure.</summary>
    protected virtual TimeSpan RetryAfter => Interval;

    protected virtual bool Enabled => true;

    /// <summary>Whether a one-time job's work is done for good, so the loop ends.</summary>
    protected virtual bool Finished => false;

    /// <summary>Does one round of work; returns true when more is waiting, so the next round starts at once.</summary>
    protected abstract Task<bool> PollAsync(CancellationToken cancellationToken);

    /// <summary>Waits <see cref="Interval"/> before the next round when the last found nothing to do.</summary>
    protected virtual Task WaitForWorkAsync(CancellationToken cancellationToken) => Task.Delay(Interval, clock, cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Enabled ? PollLoopAsync(stoppingToken) : Task.CompletedTask;

    protected async Task PollLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && !Finished)
        {
            bool failed = false, more = false;
            try
            {
                more = await PollAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(Logger, GetType().Name, ex);
                failed = true;
            }

            if ((failed || !more) && !Finished)
            {
                try
                {
                    await (failed ? Task.Delay(RetryAfter, clock, stoppingToken) : WaitForWorkAsync(stoppingToken));
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Takes the transaction-scoped advisory lock <paramref name="key"/>, so one node at a time does this; false when another holds it.</summary>
    protected static async Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(WorkerSql.TryLock, connection, transaction).With(key);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed; will retry")]
    private static partial void LogFailed(ILogger logger, string worker, Exception ex);
}
