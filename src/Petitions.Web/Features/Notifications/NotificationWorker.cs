using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Email;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Notifications;

/// <summary>
/// Turns notification jobs into outbox rows, one batch of supporters at a time. The batch is read under the job's row
/// lock in a short transaction, rendered with no transaction open, and written with the cursor (last signature id) in a
/// second short one that first checks the cursor is still where the batch began: a crash never loses or repeats a
/// supporter, and with several nodes only one writes each batch.
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
    Texts texts,
    Verify.DeliveryTrees trees,
    ILogger<NotificationWorker> logger) : PollingWorker(TimeProvider.System)
{
    public const int BatchSize = 500;
    private readonly SiteLinks links = new(site, languages);

    private sealed record Recipient(long Id, string Name, string Email, string Language, string NormalizedEmail, bool IsProtected);

    /// <summary>A notice's subject and body: composed for each signer, or stored in English on jobs queued before that.</summary>
    private sealed record NoticeBody(string Subject, string BodyHtml, string BodyText);

    /// <summary>
    /// What a batch renders from: the job's arguments (or its stored text), and the petition's title and the update's
    /// text in each language they were translated into, read with the batch so the render needs no database.
    /// </summary>
    private sealed record Batch(long JobId, long PetitionId, long LastId, EmailKind Kind, NoticeArguments? Arguments, NoticeBody? Stored,
        string Slug, string Title, string PetitionLanguage, Dictionary<string, string> Titles, Dictionary<string, PetitionUpdateTranslation> UpdateTranslations,
        List<Recipient> Recipients, Dictionary<long, Domain.Privacy.MerkleReceipt> Receipts);

    protected override ILogger Logger => logger;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(emailOptions.Value.PollSeconds);

    protected override TimeSpan RetryAfter => Interval * 5;

    protected override Task<bool> PollAsync(CancellationToken cancellationToken) => ProcessBatchAsync(cancellationToken);

    /// <summary>Writes one batch of one pending job; returns false when there was nothing to do.</summary>
    public async Task<bool> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var batch = await ClaimAsync(connection, cancellationToken);
        if (batch is null)
        {
            return false;
        }

        try
        {
            var messages = new List<OutboxMessage>(batch.Recipients.Count);
            foreach (var recipient in batch.Recipients)
            {
                messages.Add(await RenderAsync(batch, recipient));
            }

            if (!await WriteAsync(connection, batch, messages, cancellationToken))
            {
                LogBatchTaken(batch.JobId);
                return true;
            }
        }
        finally
        {
            await UnlockAsync(connection, batch.JobId);
        }

        if (batch.Recipients.Count > 0)
        {
            outboxSignal.Notify();
            LogBatch(batch.JobId, batch.Kind.Name, batch.Recipients.Count);
        }

        return true;
    }

    /// <summary>Reads the first pending job and its next batch, and takes the job's session lock; commits before returning.</summary>
    private async Task<Batch?> ClaimAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long jobId, petitionId, lastId;
        long? updateId;
        string kind, slug, title, petitionLanguage;
        NoticeArguments? arguments;
        NoticeBody? storedBody;
        await using (var claim = new NpgsqlCommand(PetitionSql.ClaimNotificationJob, connection, transaction))
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (jobId, petitionId, lastId, kind, slug, title) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetString(7), reader.GetString(8));
            arguments = reader.IsDBNull(9) ? null : NoticeArguments.FromJson(reader.GetString(9));
            storedBody = arguments is not null ? null : new NoticeBody(reader.GetString(4), reader.GetString(5), reader.GetString(6));
            updateId = reader.IsDBNull(10) ? null : reader.GetInt64(10);
            petitionLanguage = reader.GetString(11);
        }

        await using (var take = new NpgsqlCommand(PetitionSql.TryLockNotificationJob, connection, transaction).With(jobId))
        {
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                // Another node is rendering this job's batch.
                return null;
            }
        }

        try
        {
            var recipients = new List<Recipient>();
            await using (var select = new NpgsqlCommand(SignatureSql.UpdateRecipients, connection, transaction))
            {
                select.With(petitionId).With(lastId).With(BatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    // A protected signer's name and address are sealed in the row; the outbox forgets them once sent.
                    var isProtected = reader.GetBoolean(5);
                    var stored = reader.GetString(4);
                    var open = protectedFields.Open(isProtected, petitionId, stored, reader.GetString(1), reader.GetString(2), "", null);
                    recipients.Add(new Recipient(reader.GetInt64(0), open.FullName, open.Email, reader.GetString(3), stored, isProtected));
                }
            }

            var titles = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand(TranslationSql.PetitionTitles, connection, transaction).With(petitionId))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    titles[reader.GetString(0)] = reader.GetString(1);
                }
            }

            var updateTranslations = new Dictionary<string, PetitionUpdateTranslation>(StringComparer.Ordinal);
            if (updateId is { } update)
            {
                await using var select = new NpgsqlCommand(TranslationSql.UpdateTranslations, connection, transaction).With(update);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    updateTranslations[reader.GetString(0)] = new PetitionUpdateTranslation
                    {
                        UpdateId = update,
                        Language = reader.GetString(0),
                        Title = reader.GetString(1),
                        Body = reader.GetString(2),
                        BodyHtml = reader.GetString(3),
                    };
                }
            }

            // A delivery's notice carries each signer's receipt: their leaf, salt and proof against the published root.
            var emailKind = EmailKind.Parse(kind);
            var receipts = emailKind == EmailKind.PetitionDelivered
                ? await Verify.ReceiptLinks.ForBatchAsync(connection, transaction, trees, protectedFields, jobId, slug, [.. recipients.Select(r => r.Id)], cancellationToken)
                : new Dictionary<long, Domain.Privacy.MerkleReceipt>();
            await transaction.CommitAsync(cancellationToken);
            return new Batch(jobId, petitionId, lastId, emailKind, arguments, storedBody, slug, title, petitionLanguage, titles, updateTranslations, recipients, receipts);
        }
        catch
        {
            await UnlockAsync(connection, jobId);
            throw;
        }
    }

    private async Task<OutboxMessage> RenderAsync(Batch batch, Recipient recipient)
    {
        // Each supporter hears in the language they signed in.
        var language = languages.Find(recipient.Language) ?? languages.Default;
        var petitionUrl = links.Petition(batch.Slug, language);
        var unsubscribeUrl = links.Unsubscribe(unsubscribeTokens.Create(recipient.Id), language);
        var withdrawUrl = links.Withdraw(withdrawTokens.Create(batch.PetitionId, recipient.NormalizedEmail), language);
        var receiptUrl = batch.Receipts.TryGetValue(recipient.Id, out var receipt) ? links.Receipt(receipt, language) : null;
        // The petition's title, and an update, in the signer's language when the organizer translated them.
        var title = language.Code != batch.PetitionLanguage && batch.Titles.TryGetValue(language.Code, out var translated) ? translated : batch.Title;
        var update = language.Code != batch.PetitionLanguage ? batch.UpdateTranslations.GetValueOrDefault(language.Code) : null;
        var body = batch.Stored ?? InLanguage.Run(language, () =>
        {
            var text = SupporterNoticeText.Compose(texts, batch.Kind, batch.Arguments!, title, update);
            return new NoticeBody(Outbox.FitSubject(text.Subject), text.BodyHtml, text.BodyText);
        });
        var content = await renderer.RenderAsync(batch.Kind,
            new SupporterNoticeEmail(recipient.Name, title, petitionUrl, body.BodyHtml, body.BodyText, unsubscribeUrl, withdrawUrl, receiptUrl, body.Subject), language);
        var message = outbox.Create(batch.Kind, recipient.Email, recipient.Name, content, Outbox.OneClickUnsubscribe(unsubscribeUrl));
        message.ForgetRecipient = recipient.IsProtected;
        return message;
    }

    /// <summary>Writes the rows and moves the cursor, unless someone moved it since the batch was read; returns whether it wrote.</summary>
    private async Task<bool> WriteAsync(NpgsqlConnection connection, Batch batch, List<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var check = new NpgsqlCommand(PetitionSql.LockNotificationJobAt, connection, transaction).With(batch.JobId).With(batch.LastId))
        {
            if (await check.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }

        foreach (var message in messages)
        {
            await Outbox.InsertAsync(connection, transaction, message, cancellationToken);
        }

        var recipients = batch.Recipients;
        await using (var advance = new NpgsqlCommand(PetitionSql.AdvanceNotificationJob, connection, transaction))
        {
            advance.With(batch.JobId).With(recipients.Count > 0 ? recipients[^1].Id : batch.LastId).With(recipients.Count).With(recipients.Count < BatchSize).WithTimestamp(Clock.GetUtcNow());
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task UnlockAsync(NpgsqlConnection connection, long jobId)
    {
        try
        {
            await using var unlock = new NpgsqlCommand(PetitionSql.UnlockNotificationJob, connection).With(jobId);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // Closing the connection ends the session, and its lock with it.
            LogUnlockFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing a notification job's lock failed")]
    private partial void LogUnlockFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification job {JobId}: another node wrote this batch first; it was dropped")]
    private partial void LogBatchTaken(long jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification job {JobId} ({Kind}) queued {Count} emails")]
    private partial void LogBatch(long jobId, string kind, int count);
}
