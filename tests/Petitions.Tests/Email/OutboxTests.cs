using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Petitions.Web.Localization;

namespace Petitions.Tests.Email;

/// <summary>
/// The outbox worker against a real SMTP server that goes down, refuses recipients, or is cut off mid-batch.
/// The app's own hosted worker is paused, and each test drives <see cref="OutboxWorker.SendDueBatchAsync"/> itself.
/// </summary>
public sealed class OutboxTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private IAsyncDisposable? pausedWorker;

    public override async Task InitializeAsync()
    {
        pausedWorker = await App.PauseOutboxWorkerAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (pausedWorker is not null)
        {
            await pausedWorker.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendDueBatch_SmtpDownThenUp_DeliversEveryMessageExactlyOnce()
    {
        var messages = await EnqueueAsync(5);
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = SmtpProxy.ClosedPort() };
        var worker = CreateWorker(smtp);

        var startedAt = await DbNowAsync();
        Assert.Equal(5, await worker.SendDueBatchAsync(CancellationToken.None));

        var afterFirst = await RowsAsync();
        Assert.All(afterFirst, row =>
        {
            Assert.Null(row.SentAt);
            Assert.Null(row.FailedAt);
            Assert.Null(row.LockedUntil);
            Assert.Equal(1, row.Attempts);
            Assert.False(string.IsNullOrEmpty(row.LastError));
            // Backoff after the first failure: about 2 s (with jitter), so nothing is due straight away.
            Assert.InRange(row.DueAt - startedAt, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
            Assert.NotNull(row.HtmlBody);
        });
        Assert.Equal(0, await worker.SendDueBatchAsync(CancellationToken.None));

        await MakeDueNowAsync();
        var secondAt = await DbNowAsync();
        Assert.Equal(5, await worker.SendDueBatchAsync(CancellationToken.None));
        Assert.All(await RowsAsync(), row =>
        {
            Assert.Equal(2, row.Attempts);
            Assert.InRange(row.DueAt - secondAt, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(15));
        });

        smtp.Port = TestEnvironment.SmtpPort;
        await MakeDueNowAsync();
        Assert.Equal(5, await worker.SendDueBatchAsync(CancellationToken.None));
        Assert.Equal(0, await worker.SendDueBatchAsync(CancellationToken.None));

        Assert.All(await RowsAsync(), row =>
        {
            Assert.NotNull(row.SentAt);
            Assert.Null(row.FailedAt);
            Assert.Null(row.LastError);
            Assert.Null(row.HtmlBody);
            Assert.Null(row.TextBody);
        });
        await AssertDeliveredOnceAsync(messages);
    }

    [Fact]
    public async Task SendDueBatch_DeliveredMessage_HasRowMessageIdFromAddressAndBothBodies()
    {
        var message = (await EnqueueAsync(1, subject: "Your petition update"))[0];
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = TestEnvironment.SmtpPort });

        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));

        var received = await MailDev.WaitForEmailAsync(message.ToAddress);
        Assert.Equal(message.MessageId, received.MessageId);
        Assert.Equal("Your petition update", received.Subject);
        Assert.Equal([PetitionsAppFactory.FromAddress], received.From.Select(f => f.Address));
        Assert.Equal("Reader", received.To.Single().Name);
        Assert.Contains("<p>Hello from the outbox test</p>", received.Html, StringComparison.Ordinal);
        Assert.Contains("Hello from the outbox test", received.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendDueBatch_StoppedMidBatch_LosesNothingAndSendsTheRestOnceAfterwards()
    {
        var messages = await EnqueueAsync(6);
        await using var proxy = new SmtpProxy(TestEnvironment.SmtpPort);
        using var stopping = new CancellationTokenSource();
        // Stop the worker the moment the server has accepted the second message, before the worker hears back.
        proxy.OnMessageAccepted = async n =>
        {
            if (n == 2)
            {
                await stopping.CancelAsync();
            }
        };
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = proxy.Port });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => worker.SendDueBatchAsync(stopping.Token));

        var rows = await RowsAsync();
        Assert.Equal(2, rows.Count(r => r.SentAt is not null));
        Assert.All(rows.Where(r => r.SentAt is null), row =>
        {
            // Handed straight back: no lease to wait for, and the aborted claim does not count as an attempt.
            Assert.Null(row.LockedUntil);
            Assert.Null(row.FailedAt);
            Assert.Equal(0, row.Attempts);
            Assert.NotNull(row.HtmlBody);
        });

        var restarted = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = TestEnvironment.SmtpPort });
        Assert.Equal(4, await restarted.SendDueBatchAsync(CancellationToken.None));
        Assert.Equal(0, await restarted.SendDueBatchAsync(CancellationToken.None));

        Assert.All(await RowsAsync(), row => Assert.NotNull(row.SentAt));
        await AssertDeliveredOnceAsync(messages);
    }

    [Fact]
    public async Task SendDueBatch_ClaimOfCrashedWorker_IsSentOnceItsLeaseExpires()
    {
        var messages = await EnqueueAsync(2);
        // A worker claimed both rows and died: attempts counted, lease still running for one, expired for the other.
        await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE outbox_messages SET attempts = 1, locked_until = CASE WHEN id = {0} THEN now() + interval '5 minutes' ELSE now() - interval '1 second' END",
            messages[0].Id));
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = TestEnvironment.SmtpPort });

        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));

        var rows = await RowsAsync();
        Assert.Null(rows.Single(r => r.Id == messages[0].Id).SentAt);
        Assert.NotNull(rows.Single(r => r.Id == messages[1].Id).SentAt);
        await AssertDeliveredOnceAsync([messages[1]]);
    }

    [Fact]
    public async Task SendDueBatch_RecipientRejectedPermanently_MarksFailedAndDeliversTheOthers()
    {
        var messages = await EnqueueAsync(3);
        var rejected = messages[1];
        await using var proxy = new SmtpProxy(TestEnvironment.SmtpPort)
        {
            RecipientReply = to => to == rejected.ToAddress ? "550 5.1.1 Mailbox does not exist" : null,
        };
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = proxy.Port });

        Assert.Equal(3, await worker.SendDueBatchAsync(CancellationToken.None));

        var rows = await RowsAsync();
        var failed = rows.Single(r => r.Id == rejected.Id);
        Assert.NotNull(failed.FailedAt);
        Assert.Null(failed.SentAt);
        Assert.StartsWith("550", failed.LastError, StringComparison.Ordinal);
        Assert.All(rows.Where(r => r.Id != rejected.Id), row => Assert.NotNull(row.SentAt));
        await AssertDeliveredOnceAsync([messages[0], messages[2]]);

        // A failed message is never tried again.
        await MakeDueNowAsync();
        Assert.Equal(0, await worker.SendDueBatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SendDueBatch_RecipientRefusedPermanently_IsSuppressedForDeliveriesButADeferredOneIsNot()
    {
        var messages = await EnqueueAsync(3);
        var (refused, deferred) = (messages[0].ToAddress, messages[1].ToAddress);
        await using var proxy = new SmtpProxy(TestEnvironment.SmtpPort)
        {
            RecipientReply = to => to == refused ? "550 5.1.1 Mailbox does not exist" : to == deferred ? "451 4.3.0 Try again later" : null,
        };
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = proxy.Port });

        Assert.Equal(3, await worker.SendDueBatchAsync(CancellationToken.None));

        var suppression = await App.WithDbAsync(db => db.EmailSuppressions.AsNoTracking().SingleAsync());
        Assert.Equal(EmailSuppressions.Key(refused), suppression.AddressHash);
        Assert.Equal(EmailSuppressions.Bounce, suppression.Reason);
        Assert.NotNull((await RowsAsync()).Single(r => r.Id == messages[0].Id).FailedAt);
    }

    [Fact]
    public async Task SendDueBatch_RecipientDeferred_RetriesLaterThenDelivers()
    {
        var message = (await EnqueueAsync(1))[0];
        await using var proxy = new SmtpProxy(TestEnvironment.SmtpPort) { RecipientReply = _ => "451 4.3.0 Try again later" };
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = proxy.Port });

        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));

        var row = (await RowsAsync()).Single();
        Assert.Null(row.SentAt);
        Assert.Null(row.FailedAt);
        Assert.Equal(1, row.Attempts);
        Assert.False(string.IsNullOrEmpty(row.LastError));

        proxy.RecipientReply = null;
        await MakeDueNowAsync();
        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));
        Assert.NotNull((await RowsAsync()).Single().SentAt);
        await AssertDeliveredOnceAsync([message]);
    }

    [Fact]
    public async Task SendDueBatch_TooManyAttempts_MarksFailedWithReason()
    {
        await EnqueueAsync(1);
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = SmtpProxy.ClosedPort() }, maxAttempts: 2);

        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));
        await MakeDueNowAsync();
        Assert.Equal(1, await worker.SendDueBatchAsync(CancellationToken.None));

        var row = (await RowsAsync()).Single();
        Assert.NotNull(row.FailedAt);
        Assert.Null(row.SentAt);
        Assert.Equal(2, row.Attempts);
        Assert.StartsWith("gave up after 2 attempts", row.LastError, StringComparison.Ordinal);
        await MakeDueNowAsync();
        Assert.Equal(0, await worker.SendDueBatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SendDueBatch_UnsendableAddress_MarksFailedAndDeliversTheOthers()
    {
        var messages = await EnqueueAsync(2);
        var broken = await EnqueueAsync(1, toAddress: "not an address");
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = TestEnvironment.SmtpPort });

        Assert.Equal(3, await worker.SendDueBatchAsync(CancellationToken.None));

        var rows = await RowsAsync();
        var failed = rows.Single(r => r.Id == broken[0].Id);
        Assert.NotNull(failed.FailedAt);
        Assert.Null(failed.SentAt);
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        Assert.All(rows.Where(r => r.Id != broken[0].Id), row => Assert.NotNull(row.SentAt));
        await AssertDeliveredOnceAsync(messages);
    }

    [Fact]
    public async Task SendDueBatch_SmtpSlowerThanTheLease_TwoWorkersDeliverEveryMessageExactlyOnce()
    {
        // Each message takes a quarter of a second to be accepted, so one batch of all 32 outlasts the 4-second lease
        // twice over, while a second worker keeps looking for rows whose lease has run out. The sender renews at half
        // the lease, so a message must be on the wire within 2 s of a renewal (a 2-second lease, leaving 1 s, was
        // once too tight for the Citus cluster on a loaded machine; the default lease is 120 s for a 30 s SMTP timeout).
        var messages = await EnqueueAsync(32);
        await using var slowSmtp = new SmtpProxy(TestEnvironment.SmtpPort) { OnMessageAccepted = _ => Task.Delay(250) };
        var smtp = new SmtpOptions { Host = "127.0.0.1", Port = slowSmtp.Port };
        var first = CreateWorker(smtp, leaseSeconds: 4);
        var second = CreateWorker(smtp, leaseSeconds: 4);

        await Task.WhenAll(SendUntilDrainedAsync(first), SendUntilDrainedAsync(second));

        Assert.All(await RowsAsync(), row => Assert.NotNull(row.SentAt));
        Assert.Equal(messages.Count, slowSmtp.AcceptedMessages);
        await AssertDeliveredOnceAsync(messages);
    }

    [Fact]
    public async Task SendDueBatch_DeferredRows_AreRenderedAtSendTime_AndOneThatCannotBeIsFailedOnceWithoutPersonalDataInTheLog()
    {
        var outbox = App.Services.GetRequiredService<Outbox>();
        var languages = App.Services.GetRequiredService<SiteLanguages>();
        var good = outbox.CreateDeferred(EmailKind.AlreadySigned, UniqueEmail("deferred"), "Grace Hopper",
            new AlreadySignedEmail("Grace Hopper", "Plant trees", "http://localhost/p/plant-trees", "http://localhost/s/withdraw/t0ken"),
            SigningEmailJson.Default.AlreadySignedEmail, languages.Find("fr")!);
        // A model of the wrong shape (the name where an object belongs), and a kind that is never rendered from a model.
        var malformed = outbox.CreateDeferred(EmailKind.ConfirmSignature, UniqueEmail("malformed"), "Shirin Secretname",
            new AlreadySignedEmail("Shirin Secretname", "Plant trees", "http://localhost/p/plant-trees", "http://localhost/s/withdraw/t0ken"),
            SigningEmailJson.Default.AlreadySignedEmail, languages.Default);
        malformed.ModelJson = "{\"Signature\": \"Shirin Secretname\"}";
        var unknown = outbox.CreateDeferred(EmailKind.ModerationDecision, UniqueEmail("unknown"), "Shirin Secretname",
            new AlreadySignedEmail("Shirin Secretname", "Plant trees", "http://localhost/p/plant-trees", "http://localhost/s/withdraw/t0ken"),
            SigningEmailJson.Default.AlreadySignedEmail, languages.Default);
        await App.WithDbAsync(async db =>
        {
            db.OutboxMessages.AddRange(malformed, good, unknown);
            await db.SaveChangesAsync();
        });
        var withBodies = await EnqueueAsync(1);
        var worker = CreateWorker(new SmtpOptions { Host = "127.0.0.1", Port = TestEnvironment.SmtpPort }, logger: App.Services.GetRequiredService<ILogger<OutboxWorker>>());

        Assert.Equal(4, await worker.SendDueBatchAsync(CancellationToken.None));
        Assert.Equal(0, await worker.SendDueBatchAsync(CancellationToken.None));

        var received = await MailDev.WaitForEmailAsync(good.ToAddress);
        Assert.Equal(good.MessageId, received.MessageId);
        Assert.StartsWith("Vous avez déjà signé", received.Subject, StringComparison.Ordinal);
        Assert.EndsWith(": Plant trees", received.Subject, StringComparison.Ordinal);
        Assert.Contains("http://localhost/s/withdraw/t0ken", received.Html, StringComparison.Ordinal);
        Assert.Contains("http://localhost/p/plant-trees", received.Text, StringComparison.Ordinal);
        await AssertDeliveredOnceAsync([good, .. withBodies]);
        var rows = (await RowsAsync()).ToDictionary(r => r.MessageId);
        Assert.NotNull(rows[good.MessageId].SentAt);
        Assert.Null(rows[good.MessageId].ModelJson);
        Assert.Equal(received.Subject, rows[good.MessageId].Subject);
        Assert.NotNull(rows[withBodies[0].MessageId].SentAt);
        foreach (var failed in new[] { rows[malformed.MessageId], rows[unknown.MessageId] })
        {
            Assert.Null(failed.SentAt);
            Assert.NotNull(failed.FailedAt);
            Assert.Equal(1, failed.Attempts);
            Assert.StartsWith("render failed: ", failed.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain("Secretname", failed.LastError, StringComparison.Ordinal);
        }

        Assert.Empty(await MailDev.ListToAsync(malformed.ToAddress));
        Assert.Empty(await MailDev.ListToAsync(unknown.ToAddress));
        var logs = App.Logs.RenderAll();
        Assert.Contains($"Outbox message {rows[malformed.MessageId].Id} (\"confirm-signature\") could not be rendered", logs, StringComparison.Ordinal);
        Assert.Contains($"Outbox message {rows[unknown.MessageId].Id} (\"moderation-decision\") could not be rendered", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Secretname", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(malformed.ToAddress, logs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HostedWorker_MessageCommittedWhileRunning_IsDelivered()
    {
        // The hosted worker is resumed here: this is the path every signing email takes.
        await pausedWorker!.DisposeAsync();
        pausedWorker = null;

        var message = (await EnqueueAsync(1))[0];
        App.Services.GetRequiredService<OutboxSignal>().Notify();

        var received = await MailDev.WaitForEmailAsync(message.ToAddress);
        Assert.Equal(message.MessageId, received.MessageId);
        await Eventually.TrueAsync(async () => (await RowsAsync()).Single().SentAt is not null, "the row is marked sent");
    }

    private OutboxWorker CreateWorker(SmtpOptions smtp, int maxAttempts = 10, double leaseSeconds = 120, ILogger<OutboxWorker>? logger = null) => new(
        App.Services.GetRequiredService<NpgsqlDataSource>(),
        App.Services.GetRequiredService<DeferredEmails>(),
        new OutboxSignal(),
        Options.Create(smtp),
        Options.Create(new EmailOptions
        {
            From = PetitionsAppFactory.FromAddress,
            FromName = "Petitions",
            MaxAttempts = maxAttempts,
            BatchSize = 100,
            LeaseSeconds = leaseSeconds,
        }),
        TimeProvider.System,
        logger ?? NullLogger<OutboxWorker>.Instance);

    /// <summary>Runs batches (as the hosted worker's loop does) until no row is left to send.</summary>
    private async Task SendUntilDrainedAsync(OutboxWorker worker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await App.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.SentAt == null && m.FailedAt == null)) && DateTime.UtcNow < deadline)
        {
            if (await worker.SendDueBatchAsync(CancellationToken.None) == 0)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Queues messages through the app's <see cref="Outbox"/>, each to its own address.</summary>
    private async Task<IReadOnlyList<OutboxMessage>> EnqueueAsync(int count, string subject = "Outbox test", string? toAddress = null)
    {
        var outbox = App.Services.GetRequiredService<Outbox>();
        var messages = Enumerable.Range(0, count)
            .Select(_ => outbox.Create(new EmailKind("test", "none"), toAddress ?? UniqueEmail("outbox"), "Reader",
                new EmailContent(subject, "<p>Hello from the outbox test</p>", "Hello from the outbox test\n")))
            .ToList();
        await App.WithDbAsync(async db =>
        {
            db.OutboxMessages.AddRange(messages);
            await db.SaveChangesAsync();
        });
        return messages;
    }

    private Task<List<OutboxMessage>> RowsAsync() =>
        App.WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    private async Task MakeDueNowAsync() =>
        await App.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE outbox_messages SET due_at = now() WHERE sent_at IS NULL AND failed_at IS NULL"));

    private Task<DateTimeOffset> DbNowAsync() =>
        App.WithDbAsync(db => db.Database.SqlQueryRaw<DateTimeOffset>("SELECT now() AS \"Value\"").SingleAsync());

    /// <summary>Each message arrived in maildev exactly once, identified by its Message-Id.</summary>
    private async Task AssertDeliveredOnceAsync(IEnumerable<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            var received = await MailDev.WaitForEmailAsync(message.ToAddress);
            var all = await MailDev.ListToAsync(message.ToAddress);
            Assert.Equal([message.MessageId], all.Select(m => m.MessageId));
            Assert.Equal([PetitionsAppFactory.FromAddress], received.From.Select(f => f.Address));
        }
    }
}
