using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Data.Sql;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Email;

/// <summary>Wakes the outbox worker as soon as a message is committed, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await channel.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>Builds outbox rows. They are saved by the caller in the same transaction as the change that caused them.</summary>
public sealed class Outbox(IOptions<SiteOptions> site, TimeProvider clock)
{
    /// <summary>The lengths of outbox_messages.subject and notification_jobs.subject.</summary>
    public const int MaxSubjectLength = 300;

    /// <summary>The length of outbox_messages.to_name.</summary>
    public const int MaxNameLength = 200;

    // A Message-Id is "{32 hex digits}@{host}" in a 200-character column; a very long host keeps its last labels.
    private readonly string messageIdDomain = LastLabels(new Uri(site.Value.BaseUrl).Host, 200 - 33);

    /// <summary>RFC 8058 one-click headers: mail clients offer "unsubscribe", which opens <paramref name="url"/> by POST.</summary>
    public static IReadOnlyDictionary<string, string> OneClickUnsubscribe(string url) => new Dictionary<string, string>
    {
        ["List-Unsubscribe"] = $"<{url}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
    };

    public OutboxMessage Create(EmailKind kind, string toAddress, string? toName, EmailContent content, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        MessageId = $"{Guid.NewGuid():N}@{messageIdDomain}",
        Kind = kind.Name,
        ToAddress = toAddress,
        ToName = toName is null ? null : Fit(toName, MaxNameLength),
        Subject = FitSubject(content.Subject),
        HtmlBody = content.Html,
        TextBody = content.Text,
        HeadersJson = headers is { Count: > 0 } ? JsonSerializer.Serialize(headers) : null,
        CreatedAt = clock.GetUtcNow(),
        DueAt = clock.GetUtcNow(),
    };

    /// <summary>
    /// A message of a deferred kind (<see cref="DeferredEmails"/>): its model as JSON and its language, no subject or
    /// bodies yet; the worker renders them when it sends.
    /// </summary>
    public OutboxMessage CreateDeferred<TModel>(EmailKind kind, string toAddress, string? toName, TModel model, JsonTypeInfo<TModel> type, Localization.Language language) => new()
    {
        MessageId = $"{Guid.NewGuid():N}@{messageIdDomain}",
        Kind = kind.Name,
        ToAddress = toAddress,
        ToName = toName is null ? null : Fit(toName, MaxNameLength),
        Subject = "",
        ModelJson = JsonSerializer.Serialize(model, type),
        Language = language.Code,
        CreatedAt = clock.GetUtcNow(),
        DueAt = clock.GetUtcNow(),
    };

    /// <summary>
    /// A subject made of typed parts (a recipient's name and a petition's title can be 200 characters each) is cut to
    /// fit its column, with an ellipsis; every subject goes through here, for outbox rows and notice jobs alike.
    /// </summary>
    public static string FitSubject(string subject) => Fit(subject.ReplaceLineEndings(" "), MaxSubjectLength);

    private static string Fit(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (char.IsLowSurrogate(text[cut]))
        {
            // Never split a character made of two UTF-16 units (an emoji, say).
            cut--;
        }

        return text[..cut].TrimEnd() + "…";
    }

    private static string LastLabels(string host, int max)
    {
        while (host.Length > max && host.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
        {
            host = host[(dot + 1)..];
        }

        return host.Length <= max ? host : host[^max..];
    }

    /// <summary>Inserts a message on a raw connection, for hot paths that do not use EF.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var command = message.ModelJson is not null
            ? new NpgsqlCommand(OutboxSql.InsertDeferred, connection, transaction)
                .With(message.MessageId).With(message.Kind).With(message.ToAddress).WithText(message.ToName)
                .WithJsonb(message.ModelJson).WithText(message.Language).WithTimestamp(message.CreatedAt).With(message.ForgetRecipient)
            : new NpgsqlCommand(message.ForgetRecipient ? OutboxSql.InsertForgettingRecipient : OutboxSql.Insert, connection, transaction)
                .With(message.MessageId).With(message.Kind).With(message.ToAddress).WithText(message.ToName).With(message.Subject)
                .WithText(message.HtmlBody).WithText(message.TextBody).WithJsonb(message.HeadersJson).WithTimestamp(message.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
