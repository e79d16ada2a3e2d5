namespace Petitions.Web.Data.Sql;

/// <summary>The email throttle, the login throttle and the suppression list.</summary>
public static class ThrottleSql
{
    /// <summary>
    /// Takes one send for the address key in <paramref name="addressParameter"/> if it has had fewer than
    /// <paramref name="limitParameter"/> in the last hour; returns a row only then. Put a FROM on
    /// <paramref name="source"/> to take it conditionally.
    /// </summary>
    public static string TakeEmail(string addressParameter, string limitParameter, string source = "") =>
        $"""
        INSERT INTO email_throttle AS t (address_hash, sent_at)
        SELECT {addressParameter}, ARRAY[now()] {source}
        ON CONFLICT (address_hash) DO UPDATE SET sent_at =
            ARRAY(SELECT x FROM unnest(t.sent_at) x WHERE x > now() - interval '1 hour') || ARRAY[now()]
        WHERE (SELECT count(*) FROM unnest(t.sent_at) x WHERE x > now() - interval '1 hour') < {limitParameter}
        RETURNING true AS allowed
        """;

    public const string PurgeEmail =
        "DELETE FROM email_throttle WHERE sent_at[cardinality(sent_at)] IS NULL OR sent_at[cardinality(sent_at)] <= now() - interval '1 hour'";

    /// <summary>Adds the address in parameter <paramref name="keyParameter"/>, once; put a FROM on <paramref name="source"/> to add it conditionally.</summary>
    public static string Suppress(string keyParameter, string reasonParameter, string source = "") =>
        $"""
        INSERT INTO email_suppressions (address_hash, reason, created_at) SELECT {keyParameter}, {reasonParameter}, now() {source}
        ON CONFLICT (address_hash) DO NOTHING
        """;

    // An attempt is counted before the password is checked, so that concurrent guesses cannot all slip under the
    // limit: the row lock of the upsert puts them in line. A pair untouched for a day starts again. $1 key, $2 free attempts.
    public const string TakeLogin =
        """
        INSERT INTO login_throttle AS t (key_hash, attempts, last_attempt_at) VALUES ($1, 1, now())
        ON CONFLICT (key_hash) DO UPDATE SET
            attempts = CASE WHEN t.last_attempt_at <= now() - interval '1 day' THEN 1 ELSE t.attempts + 1 END,
            last_attempt_at = now()
        WHERE t.attempts < $2
           OR t.last_attempt_at <= now() - least(interval '1 minute' * power(2, least(t.attempts - $2, 6)), interval '1 hour')
        RETURNING attempts
        """;

    public const string ClearLogin = "DELETE FROM login_throttle WHERE key_hash = $1";

    public const string PurgeLogin = "DELETE FROM login_throttle WHERE last_attempt_at <= now() - interval '1 day'";
}
