using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Features.Notifications;

namespace Petitions.Web.Features.Organize;

/// <summary>
/// Closes petitions whose closing date has passed. It works from the database state alone, so a restart (or a
/// second instance) simply closes whatever is due; each closing and its supporter notice commit together.
/// </summary>
public sealed partial class PetitionCloser(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PetitionCloser> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CloseDueAsync(stoppingToken);
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
            {
                LogFailed(ex);
                await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async Task<int> CloseDueAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var notices = scope.ServiceProvider.GetRequiredService<SupporterNotices>();
        var now = clock.GetUtcNow();
        var closed = 0;
        while (true)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = await db.Petitions
                .FromSqlRaw(PetitionSql.DueToClose, now)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return closed;
            }

            foreach (var petition in due)
            {
                notices.Queue(db, petition, petition.CloseOnClosingDate()!);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            closed += due.Count;
            LogClosed(due.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} petitions that reached their closing date")]
    private partial void LogClosed(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing due petitions failed; will retry")]
    private partial void LogFailed(Exception ex);
}
