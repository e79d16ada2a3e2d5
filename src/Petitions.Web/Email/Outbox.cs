using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Petitions.Web.Data;
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
    private readonly string messageIdDomain = new Uri(site.Value.BaseUrl).Host;

    public OutboxMessage Create(string kind, string toAddress, string? toName, EmailContent content, IReadOnlyDictionary<string, string>? headers = null) => new()
    {
        MessageId = $"{Guid.NewGuid():N}@{messageIdDomain}",
        Kind = kind,
        ToAddress = toAddress,
        ToName = toName,
        Subject = content.Subject,
        HtmlBody = content.Html,
        TextBody = content.Text,
        HeadersJson = headers is { Count: > 0 } ? JsonSerializer.Serialize(headers) : null,
        CreatedAt = clock.GetUtcNow(),
        DueAt = clock.GetUtcNow(),
    };

    /// <summary>Inserts a message on a raw connection, for hot paths that do not use EF.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbox_messages (message_id, kind, to_address, to_name, subject, html_body, text_body, headers_json, created_at, due_at, attempts)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 0)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = message.MessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Kind });
        command.Parameters.Add(new NpgsqlParameter { Value = message.ToAddress });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.ToName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = message.Subject });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.HtmlBody ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.TextBody ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)message.HeadersJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = message.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
