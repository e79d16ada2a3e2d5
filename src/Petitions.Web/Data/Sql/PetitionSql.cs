using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>Hand-written statements on petitions, and on the jobs and responses that hang off them.</summary>
public static class PetitionSql
{
    /// <summary>$1 petition: whether it is protected, and whether its deliveries list initials only.</summary>
    public const string Protection = "SELECT protected, deliver_initials_only FROM petitions WHERE id = $1";

    /// <summary>{0} the petition's id (EF's raw-SQL placeholder): locks its row until the transaction ends, so that writers take turns.</summary>
    public const string LockRow = "SELECT 1 FROM petitions WHERE id = {0} FOR UPDATE";

    /// <summary>For FromSqlRaw: {0} now. SKIP LOCKED lets two instances share the work without closing one petition twice.</summary>
    public const string DueToClose = $$"""SELECT * FROM petitions WHERE status = {{Open}} AND closes_at <= {0} ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED""";

    // A loose index scan over (category, status, signature_count): one index probe per category, instead of a
    // DISTINCT that reads every petition, so the filter costs the same at any size and needs no cache.
    public const string Categories =
        $"""
        WITH RECURSIVE c AS (
            (SELECT category FROM petitions WHERE status <> {Draft} ORDER BY category LIMIT 1)
            UNION ALL
            SELECT (SELECT p.category FROM petitions p WHERE p.category > c.category AND p.status <> {Draft} ORDER BY p.category LIMIT 1)
            FROM c WHERE c.category IS NOT NULL
        )
        SELECT category AS "Value" FROM c WHERE category IS NOT NULL
        """;

    /// <summary>
    /// For SqlQueryRaw: {0} the query, {1} skip, {2} take, {3} the marker characters, {4} and {5} the title's and the
    /// body's ts_headline options, {6} the page's language. Ranks only ids in the inner query, then loads and highlights
    /// just the one page: ts_headline is expensive and bodies are long, so neither should touch every match. A petition
    /// matches by its own text or by any translation, each searched through its GIN index and kept when the query parsed in
    /// that text's own language's configuration matches (so stemming and "-word" work per language, see TextSearchSql); it is shown in the page's
    /// language where it has a translation. Columns are snake_case because the naming convention applies to SqlQuery's
    /// result types too.
    /// </summary>
    public const string Search =
        $$"""
        WITH query AS (SELECT {{TextSearchSql.QueryColumns}}),
        matches AS (
            SELECT p.id, ts_rank_cd(p.search_vector, {{TextSearchSql.PetitionQuery}}) AS rank
            FROM petitions p CROSS JOIN query
            WHERE p.search_vector @@ {{TextSearchSql.AnyQuery}} AND p.search_vector @@ {{TextSearchSql.PetitionQuery}}
            UNION ALL
            SELECT t.petition_id, ts_rank_cd(t.search_vector, {{TextSearchSql.TranslationQuery}})
            FROM petition_translations t CROSS JOIN query
            WHERE t.search_vector @@ {{TextSearchSql.AnyQuery}} AND t.search_vector @@ {{TextSearchSql.TranslationQuery}}
        ),
        hits AS (
            SELECT m.id, max(m.rank) AS rank, p.signature_count
            FROM matches m JOIN petitions p ON p.id = m.id
            WHERE p.status IN {{Public}}
            GROUP BY m.id, p.signature_count
            ORDER BY rank DESC, p.signature_count DESC, m.id DESC
            OFFSET {1} LIMIT {2}
        )
        SELECT p.id, p.slug, p.starter_name, p.category, p.status, p.signature_count,
               coalesce(tr.language, p.language) AS language,
               ts_headline({{TextSearchSql.ShownTextConfig}}, translate(coalesce(tr.title, p.title), {3}, ''), {{TextSearchSql.ShownTextQuery}}, {4}) AS title_marked,
               ts_headline({{TextSearchSql.ShownTextConfig}}, translate(coalesce(tr.body, p.body), {3}, ''), {{TextSearchSql.ShownTextQuery}}, {5}) AS snippet_marked
        FROM hits JOIN petitions p ON p.id = hits.id CROSS JOIN query
        LEFT JOIN petition_translations tr ON tr.petition_id = p.id AND tr.language = {6} AND tr.language <> p.language
        ORDER BY hits.rank DESC, hits.signature_count DESC, hits.id DESC
        """;

    public const string ClaimNotificationJob =
        """
        SELECT j.id, j.petition_id, j.last_signature_id, j.kind, j.subject, j.body_html, j.body_text, p.slug, p.title,
            j.arguments, j.update_id, p.language
        FROM notification_jobs j JOIN petitions p ON p.id = j.petition_id
        WHERE j.completed_at IS NULL ORDER BY j.id LIMIT 1 FOR UPDATE OF j SKIP LOCKED
        """;

    /// <summary>
    /// $1 job: a session lock held while its batch renders outside any transaction, so other nodes leave the job to this
    /// one instead of rendering the same batch (the write still checks the cursor: this lock only saves work).
    /// </summary>
    public const string TryLockNotificationJob = $"SELECT pg_try_advisory_lock({AdvisoryLocks.NotificationJobs}, ($1 % 2147483647)::int)";

    public const string UnlockNotificationJob = $"SELECT pg_advisory_unlock({AdvisoryLocks.NotificationJobs}, ($1 % 2147483647)::int)";

    /// <summary>$1 job, $2 the cursor its batch started from: locks the job only if no one has moved the cursor since.</summary>
    public const string LockNotificationJobAt =
        "SELECT 1 FROM notification_jobs WHERE id = $1 AND last_signature_id = $2 AND completed_at IS NULL FOR UPDATE";

    /// <summary>$1 job, $2 last signature id, $3 how many were sent, $4 whether it is done, $5 now (Citus refuses now() inside a CASE).</summary>
    public const string AdvanceNotificationJob =
        "UPDATE notification_jobs SET last_signature_id = $2, sent = sent + $3, completed_at = CASE WHEN $4 THEN $5 END WHERE id = $1";

    /// <summary>$1 recipient, $2 petition, $3 text, $4 accepts, $5 published at; returns true when it is the first response.</summary>
    public const string UpsertResponse =
        """
        INSERT INTO recipient_responses (delivery_recipient_id, petition_id, text, accepts_demand, published_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (delivery_recipient_id) DO UPDATE SET text = EXCLUDED.text, accepts_demand = EXCLUDED.accepts_demand, published_at = EXCLUDED.published_at
        RETURNING (xmax = 0)
        """;
}
