using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>
/// The counting of signatures into petitions.signature_count and petition_country_counts, through the append-only
/// count_events: whatever moves a signature into or out of Confirmed writes its events in the same statement, and
/// the counter consumes them.
/// </summary>
public static class CountingSql
{
    /// <summary>
    /// SQL that records the rows of the CTE <paramref name="changed"/> (petition_id, country) as changes of
    /// <paramref name="sign"/>1 each, one event per petition and country.
    /// </summary>
    public static string InsertEvents(string changed, char sign = '+') =>
        $"INSERT INTO count_events (petition_id, delta, country) SELECT petition_id, {(sign == '-' ? "-" : "")}count(*)::int, country FROM {changed} GROUP BY petition_id, country";

    /// <summary>$1 signature ids, $2 the state they move to: stops those that are Confirmed counting; returns how many.</summary>
    public static readonly string Remove =
        $"""
        WITH changed AS (
            UPDATE signatures SET state = $2 WHERE id = ANY($1) AND state = {Confirmed} RETURNING petition_id, country
        ), events AS ({InsertEvents("changed", '-')})
        SELECT count(*)::int FROM changed
        """;

    /// <summary>$1 signature ids, $2 the state they come from: makes those Confirmed again; returns how many.</summary>
    public static readonly string Restore =
        $"""
        WITH changed AS (
            UPDATE signatures SET state = {Confirmed} WHERE id = ANY($1) AND state = $2 RETURNING petition_id, country
        ), events AS ({InsertEvents("changed")})
        SELECT count(*)::int FROM changed
        """;

    /// <summary>For ExecuteSqlRaw: {0} petition, {1} now. Publishing confirms the starter's signature, if they signed, and counts it.</summary>
    public static readonly string ConfirmStarter =
        $$"""
        WITH changed AS (
            UPDATE signatures SET state = {{Confirmed}}, confirmed_at = {1} WHERE petition_id = {0} AND state = {{Pending}}
            RETURNING petition_id, country)
        {{InsertEvents("changed")}}
        """;

    /// <summary>For ExecuteSqlRaw: {0} petition ids whose Confirmed signatures are waiting to be counted (sample data).</summary>
    public static readonly string CountConfirmedOf =
        $"WITH changed AS (SELECT petition_id, country FROM signatures WHERE petition_id = ANY({{0}}) AND state = {Confirmed}) {InsertEvents("changed")}";

    // Deleting the events it applies, in the transaction that applies them, is what makes this exactly once: an event
    // committed later (even with a lower id) is simply still there next time. Events of a deleted petition are dropped.
    public const string CountNew =
        """
        WITH consumed AS (
            DELETE FROM count_events WHERE id IN (SELECT id FROM count_events ORDER BY id LIMIT 200000)
            RETURNING petition_id, delta, country),
        per_country AS (
            SELECT c.petition_id, c.country, sum(c.delta)::int AS n FROM consumed c
            WHERE EXISTS (SELECT FROM petitions p WHERE p.id = c.petition_id)
            GROUP BY c.petition_id, c.country),
        per_petition AS (SELECT petition_id, sum(n)::int AS n FROM per_country GROUP BY petition_id),
        countries AS (
            INSERT INTO petition_country_counts AS c (petition_id, country, count)
            SELECT petition_id, country, n FROM per_country WHERE n <> 0 ORDER BY petition_id, country
            ON CONFLICT (petition_id, country) DO UPDATE SET count = c.count + EXCLUDED.count),
        bumped AS (
            UPDATE petitions p SET signature_count = p.signature_count + per_petition.n
            FROM per_petition WHERE p.id = per_petition.petition_id AND per_petition.n <> 0)
        SELECT count(*)::int FROM consumed
        """;

    /// <summary>In the recount's snapshot: the events of the signatures it counts.</summary>
    public const string DropEvents = "DELETE FROM count_events";

    // A grouped join rather than a count per petition in a correlated subquery: Citus cannot run a correlated
    // subquery beside a reference table, and one pass over the signatures is no slower on plain PostgreSQL.
    /// <summary>The recount's hold on Citus: every confirmation, withdrawal and invalidation writes an event, so none can commit while it is held.</summary>
    public const string HoldCountEvents = "LOCK TABLE count_events IN SHARE MODE";

    public const string RecountAll =
        $"""
        UPDATE petitions p SET signature_count = coalesce(actual.n, 0)
        FROM petitions p2
        LEFT JOIN (SELECT petition_id, count(*)::int AS n FROM signatures WHERE state = {Confirmed} GROUP BY petition_id) actual
            ON actual.petition_id = p2.id
        WHERE p.id = p2.id AND p.signature_count <> coalesce(actual.n, 0)
        """;

    public const string RecountCountries =
        $"""
        WITH actual AS (
            SELECT petition_id, country, count(*)::int AS n FROM signatures
            WHERE state = {Confirmed} GROUP BY petition_id, country),
        removed AS (
            DELETE FROM petition_country_counts c
            WHERE NOT EXISTS (SELECT 1 FROM actual a WHERE a.petition_id = c.petition_id AND a.country = c.country)
            RETURNING 1),
        corrected AS (
            INSERT INTO petition_country_counts AS c (petition_id, country, count)
            SELECT petition_id, country, n FROM actual ORDER BY petition_id, country
            ON CONFLICT (petition_id, country) DO UPDATE SET count = EXCLUDED.count WHERE c.count <> EXCLUDED.count
            RETURNING 1)
        SELECT ((SELECT count(*) FROM removed) + (SELECT count(*) FROM corrected))::int
        """;
}
