using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

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
    Withdrawal.WithdrawTokens withdrawTokens,
    Domain.Privacy.ProtectedFields protectedFields,
    IOptions<SiteOptions> site,
    IOptions<EmailOptions> emailOptions,
    SiteLanguages languages,
    Verify.DeliveryTrees trees,
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
        await using (var claim = new NpgsqlCommand(PetitionSql.ClaimNotificationJob, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            (jobId, petitionId, lastId, kind, subject, bodyHtml, bodyText, slug, title) = (reader.GetInt64(0), reader.GetInt64(1),
                reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8));
        }

        var recipients = new List<(long Id, string Name, string Email, string Language, string NormalizedEmail)>();
        var isProtected = false;
        await using (var select = new NpgsqlCommand(SignatureSql.UpdateRecipients, connection, transaction))
        {
            select.With(petitionId).With(lastId).With(BatchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // A protected signer's name and address are sealed in the row; the outbox forgets them once sent.
                isProtected = reader.GetBoolean(5);
                var stored = reader.GetString(4);
                var open = protectedFields.Open(isProtected, petitionId, stored, reader.GetString(1), reader.GetString(2), "", null);
                recipients.Add((reader.GetInt64(0), open.FullName, open.Email, reader.GetString(3), stored));
            }
        }

        // A delivery's notice carries each signer's receipt: their leaf, salt and proof against the published root.
        var receipts = EmailKind.Parse(kind) == EmailKind.PetitionDelivered
            ? await Verify.ReceiptLinks.ForBatchAsync(connection, transaction, trees, protectedFields, jobId, slug, [.. recipients.Select(r => r.Id)], cancellationToken)
            : new Dictionary<long, Domain.Privacy.MerkleReceipt>();
        foreach (var (id, name, email, code, normalizedEmail) in recipients)
        {
            // Each supporter hears in the language they signed in.
            var language = languages.Find(code) ?? languages.Default;
            var prefix = languages.Prefix(language);
            var petitionUrl = $"{baseUrl}{prefix}/p/{slug}";
            var unsubscribeUrl = $"{baseUrl}{prefix}/u/{unsubscribeTokens.Create(id)}";
            var withdrawUrl = $"{baseUrl}{prefix}/s/withdraw/{withdrawTokens.Create(petitionId, normalizedEmail)}";
            var receiptUrl = receipts.TryGetValue(id, out var receipt) ? Verify.ReceiptLinks.Url($"{baseUrl}{prefix}", receipt) : null;
            var content = await renderer.RenderAsync(EmailKind.Parse(kind),
                new SupporterNoticeEmail(name, title, petitionUrl, bodyHtml, bodyText, unsubscribeUrl, withdrawUrl, receiptUrl), language);
            var headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = $"<{unsubscribeUrl}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            };
            var message = outbox.Create(EmailKind.Parse(kind), email, name, content with { Subject = subject }, headers);
            message.ForgetRecipient = isProtected;
            await Outbox.InsertAsync(connection, transaction, message, cancellationToken);
        }

        await using (var advance = new NpgsqlCommand(PetitionSql.AdvanceNotificationJob, connection, transaction))
        {
            advance.With(jobId).With(recipients.Count > 0 ? recipients[^1].Id : lastId).With(recipients.Count).With(recipients.Count < BatchSize);
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
