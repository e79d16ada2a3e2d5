using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>The retention rules (Features/Retention/RetentionWorker): $1 is the job's "now", $2 the period in days or months.</summary>
public static class RetentionSql
{
    public const string DeleteExpiredAccessLinks = "DELETE FROM signer_access_links WHERE expires_at < $1";

    // $1 is the job's "now"; the periods are $2 (days or months).
    // A signature invalidated before it was confirmed never counted, so it goes with the other unconfirmed ones.
    public const string DeleteUnconfirmed =
        $"DELETE FROM signatures WHERE (state = {Pending} OR (state = {Invalidated} AND confirmed_at IS NULL)) AND created_at < $1 - make_interval(days => $2)";

    public static readonly string TruncateSignerIps =
        $"UPDATE signatures SET ip_address = {Network("ip_address")} "
        + "WHERE ip_address IS NOT NULL AND strpos(ip_address, '/') = 0 AND created_at < $1 - make_interval(days => $2)";

    public static readonly string TruncateDownloadIps =
        $"UPDATE download_logs SET ip_address = {Network("ip_address")} "
        + "WHERE ip_address IS NOT NULL AND strpos(ip_address, '/') = 0 AND downloaded_at < $1 - make_interval(days => $2)";

    public const string ClearOutboxAddresses =
        """
        UPDATE outbox_messages SET to_address = '', to_name = NULL, subject = '', headers_json = NULL,
            html_body = NULL, text_body = NULL, model_json = NULL, attachment_content = NULL
        WHERE to_address <> '' AND coalesce(sent_at, failed_at) < $1 - make_interval(days => $2)
        """;

    // A failed message is never sent, but its body, model and headers still hold live links (confirm, unsubscribe, download).
    public const string ClearFailedBodies =
        """
        UPDATE outbox_messages SET html_body = NULL, text_body = NULL, model_json = NULL, headers_json = NULL, attachment_content = NULL
        WHERE failed_at IS NOT NULL
          AND (html_body IS NOT NULL OR text_body IS NOT NULL OR model_json IS NOT NULL OR headers_json IS NOT NULL OR attachment_content IS NOT NULL)
        """;

    /// <summary>
    /// Names, emails, places and reasons go; country and dates stay, so counts and charts stay true. The rows matching
    /// <paramref name="condition"/> (on <c>s</c>) are rewritten (<see cref="SignatureSql.RewriteWhere"/>), since the
    /// address changes. Returns one row per anonymized signature.
    /// </summary>
    public static string AnonymizeWhere(string condition, string at) =>
        SignatureSql.RewriteWhere(
            condition,
            $"""
            'full_name', 'Anonymous', 'email', '', 'normalized_email', 'anonymized-' || m.id, 'postcode_or_city', '',
            'reason', NULL, 'ip_address', NULL, 'show_publicly', false, 'email_updates', false,
            'share_email_with_organizer', false, 'anonymized_at', {at}
            """);

    /// <summary>
    /// The signer's own erasure from /my: $1 "now", $2 every way their address is stored (ProtectedFields.Identities). The same fields as the retention rule
    /// go; the caller withdraws the signatures first, so the batched counter takes them off the counts.
    /// </summary>
    public static readonly string AnonymizeSigner = AnonymizeWhere("s.normalized_email = ANY($2)", "$1");

    /// <summary>The petitions closed longer than the retention period ($1 now, $2 months): their IDs, in the order anonymized.</summary>
    public const string DueForAnonymizing =
        """
        SELECT id FROM petitions
        WHERE anonymized_at IS NULL AND coalesce(closed_at, victory_at) < $1 - make_interval(months => $2)
        ORDER BY id
        """;

    /// <summary>$1 now, $2 the due petitions' IDs: their signatures, not already anonymized.</summary>
    public static readonly string AnonymizePetitionSignatures = AnonymizeWhere("s.petition_id = ANY($2) AND s.anonymized_at IS NULL", "$1");

    /// <summary>$1 now, $2 the due petitions' IDs.</summary>
    public const string MarkPetitionsAnonymized = "UPDATE petitions SET anonymized_at = $1 WHERE id = ANY($2)";

    // Keeps the /24 (IPv4) or /64 (IPv6) network for integrity statistics; anything unparseable is dropped.
    private static string Network(string column) =>
        $$"""
        CASE WHEN {{column}} ~ '^[0-9]{1,3}(\.[0-9]{1,3}){3}$' THEN network(set_masklen({{column}}::inet, 24))::text
             WHEN {{column}} ~ '^[0-9a-fA-F:.]+$' AND {{column}} LIKE '%:%' THEN network(set_masklen({{column}}::inet, 64))::text
             ELSE NULL END
        """;
}
