using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Petitions.Tests.Builders;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Data;
using Petitions.Web.Features.Retention;

namespace Petitions.Tests.Privacy;

public sealed class RetentionTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    private RetentionWorker Job(DateTimeOffset now, RetentionOptions? options = null) => new(
        App.Services.GetRequiredService<NpgsqlDataSource>(),
        Microsoft.Extensions.Options.Options.Create(options ?? new RetentionOptions()),
        new ManualClock(now),
        App.Services.GetRequiredService<ILogger<RetentionWorker>>());

    [Fact]
    public async Task Run_UnconfirmedOlderThanSevenDays_IsDeletedAndTheRestKept()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var now = DateTimeOffset.UtcNow;
        var old = new SignatureBuilder(petition.Id).Pending().CreatedAt(now.AddDays(-8));
        var recent = new SignatureBuilder(petition.Id).Pending().CreatedAt(now.AddDays(-6));
        var confirmed = new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true).CreatedAt(now.AddDays(-100));
        await SignatureBuilder.CreateManyAsync(App.Services, [old, recent, confirmed]);

        var result = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.UnconfirmedDeleted);
        var left = await App.WithDbAsync(db => db.Signatures.OrderBy(s => s.CreatedAt).Select(s => s.State).ToListAsync());
        Assert.Equal([SignatureState.Confirmed, SignatureState.Pending], left);
    }

    [Fact]
    public async Task Run_InvalidatedBeforeConfirming_IsDeletedLikeAnyUnconfirmed_InvalidatedConfirmedIsKept()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var now = DateTimeOffset.UtcNow;
        var neverConfirmed = await new SignatureBuilder(petition.Id).Pending().CreatedAt(now.AddDays(-8)).CreateAsync(App.Services);
        var confirmed = await new SignatureBuilder(petition.Id).Confirmed(alreadyCounted: true).CreatedAt(now.AddDays(-8)).CreateAsync(App.Services);
        await App.WithDbAsync(db => db.Signatures.Where(s => s.Id == neverConfirmed.Id || s.Id == confirmed.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, SignatureState.Invalidated).SetProperty(x => x.InvalidatedAt, now.AddDays(-7))));

        var result = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.UnconfirmedDeleted);
        var left = await App.WithDbAsync(db => db.Signatures.Select(s => s.Id).ToListAsync());
        Assert.Equal([confirmed.Id], left);
    }

    [Fact]
    public async Task Run_UnconfirmedDaysSetting_IsHonoured()
    {
        var petition = await new PetitionBuilder().CreateAsync(App.Services);
        var now = DateTimeOffset.UtcNow;
        await new SignatureBuilder(petition.Id).Pending().CreatedAt(now.AddDays(-3)).CreateAsync(App.Services);

        var result = await Job(now, new RetentionOptions { UnconfirmedDays = 2 }).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.UnconfirmedDeleted);
        Assert.Equal(0, await App.WithDbAsync(db => db.Signatures.CountAsync()));
    }

    [Fact]
    public async Task Run_IpAddressesOlderThanThirtyDays_KeepOnlyTheirNetwork()
    {
        var petition = await new PetitionBuilder().DeliveredTo("Mayor").CreateAsync(App.Services);
        var now = DateTimeOffset.UtcNow;
        var v4 = await new SignatureBuilder(petition.Id).Confirmed(true).CreatedAt(now.AddDays(-31)).CreateAsync(App.Services);
        var v6 = await new SignatureBuilder(petition.Id).Confirmed(true).CreatedAt(now.AddDays(-31)).CreateAsync(App.Services);
        var young = await new SignatureBuilder(petition.Id).Confirmed(true).CreatedAt(now.AddDays(-29)).CreateAsync(App.Services);
        await App.WithDbAsync(async db =>
        {
            await db.Signatures.Where(s => s.Id == v4.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IpAddress, "203.0.113.77"));
            await db.Signatures.Where(s => s.Id == v6.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IpAddress, "2001:db8:1234:5678:9abc:def0:1:2"));
            await db.Signatures.Where(s => s.Id == young.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IpAddress, "198.51.100.9"));
            var recipient = await db.DeliveryRecipients.FirstAsync();
            db.DownloadLogs.Add(new DownloadLog { DeliveryRecipientId = recipient.Id, Format = "csv", DownloadedAt = now.AddDays(-40), IpAddress = "192.0.2.55" });
            await db.SaveChangesAsync();
        });

        var result = await Job(now).RunOnceAsync(CancellationToken.None);
        var again = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, result!.SignerIpsTruncated);
        Assert.Equal(1, result.DownloadIpsTruncated);
        Assert.Equal(0, again!.SignerIpsTruncated);
        var ips = await App.WithDbAsync(db => db.Signatures.ToDictionaryAsync(s => s.Id, s => s.IpAddress));
        Assert.Equal("203.0.113.0/24", ips[v4.Id]);
        Assert.Equal("2001:db8:1234:5678::/64", ips[v6.Id]);
        Assert.Equal("198.51.100.9", ips[young.Id]);
        Assert.Equal("192.0.2.0/24", await App.WithDbAsync(db => db.DownloadLogs.Select(d => d.IpAddress).SingleAsync()));
    }

    [Fact]
    public async Task Run_SentEmailsOlderThanThirtyDaysLoseTheirAddress_FailedOnesLoseTheirBodyAtOnce()
    {
        var now = DateTimeOffset.UtcNow;
        await App.WithDbAsync(async db =>
        {
            db.OutboxMessages.AddRange(
                Message("old-sent", sentAt: now.AddDays(-31)),
                Message("new-sent", sentAt: now.AddDays(-2)),
                Message("new-failed", failedAt: now.AddHours(-1)));
            await db.SaveChangesAsync();
        });

        var result = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.OutboxAddressesCleared);
        Assert.Equal(1, result.FailedBodiesCleared);
        var rows = await App.WithDbAsync(db => db.OutboxMessages.ToDictionaryAsync(m => m.MessageId));
        Assert.Equal("", rows["old-sent"].ToAddress);
        Assert.Equal("", rows["old-sent"].Subject);
        Assert.Null(rows["old-sent"].ToName);
        Assert.Equal("someone@example.test", rows["new-sent"].ToAddress);
        Assert.Equal("someone@example.test", rows["new-failed"].ToAddress);
        Assert.Null(rows["new-failed"].HtmlBody);
        Assert.Null(rows["new-failed"].TextBody);
        Assert.Null(rows["new-failed"].HeadersJson);
    }

    [Fact]
    public async Task Run_DeferredEmailModels_GoWithTheBodies_FailedAtOnce_SentAfterThirtyDays_UnsentKept()
    {
        var now = DateTimeOffset.UtcNow;
        var unsent = Deferred(Message("unsent", failedAt: now.AddHours(-1)));
        unsent.FailedAt = null;
        await App.WithDbAsync(async db =>
        {
            db.OutboxMessages.AddRange(
                Deferred(Message("old-sent", sentAt: now.AddDays(-31))),
                Deferred(Message("new-failed", failedAt: now.AddHours(-1))),
                unsent);
            await db.SaveChangesAsync();
        });

        var result = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.OutboxAddressesCleared);
        Assert.Equal(1, result.FailedBodiesCleared);
        var rows = await RawOutboxAsync();
        Assert.Equal(("", null, "fa"), rows["old-sent"]);
        Assert.Equal(("someone@example.test", null, "fa"), rows["new-failed"]);
        // Not sent yet: the worker still needs its model.
        Assert.Equal("someone@example.test", rows["unsent"].Address);
        Assert.Contains("/s/confirm/secret", rows["unsent"].Model, StringComparison.Ordinal);
        Assert.Equal(0, (await Job(now).RunOnceAsync(CancellationToken.None))!.FailedBodiesCleared);
    }

    [Fact]
    public async Task Run_SixMonthsAfterClose_ReplacesPersonalFieldsKeepsCountryAndDates_LogsCountsOnly()
    {
        var now = DateTimeOffset.UtcNow;
        var longClosed = await new PetitionBuilder().Closed().CreateAsync(App.Services);
        var recentlyClosed = await new PetitionBuilder().Closed().CreateAsync(App.Services);
        await App.WithDbAsync(async db =>
        {
            await db.Petitions.Where(p => p.Id == longClosed.Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.ClosedAt, now.AddMonths(-7)));
            await db.Petitions.Where(p => p.Id == recentlyClosed.Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.ClosedAt, now.AddMonths(-5)));
        });
        var old = await new SignatureBuilder(longClosed.Id).Named("Shirin Ebadi").WithEmail("shirin@example.test")
            .From("IR", "Tehran").WithReason("For my brother").Confirmed(true).CreateAsync(App.Services);
        var kept = await new SignatureBuilder(recentlyClosed.Id).Named("Ada Lovelace").Confirmed(true).CreateAsync(App.Services);

        var result = await Job(now).RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result!.SignaturesAnonymized);
        Assert.Equal(1, result.PetitionsAnonymized);
        var rows = await App.WithDbAsync(db => db.Signatures.AsNoTracking().ToDictionaryAsync(s => s.Id));
        var anonymized = rows[old.Id];
        Assert.DoesNotContain("Shirin", anonymized.FullName, StringComparison.Ordinal);
        Assert.Equal("", anonymized.Email);
        Assert.DoesNotContain("shirin", anonymized.NormalizedEmail, StringComparison.Ordinal);
        Assert.Equal("", anonymized.PostcodeOrCity);
        Assert.Null(anonymized.Reason);
        Assert.Equal("IR", anonymized.Country);
        Assert.Equal(old.ConfirmedAt!.Value.ToUnixTimeSeconds(), anonymized.ConfirmedAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(SignatureState.Confirmed, anonymized.State);
        Assert.NotNull(anonymized.AnonymizedAt);
        Assert.Equal("Ada Lovelace", rows[kept.Id].FullName);
        Assert.NotNull(await App.WithDbAsync(db => db.Petitions.Where(p => p.Id == longClosed.Id).Select(p => p.AnonymizedAt).SingleAsync()));

        var logs = App.Logs.RenderAll();
        Assert.Contains("anonymized 1 signatures", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("shirin", logs, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>As a deferred kind's row: the model and language in place of the bodies.</summary>
    private static OutboxMessage Deferred(OutboxMessage message)
    {
        message.HtmlBody = null;
        message.TextBody = null;
        message.HeadersJson = null;
        message.ModelJson = "{\"Name\": \"Someone\", \"ConfirmUrl\": \"http://localhost/s/confirm/secret\"}";
        message.Language = "fa";
        return message;
    }

    // Raw reads, so the test sees exactly what the table holds.
    private async Task<Dictionary<string, (string Address, string? Model, string? Language)>> RawOutboxAsync()
    {
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT message_id, to_address, model_json::text, language FROM outbox_messages", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (string, string?, string?)>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        return rows;
    }

    private static OutboxMessage Message(string id, DateTimeOffset? sentAt = null, DateTimeOffset? failedAt = null) => new()
    {
        MessageId = id,
        Kind = "confirm-signature",
        ToAddress = "someone@example.test",
        ToName = "Someone",
        Subject = "Please confirm",
        HtmlBody = sentAt is null ? "<a href='http://localhost/s/confirm/secret'>confirm</a>" : null,
        TextBody = sentAt is null ? "http://localhost/s/confirm/secret" : null,
        HeadersJson = "{\"List-Unsubscribe\":\"<http://localhost/u/secret>\"}",
        CreatedAt = (sentAt ?? failedAt)!.Value.AddMinutes(-1),
        DueAt = (sentAt ?? failedAt)!.Value.AddMinutes(-1),
        SentAt = sentAt,
        FailedAt = failedAt,
        Attempts = 1,
    };
}
