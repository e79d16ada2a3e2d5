using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Features.Notifications;

/// <summary>
/// Turns notification jobs into outbox rows, one batch of supporters per transaction. The cursor (last signature id)
/// moves in the same transaction as the rows it wrote, so a crash never loses or repeats a supporter.
/// </summary>
public sealed partial class NotificationWorker(
    NpgsqlDataSource dataSource,
    EmailRenderer renderer,
    Outbox outbox,
    OutboxSignal outboxSignal,
    UnsubscribeTokens unsubscribeTokens,
    IOptions<SiteOptions> site,
    IOptions<EmailOptions> emailOptions,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    public const int BatchSize = 500;
    private readonly string baseUrl = site.Value.BaseUrl.TrimEnd('/');

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(emailOptions.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await ProcessBatchAsync(stoppingToken))
                {
                    await Task.Delay(poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NpgsqlException ex)
            {
                LogFailed(ex);
                await Task.Delay(poll * 5, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Writes one batch of one pending job; returns false when there was nothing to do.</summary>
    public async Task<bool> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        long jobId, petitionId, lastId;
        string kind, subject, bodyHtml, bodyText, slug, title;
        await using (var claim = new NpgsqlCommand(
            """
            SELECT j.id, j.petition_id, j.last_signature_id, j.kind, j.subject, j.body_html, j.body_text, p.slug, p.title
            FROM notification_jobs j JOIN petitions p ON p.id = j.petition_id
            WHERE j.completed_at IS NULL ORDER BY j.id LIMIT 1 FOR UPDATE OF j SKIP LOCKED
            """, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (jobId, petitionId, lastId, kind, subject, bodyHtml, bodyText, slug, title) = (reader.GetInt64(0), reader.GetInt64(1),
                reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8));
        }

        var recipients = new List<(long Id, string Name, string Email)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, full_name, email FROM signatures
            WHERE petition_id = $1 AND id > $2 AND state = 'Confirmed' AND email_updates AND unsubscribed_at IS NULL
            ORDER BY id LIMIT $3
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = petitionId });
            select.Parameters.Add(new NpgsqlParameter { Value = lastId });
            select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recipients.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var petitionUrl = $"{baseUrl}/p/{slug}";
        foreach (var (id, name, email) in recipients)
        {
            var unsubscribeUrl = $"{baseUrl}/u/{unsubscribeTokens.Create(id)}";
            var content = await renderer.RenderAsync("SupporterNotice", new SupporterNoticeEmail(name, title, petitionUrl, bodyHtml, bodyText, unsubscribeUrl));
            var headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = $"<{unsubscribeUrl}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            };
            var message = outbox.Create(kind, email, name, content with { Subject = subject }, headers);
            await Outbox.InsertAsync(connection, transaction, message, cancellationToken);
        }

        await using (var advance = new NpgsqlCommand(
            "UPDATE notification_jobs SET last_signature_id = $2, sent = sent + $3, completed_at = CASE WHEN $4 THEN now() END WHERE id = $1",
            connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = jobId });
            advance.Parameters.Add(new NpgsqlParameter { Value = recipients.Count > 0 ? recipients[^1].Id : lastId });
            advance.Parameters.Add(new NpgsqlParameter { Value = recipients.Count });
            advance.Parameters.Add(new NpgsqlParameter { Value = recipients.Count < BatchSize });
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (recipients.Count > 0)
        {
            outboxSignal.Notify();
            LogBatch(jobId, kind, recipients.Count);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification worker failed; retrying shortly")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification job {JobId} ({Kind}) queued {Count} emails")]
    private partial void LogBatch(long jobId, string kind, int count);
}
