namespace Petitions.Web.Data.Sql;

/// <summary>Every hand-written statement on outbox_messages.</summary>
public static class OutboxSql
{
    /// <summary>The columns an inserted message fills, in the order of <see cref="InsertValues"/>.</summary>
    public const string Columns = "message_id, kind, to_address, to_name, subject, html_body, text_body, headers_json, created_at, due_at, attempts";

    /// <summary>
    /// The values of one message from parameters <paramref name="first"/> onwards: message id, kind, address, name,
    /// subject, HTML, text, headers and created at (also its due time), as <see cref="Outbox.InsertAsync"/> adds them.
    /// </summary>
    public static string InsertValues(int first = 1) =>
        string.Join(", ", Enumerable.Range(first, 9).Select(i => $"${i}")) + $", ${first + 8}, 0";

    public static readonly string Insert = $"INSERT INTO outbox_messages ({Columns}) VALUES ({InsertValues()})";

    /// <summary>As <see cref="Insert"/>, for a message whose recipient is forgotten once it is sent.</summary>
    public static readonly string InsertForgettingRecipient = $"INSERT INTO outbox_messages ({Columns}, forget_recipient) VALUES ({InsertValues()}, true)";

    /// <summary>
    /// The columns a deferred message fills (Email/DeferredEmails): no subject or bodies until the worker renders its
    /// model at send time.
    /// </summary>
    public const string DeferredColumns = "message_id, kind, to_address, to_name, subject, model_json, language, created_at, due_at, attempts, forget_recipient";

    /// <summary>$1 message id, $2 kind, $3 address, $4 name, $5 model, $6 language, $7 created at (also its due time), $8 forget the recipient once sent.</summary>
    public const string InsertDeferred = $"INSERT INTO outbox_messages ({DeferredColumns}) VALUES ($1, $2, $3, $4, '', $5, $6, $7, $7, 0, $8)";

    /// <summary>$1 batch size, $2 lease, $3 claim.</summary>
    public const string Claim =
        """
        UPDATE outbox_messages m SET locked_until = now() + $2, attempts = m.attempts + 1, claim = $3
        WHERE m.id IN (
            SELECT id FROM outbox_messages
            WHERE sent_at IS NULL AND failed_at IS NULL AND due_at <= now()
              AND (locked_until IS NULL OR locked_until < now())
            ORDER BY due_at, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED)
        RETURNING m.id, m.message_id, m.kind, m.to_address, m.to_name, m.subject, m.html_body, m.text_body,
                  m.headers_json::text, m.attachment_name, m.attachment_content, m.attempts, m.model_json::text, m.language
        """;

    /// <summary>$1 ids, $2 claim, $3 lease.</summary>
    public const string Renew =
        """
        UPDATE outbox_messages SET locked_until = now() + $3
        WHERE id = ANY($1) AND claim = $2 AND sent_at IS NULL AND failed_at IS NULL
        RETURNING id
        """;

    /// <summary>$1 id, $2 claim, $3 the subject rendered at send time (NULL keeps the stored one). The model goes with the bodies.</summary>
    public const string MarkSent =
        "UPDATE outbox_messages SET sent_at = now(), locked_until = NULL, to_address = CASE WHEN forget_recipient THEN '' ELSE to_address END, to_name = CASE WHEN forget_recipient THEN NULL ELSE to_name END, last_error = NULL, subject = coalesce($3, subject), html_body = NULL, text_body = NULL, model_json = NULL, attachment_content = NULL WHERE id = $1 AND claim = $2";

    /// <summary>$1 id, $2 error, $3 claim.</summary>
    public const string MarkFailed = "UPDATE outbox_messages SET failed_at = now(), locked_until = NULL, last_error = $2 WHERE id = $1 AND claim = $3";

    /// <summary>As <see cref="MarkFailed"/>, and suppresses the address key $4 with reason $5 in the same statement.</summary>
    public static readonly string MarkFailedAndSuppress = $"WITH failed AS ({MarkFailed} RETURNING id) {ThrottleSql.Suppress("$4", "$5", "FROM failed")}";

    /// <summary>$1 id, $2 delay, $3 error, $4 claim.</summary>
    public const string Reschedule = "UPDATE outbox_messages SET due_at = now() + $2, locked_until = NULL, last_error = $3 WHERE id = $1 AND claim = $4";

    public const string Release =
        "UPDATE outbox_messages SET locked_until = NULL, attempts = greatest(attempts - 1, 0) WHERE id = ANY($1) AND claim = $2 AND sent_at IS NULL";
}
