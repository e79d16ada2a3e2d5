using Microsoft.EntityFrameworkCore;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Organize;

/// <summary>
/// Closes petitions whose closing date has passed. It works from the database state alone, so a restart (or a
/// second instance) simply closes whatever is due; each closing and its supporter notice commit together.
/// </summary>
public sealed partial class ClosingWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ClosingWorker> logger) : PollingWorker(clock)
{
    protected override ILogger Logger => logger;

    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(30);

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken)
    {
        await CloseDueAsync(cancellationToken);
        return false;
    }

    public async Task<int> CloseDueAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var notices = scope.ServiceProvider.GetRequiredService<SupporterNotices>();
        var now = Clock.GetUtcNow();
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
}
