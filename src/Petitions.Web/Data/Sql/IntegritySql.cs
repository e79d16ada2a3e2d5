using Npgsql;
using Petitions.Web.Features.Integrity;
using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>Signature search, invalidation and its undo, and the trending job's statement.</summary>
public static class IntegritySql
{
    /// <summary>The signature's (alias s) address as inet, or null when the stored value does not look like one.</summary>
    public const string Inet = "(CASE WHEN s.ip_address ~ '^[0-9A-Fa-f:./]+$' THEN s.ip_address::inet END)";

    /// <summary>The conditions of <paramref name="filter"/> on signatures s, adding their parameters to <paramref name="command"/> ($n follow those already there).</summary>
    /// <paramref name="emailIdentities"/> are every way the filter's address can be stored (its keyed hash on protected petitions).
    /// A protected petition's names and places are sealed, so a search by either never matches them.
    public static string Where(NpgsqlCommand command, SignatureFilter filter, IReadOnlyList<string> emailIdentities)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        string Next<T>(T value)
            where T : notnull
        {
            command.With(value);
            return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (filter.PetitionId is { } petitionId)
        {
            parts.Add($"s.petition_id = {Next(petitionId)}");
        }

        if (filter.NormalizedEmail is not null)
        {
            parts.Add($"s.normalized_email = ANY({Next(emailIdentities.ToArray())})");
        }

        if (filter.Name is not null || filter.Postcode is not null)
        {
            parts.Add("s.petition_id NOT IN (SELECT id FROM petitions WHERE protected)");
        }

        if (filter.Domain is { } domain)
        {
            var d = Next(domain);
            parts.Add($"(split_part(s.normalized_email, '@', 2) = {d} OR split_part(s.normalized_email, '@', 2) LIKE '%.' || {d})");
        }

        if (filter.Name is { } name)
        {
            parts.Add($"s.full_name ILIKE '%' || {Next(EscapeLike(name))} || '%'");
        }

        if (filter.Postcode is { } postcode)
        {
            parts.Add($"upper(replace(s.postcode_or_city, ' ', '')) = upper(replace({Next(postcode)}, ' ', ''))");
        }

        if (filter.Country is { } country)
        {
            parts.Add($"s.country = {Next(country)}");
        }

        if (filter.Cidr is { } cidr)
        {
            parts.Add($"{Inet} <<= {Next(cidr)}::cidr");
        }

        if (filter.From is { } from)
        {
            parts.Add($"s.created_at >= {Next(from.ToUniversalTime())}");
        }

        if (filter.To is { } to)
        {
            parts.Add($"s.created_at < {Next(to.ToUniversalTime())}");
        }

        return parts.Count == 0 ? "TRUE" : string.Join(" AND ", parts);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Total, Confirmed, Pending, Invalidated and Withdrawn matches.</summary>
    public static string Count(string where) =>
        $"""
        SELECT count(*)::int, (count(*) FILTER (WHERE s.state = {Confirmed}))::int, (count(*) FILTER (WHERE s.state = {Pending}))::int,
               (count(*) FILTER (WHERE s.state = {Invalidated}))::int, (count(*) FILTER (WHERE s.state = {Withdrawn}))::int
        FROM signatures s WHERE {where}
        """;

    /// <summary>One keyset page, newest first: ids below <paramref name="before"/>, at most <paramref name="limit"/> (both parameter names).</summary>
    public static string Page(string where, string before, string limit) =>
        $"""
        SELECT s.id, p.slug, p.title, s.full_name, s.email, s.postcode_or_city, s.country, s.ip_address, s.state, s.created_at, s.invalidation_reason,
               p.protected, s.petition_id, s.normalized_email
        FROM signatures s JOIN petitions p ON p.id = s.petition_id
        WHERE {where} AND s.id < {before}
        ORDER BY s.id DESC LIMIT {limit}
        """;

    /// <summary>Locks the matching signatures that still count or may still be confirmed, for the invalidation's transaction.</summary>
    public static string LockInvalidatable(string where) =>
        $"SELECT s.id FROM signatures s WHERE {where} AND s.state IN ({Confirmed}, {Pending}) ORDER BY s.id FOR UPDATE OF s";

    /// <summary>
    /// $1 ids (already locked; the Confirmed ones already moved by CountEvents.RemoveAsync), $2 at, $3 by, $4 reason,
    /// $5 invalidation: marks them, and moves the Pending ones (which never counted) to Invalidated so their link no longer confirms.
    /// </summary>
    public const string MarkInvalidated =
        $"""
        UPDATE signatures SET state = {Invalidated}, invalidated_at = $2, invalidated_by_id = $3, invalidation_reason = $4, invalidation_id = $5
        WHERE id = ANY($1) AND state IN ({Pending}, {Invalidated})
        """;

    /// <summary>$1 invalidation, $2 at, $3 by: marks it undone, once; returns its id, or nothing if it was undone already.</summary>
    public const string ClaimUndo =
        "UPDATE signature_invalidations SET undone_at = $2, undone_by_id = $3 WHERE id = $1 AND undone_at IS NULL RETURNING id";

    /// <summary>$1 invalidation: its signatures still invalidated, locked, and whether each had been confirmed.</summary>
    public const string LockInvalidatedBy =
        $"SELECT id, confirmed_at IS NOT NULL FROM signatures WHERE invalidation_id = $1 AND state = {Invalidated} ORDER BY id FOR UPDATE";

    /// <summary>$1 ids: signatures invalidated before they were confirmed go back to Pending (they never counted).</summary>
    public const string RestorePending = $"UPDATE signatures SET state = {Pending} WHERE id = ANY($1) AND state = {Invalidated}";

    /// <summary>
    /// $1 now, $2 signatures per hour above which an address or network is trending, $3 the same for an email domain,
    /// $4 the domains never reported: records (or refreshes) what the last hour shows; returns how many findings it wrote.
    /// </summary>
    public static readonly string FindTrending =
        $"""
        WITH recent AS (
            SELECT s.petition_id, s.created_at, split_part(s.normalized_email, '@', 2) AS domain, {Inet} AS ip
            FROM signatures s
            WHERE s.created_at > $1 - interval '1 hour' AND s.created_at <= $1 AND s.state IN ({Confirmed}, {Pending})
        ), addressed AS (
            SELECT petition_id, created_at, host(ip) AS host,
                   network(set_masklen(ip, CASE WHEN family(ip) = 4 THEN 24 ELSE 64 END))::text AS net
            FROM recent WHERE ip IS NOT NULL
        ), found AS (
            SELECT petition_id, '{nameof(TrendingKind.Ip)}' AS kind, host AS value, count(*)::int AS n, min(created_at) AS first
            FROM addressed GROUP BY petition_id, host HAVING count(*) > $2
            UNION ALL
            SELECT petition_id, '{nameof(TrendingKind.Network)}', net, count(*)::int, min(created_at)
            FROM addressed GROUP BY petition_id, net HAVING count(*) > $2
            UNION ALL
            SELECT petition_id, '{nameof(TrendingKind.Domain)}', domain, count(*)::int, min(created_at)
            FROM recent WHERE domain <> '' AND domain <> ALL($4) GROUP BY petition_id, domain HAVING count(*) > $3
        ), written AS (
            INSERT INTO trending_findings AS t (petition_id, kind, value, count, window_start, first_seen_at, last_seen_at)
            SELECT petition_id, kind, value, n, first, $1, $1 FROM found ORDER BY petition_id, kind, value
            ON CONFLICT (petition_id, kind, value) DO UPDATE SET count = EXCLUDED.count, last_seen_at = EXCLUDED.last_seen_at,
                -- A finding back after a quiet hour is a new run: its search starts at the new run.
                -- Written as a difference of two times: Citus refuses timestamptz - interval (a stable function) in DO UPDATE SET.
                window_start = CASE WHEN EXCLUDED.last_seen_at - t.last_seen_at > interval '1 hour' THEN EXCLUDED.window_start ELSE t.window_start END,
                first_seen_at = CASE WHEN EXCLUDED.last_seen_at - t.last_seen_at > interval '1 hour' THEN EXCLUDED.first_seen_at ELSE t.first_seen_at END
            RETURNING 1
        ), forgotten AS (
            DELETE FROM trending_findings WHERE last_seen_at < $1 - interval '7 days' RETURNING 1
        )
        SELECT count(*)::int FROM written
        """;
}
