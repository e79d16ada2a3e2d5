using System.Net.Sockets;
using System.Text.Json;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Petitions.Web.Data.Sql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Email;

/// <summary>
/// Sends outbox rows over SMTP. Rows are claimed with a lease (FOR UPDATE SKIP LOCKED) under a token of their own
/// claim, so several instances can run at once, and a crashed worker's rows are picked up again when the lease expires.
/// A sender only starts a message while it holds the row's lease, renewing the lease of its whole batch once half of it
/// has run out (slow SMTP), and every update it makes is conditional on still owning the claim. Each row is marked
/// sent as soon as the server accepts it, so it is never sent again after that. A row of a deferred kind holds its
/// template's model, not its bodies: it is rendered here, after the claim and outside any transaction, and a model that
/// cannot be rendered fails its row at once.
/// </summary>
public sealed partial class OutboxWorker(
    NpgsqlDataSource dataSource,
    DeferredEmails deferred,
    OutboxSignal signal,
    IOptions<SmtpOptions> smtpOptions,
    IOptions<EmailOptions> emailOptions,
    TimeProvider clock,
    ILogger<OutboxWorker> logger) : PollingWorker(clock)
{
    protected override ILogger Logger => logger;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(emailOptions.Value.PollSeconds);

    protected override TimeSpan RetryAfter => Interval * 5;

    private TimeSpan Lease => TimeSpan.FromSeconds(emailOptions.Value.LeaseSeconds);

    private sealed record Claimed(long Id, string MessageId, string Kind, string ToAddress, string? ToName, string Subject,
        string? Html, string? Text, string? HeadersJson, string? AttachmentName, byte[]? AttachmentContent, int Attempts,
        string? ModelJson = null, string? Language = null);

    // Several senders: a message costs a few sequential round trips (SMTP, then marking it sent), so one sender is
    // bound by latency, not by CPU. Their claims use SKIP LOCKED, so no two senders ever hold the same row.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, emailOptions.Value.Senders).Select(_ => Task.Run(() => PollLoopAsync(stoppingToken), CancellationToken.None)));

    protected override async Task<bool> PollAsync(CancellationToken cancellationToken) => await SendDueBatchAsync(cancellationToken) > 0;

    // A new message wakes an idle sender at once.
    protected override Task WaitForWorkAsync(CancellationToken cancellationToken) => signal.WaitAsync(Interval, cancellationToken);

    /// <summary>Claims and sends one batch; returns how many rows were claimed.</summary>
    public async Task<int> SendDueBatchAsync(CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid();
        // Taken before the claim reaches the database, so the lease the database grants ends no earlier than this plus Lease.
        var leaseFrom = Clock.GetTimestamp();
        var batch = await ClaimAsync(claim, emailOptions.Value.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        if (batch.Count == emailOptions.Value.BatchSize)
        {
            // More may be waiting: wake another sender rather than leave it to its next poll.
            signal.Notify();
        }

        var pending = new Queue<Claimed>(batch);
        var rendered = new Dictionary<long, Claimed>();
        try
        {
            using var client = new SmtpClient();
            try
            {
                await ConnectAsync(client, cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                LogSmtpUnavailable(batch.Count, ex.Message);
                foreach (var message in batch)
                {
                    await RescheduleAsync(claim, message, ex.Message, cancellationToken);
                }

                pending.Clear();
                return batch.Count;
            }

            while (pending.TryPeek(out var message))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Clock.GetElapsedTime(leaseFrom) > Lease / 2)
                {
                    leaseFrom = Clock.GetTimestamp();
                    pending = await RenewAsync(claim, pending, cancellationToken);
                    continue;
                }

                if (message.ModelJson is not null && !rendered.ContainsKey(message.Id))
                {
                    // Round the loop again after rendering, so the lease is checked between the render and the send.
                    if (await RenderAsync(claim, message) is { } content)
                    {
                        rendered[message.Id] = content;
                    }
                    else
                    {
                        pending.Dequeue();
                    }

                    continue;
                }

                MimeMessage mime;
                try
                {
                    mime = BuildMime(rendered.GetValueOrDefault(message.Id, message));
                }
                catch (Exception ex) when (ex is ParseException or FormatException or ArgumentException or JsonException)
                {
                    // A message that cannot be built (a malformed address, say) never will be: fail it, and go on.
                    pending.Dequeue();
                    LogUnsendable(message.Id, message.Kind, ex.GetType().Name);
                    await MarkFailedAsync(claim, message.Id, $"unsendable: {ex.Message}", CancellationToken.None);
                    continue;
                }

                try
                {
                    if (!client.IsConnected)
                    {
                        await ConnectAsync(client, cancellationToken);
                    }

                    // Once a message is on the wire it is finished, not cancelled: a server that accepted it while we
                    // stopped listening would otherwise get it again after the restart. The SMTP timeout bounds the wait.
                    await client.SendAsync(mime, CancellationToken.None);
                    pending.Dequeue();
                    await MarkSentAsync(claim, message, rendered.GetValueOrDefault(message.Id)?.Subject, CancellationToken.None);
                }
                catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
                {
                    pending.Dequeue();
                    LogPermanentFailure(message.Id, message.Kind, (int)ex.StatusCode);
                    // A recipient refused for good is not sent deliveries again; a refused message or sender says nothing about the address.
                    var bounced = ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? message.ToAddress : null;
                    await MarkFailedAsync(claim, message.Id, $"{(int)ex.StatusCode}: {ex.Message}", CancellationToken.None, bounced);
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    pending.Dequeue();
                    await RescheduleAsync(claim, message, ex.Message, CancellationToken.None);
                }
            }

            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        finally
        {
            // Stopping mid-batch: hand unsent rows straight back rather than waiting for the lease to expire.
            if (pending.Count > 0)
            {
                await ReleaseAsync(claim, pending.Select(m => m.Id).ToArray());
            }
        }

        return batch.Count;
    }

    /// <summary>The message with its subject and bodies rendered from its model, or null when it failed (its row is then marked failed).</summary>
    private async Task<Claimed?> RenderAsync(Guid claim, Claimed message)
    {
        try
        {
            var content = await deferred.RenderAsync(message.Kind, message.ModelJson!, message.Language);
            return message with { Subject = Outbox.FitSubject(content.Subject), Html = content.Html, Text = content.Text };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A model that does not render now never will: fail it rather than retry it. Only the exception's type is
            // logged and kept, as a message could quote the model (names, addresses, links).
            LogRenderFailed(message.Id, message.Kind, ex.GetType().Name);
            await MarkFailedAsync(claim, message.Id, $"render failed: {ex.GetType().Name}", CancellationToken.None);
            return null;
        }
    }

    private static bool IsTransient(Exception ex) =>
        ex is SmtpCommandException or SmtpProtocolException or IOException or SocketException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException or TimeoutException or SslHandshakeException
            or AuthenticationException;

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        var options = smtpOptions.Value;
        client.Timeout = 30_000;
        var security = options.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        // Nagle's algorithm would hold the last piece of each message until the server's delayed ACK (40 ms on Linux),
        // one stall per message: with a connected socket of our own we can turn it off.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(client.Timeout);
                try
                {
                    await socket.ConnectAsync(options.Host, options.Port, connectTimeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"Connecting to the SMTP server took longer than {client.Timeout} ms");
                }
            }

            await client.ConnectAsync(socket, options.Host, options.Port, security, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
        }
    }

    private MimeMessage BuildMime(Claimed message)
    {
        var options = emailOptions.Value;
        var mime = new MimeMessage { MessageId = message.MessageId, Subject = message.Subject };
        mime.From.Add(new MailboxAddress(options.FromName, options.From));
        mime.To.Add(new MailboxAddress(message.ToName ?? "", message.ToAddress));
        if (message.HeadersJson is not null)
        {
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(message.HeadersJson)!)
            {
                mime.Headers.Add(name, value);
            }
        }

        var body = new BodyBuilder { HtmlBody = message.Html, TextBody = message.Text };
        if (message.AttachmentName is not null && message.AttachmentContent is not null)
        {
            body.Attachments.Add(message.AttachmentName, message.AttachmentContent, ContentType.Parse("text/csv; charset=utf-8"));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    private async Task<List<Claimed>> ClaimAsync(Guid claim, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(OutboxSql.Claim)
            .With(batchSize).With(Lease).With(claim);
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Claimed(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<byte[]>(10), reader.GetInt32(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return claimed.OrderBy(c => c.Id).ToList();
    }

    /// <summary>Extends the lease of the rows still waiting; returns those this claim still holds, in order.</summary>
    private async Task<Queue<Claimed>> RenewAsync(Guid claim, Queue<Claimed> pending, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(OutboxSql.Renew)
            .With(pending.Select(m => m.Id).ToArray()).With(claim).With(Lease);
        var held = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetInt64(0));
            }
        }

        if (held.Count < pending.Count)
        {
            // Another sender took them over when the lease ran out: they are its to send now.
            LogLeaseLost(pending.Count - held.Count);
        }

        return new Queue<Claimed>(pending.Where(m => held.Contains(m.Id)));
    }

    /// <summary>Marks the row sent; a deferred one also keeps the <paramref name="renderedSubject"/> it went out with.</summary>
    private async Task MarkSentAsync(Guid claim, Claimed message, string? renderedSubject, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(OutboxSql.MarkSent).With(message.Id).With(claim).WithText(renderedSubject);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            LogSentAfterLeaseLost(message.Id, message.Kind);
        }
    }

    /// <summary>Marks the row failed; with <paramref name="bouncedAddress"/>, also suppresses that address, in the same statement.</summary>
    private async Task MarkFailedAsync(Guid claim, long id, string reason, CancellationToken cancellationToken, string? bouncedAddress = null)
    {
        await using var command = dataSource.CreateCommand(bouncedAddress is null ? OutboxSql.MarkFailed : OutboxSql.MarkFailedAndSuppress)
            .With(id).With(Truncate(reason)).With(claim);
        if (bouncedAddress is not null)
        {
            command.With(EmailSuppressions.Key(bouncedAddress)).With(EmailSuppressions.Bounce);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RescheduleAsync(Guid claim, Claimed message, string reason, CancellationToken cancellationToken)
    {
        if (message.Attempts >= emailOptions.Value.MaxAttempts)
        {
            LogGaveUp(message.Id, message.Kind, message.Attempts);
            await MarkFailedAsync(claim, message.Id, $"gave up after {message.Attempts} attempts: {reason}", cancellationToken);
            return;
        }

        // Exponential backoff with jitter: 2s, 4s, 8s ... capped at an hour.
        var seconds = Math.Min(3600, Math.Pow(2, message.Attempts)) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        await using var command = dataSource.CreateCommand(OutboxSql.Reschedule)
            .With(message.Id).With(TimeSpan.FromSeconds(seconds)).With(Truncate(reason)).With(claim);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ReleaseAsync(Guid claim, long[] ids)
    {
        try
        {
            await using var command = dataSource.CreateCommand(OutboxSql.Release).With(ids).With(claim);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            // The lease expires on its own; nothing is lost.
            LogWorkerError(ex);
        }
    }

    private static string Truncate(string s) => s.Length <= 1000 ? s : s[..1000];

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox worker error; retrying shortly")]
    private partial void LogWorkerError(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server unavailable; rescheduled {Count} messages: {Reason}")]
    private partial void LogSmtpUnavailable(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {OutboxId} ({Kind}) permanently rejected with SMTP status {Status}")]
    private partial void LogPermanentFailure(long outboxId, string kind, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {OutboxId} ({Kind}) cannot be sent ({Error}); marked failed")]
    private partial void LogUnsendable(long outboxId, string kind, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {OutboxId} ({Kind}) could not be rendered from its model ({Error}); marked failed")]
    private partial void LogRenderFailed(long outboxId, string kind, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox sender lost the lease of {Count} claimed messages to another sender; it leaves them to it")]
    private partial void LogLeaseLost(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {OutboxId} ({Kind}) was sent after its lease had passed to another sender")]
    private partial void LogSentAfterLeaseLost(long outboxId, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {OutboxId} ({Kind}) failed after {Attempts} attempts")]
    private partial void LogGaveUp(long outboxId, string kind, int attempts);
}
