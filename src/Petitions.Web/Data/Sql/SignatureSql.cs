using Petitions.Web.Email;
using static Petitions.Web.Data.Sql.SqlStates;

namespace Petitions.Web.Data.Sql;

/// <summary>Every hand-written statement on signatures: signing, confirming, the lists and the dashboard's figures.</summary>
public static class SignatureSql
{
    // The petition takes signatures while it is Open and its closing date has not passed, whether or not the closer
    // has been by yet. Confirming applies the same date, so whatever signing accepts can be confirmed.
    public const string Accepting = $"status = {Open} AND (closes_at IS NULL OR closes_at > now())";

    /// <summary>Signing is paused on this petition (alias p) or site-wide; the settings table has one row, so it adds no round trip.</summary>
    public const string Paused = $"(p.signing_paused_at IS NOT NULL OR {PausedSiteWide})";

    /// <summary>Signing is paused for the whole site.</summary>
    public const string PausedSiteWide = "EXISTS (SELECT FROM site_settings WHERE signing_paused_at IS NOT NULL)";

    public const string FindPausedSiteWide = $"SELECT {PausedSiteWide}";

    /// <summary>$1 slug: id, slug, title, status, whether it takes signatures, and whether signing is paused.</summary>
    /// <summary>$1 slug, $2 the signer's language: the title is its translation into that language where there is one.</summary>
    public const string FindPetition =
        $"SELECT id, slug, coalesce((SELECT t.title FROM petition_translations t WHERE t.petition_id = p.id AND t.language = $2), title), status, {Accepting}, {Paused}, protected " +
        $"FROM petitions p WHERE slug = $1 AND status <> {Draft}";

    /// <summary>
    /// True when signature s comes from a blocked IP/CIDR range or email domain (or a subdomain of one). The
    /// address is cast only when it looks like one, so an odd stored value never fails the statement.
    /// </summary>
    public const string Blocked =
        """
        EXISTS (SELECT FROM signing_blocks b WHERE
            (b.kind = 'Ip' AND CASE WHEN s.ip_address ~ '^[0-9A-Fa-f:.]+$' THEN s.ip_address::inet END <<= b.value::cidr)
            OR (b.kind = 'Domain' AND (split_part(s.normalized_email, '@', 2) = b.value OR split_part(s.normalized_email, '@', 2) LIKE '%.' || b.value)))
        """;

    /// <summary>
    /// $1 normalized email, $2 IP address (or NULL): whether the block lists stop this signer, as <see cref="Blocked"/>
    /// judges a stored row. A protected petition's row keeps neither, so signing asks this while both are known.
    /// </summary>
    public const string BlockedSigner =
        """
        SELECT EXISTS (SELECT FROM signing_blocks b WHERE
            (b.kind = 'Ip' AND CASE WHEN $2::text ~ '^[0-9A-Fa-f:.]+$' THEN $2::text::inet END <<= b.value::cidr)
            OR (b.kind = 'Domain' AND (split_part($1::text, '@', 2) = b.value OR split_part($1::text, '@', 2) LIKE '%.' || b.value)))
        """;

    /// <summary>
    /// $1 petition, $2 name, $3 email, $4 normalized email, $5 country, $6 place, $7 reason, $8 show publicly,
    /// $9 updates, $10 share email, $11 token hash, $12 IP, $13–$15 the confirmation (message id, its model as jsonb,
    /// created at; the worker renders it at send time), $16 throttle key, $17 throttle limit, $18 language, $19 and $20 the
    /// confirmation's address and name (as typed: on a protected petition $2 and $3 are ciphertexts and $12 is NULL), $21
    /// forget them once sent. Returns Closed, Pending or Confirmed, and whether it may email.
    /// </summary>
    public static readonly string Sign =
        $"""
        WITH petition AS (
            SELECT id FROM petitions WHERE id = $1 AND {Accepting}
        ), signature AS (
            INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason,
                show_publicly, email_updates, share_email_with_organizer, state, confirmation_token_hash, ip_address, created_at, language)
            SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10, {Pending}, $11, $12, now(), $18 FROM petition
            ON CONFLICT (petition_id, normalized_email) DO UPDATE
                -- A pending signature becomes exactly the latest submission, so its new link confirms only what
                -- that person typed and the earlier link stops working. A withdrawn one is signed afresh the same way
                -- (confirming it counts it again through Confirm's events). A confirmed one is left alone.
                SET full_name = excluded.full_name, email = excluded.email, country = excluded.country,
                    postcode_or_city = excluded.postcode_or_city, reason = excluded.reason,
                    show_publicly = excluded.show_publicly, email_updates = excluded.email_updates,
                    share_email_with_organizer = excluded.share_email_with_organizer,
                    confirmation_token_hash = excluded.confirmation_token_hash, ip_address = excluded.ip_address,
                    created_at = excluded.created_at, language = excluded.language,
                    state = {Pending}, confirmed_at = NULL, unsubscribed_at = NULL, withdrawn_at = NULL
                WHERE signatures.state IN ({Pending}, {Withdrawn})
            RETURNING state
        ), throttle AS (
            {ThrottleSql.TakeEmail("$16", "$17", "FROM petition")}
        ), confirmation AS (
            INSERT INTO outbox_messages ({OutboxSql.DeferredColumns})
            SELECT $13, '{EmailKind.ConfirmSignature.Name}', $19, $20, '', $14, $18, $15, $15, 0, $21 FROM signature, throttle WHERE throttle.allowed
        )
        SELECT CASE WHEN NOT EXISTS (SELECT FROM petition) THEN 'Closed' WHEN EXISTS (SELECT FROM signature) THEN {Pending} ELSE {Confirmed} END,
            coalesce((SELECT allowed FROM throttle), false)
        """;

    /// <summary>The petition's title in language $2 where it has a translation, else its own (for the confirmation page).</summary>
    private static string TitleIn(string petitionId, string title) =>
        $"coalesce((SELECT t.title FROM petition_translations t WHERE t.petition_id = {petitionId} AND t.language = $2), {title})";

    /// <summary>
    /// $1 token hash, $2 the page's language (the title comes back in it, so the page needs no second round trip).
    /// The confirmation writes its count event in the same statement, so it counts exactly once.
    /// </summary>
    public static readonly string Confirm =
        $"""
        WITH confirmed AS (
            UPDATE signatures s SET state = {Confirmed}, confirmed_at = now()
            FROM petitions p
            WHERE s.confirmation_token_hash = $1 AND s.state = {Pending} AND p.id = s.petition_id
              AND (p.status = {Open} OR p.closed_at IS NOT NULL)
              AND s.created_at < coalesce(p.closed_at, p.closes_at, 'infinity')
              AND NOT {Blocked}
            RETURNING s.petition_id, s.country, p.slug, p.title, p.signature_count, p.goal, p.automatic_goal, s.normalized_email
        ), events AS ({CountingSql.InsertEvents("confirmed")})
        SELECT slug, {TitleIn("confirmed.petition_id", "confirmed.title")}, signature_count, goal, automatic_goal, petition_id, normalized_email FROM confirmed
        """;

    // The rare path, so it may add up the petition's events the counter has not applied yet. The signature is read
    // first, on its own: on Citus a distributed table cannot be joined directly with a coordinator-local table
    // (count_events); a materialized CTE of at most one row costs plain PostgreSQL nothing. $1 token hash, $2 language.
    public static readonly string FindByToken =
        $"""
        WITH s AS MATERIALIZED (
            SELECT s.state, s.petition_id, s.normalized_email, {Blocked} AS blocked
            FROM signatures s WHERE s.confirmation_token_hash = $1)
        SELECT s.state, p.slug, {TitleIn("p.id", "p.title")},
               p.signature_count + coalesce((SELECT sum(e.delta) FROM count_events e WHERE e.petition_id = p.id), 0)::int,
               p.goal, p.automatic_goal, p.id, s.normalized_email, s.blocked
        FROM s JOIN petitions p ON p.id = s.petition_id
        """;

    /// <summary>$1 petition, $2 after this signature id, $3 how many.</summary>
    public const string UpdateRecipients =
        $"""
        SELECT id, full_name, email, language, normalized_email, (SELECT protected FROM petitions WHERE id = $1) FROM signatures
        WHERE petition_id = $1 AND id > $2 AND state = {Confirmed} AND email_updates AND unsubscribed_at IS NULL
        ORDER BY id LIMIT $3
        """;

    /// <summary>The confirmed signatures of petition $1 (confirmed by $2 when <paramref name="confirmedBy"/>), oldest first.</summary>
    public static string List(string columns, bool confirmedBy) =>
        // The id breaks ties. No index serves this order, so PostgreSQL sorts the rows before it sends the first.
        $"""
        SELECT {columns}
        FROM signatures
        WHERE petition_id = $1 AND state = {Confirmed}{(confirmedBy ? " AND confirmed_at <= $2" : "")}
        ORDER BY confirmed_at, id
        """;

    /// <summary>$1 petition, $2 confirmed by.</summary>
    public const string CountriesConfirmedBy =
        $"""
        SELECT country, count(*)::int FROM signatures
        WHERE petition_id = $1 AND state = {Confirmed} AND confirmed_at <= $2
        GROUP BY country ORDER BY 2 DESC, 1
        """;

    public const string StatesAndCountries =
        """
        SELECT state, country, count(*)::int
        FROM signatures
        WHERE petition_id = $1
        GROUP BY state, country
        """;

    /// <summary>$1 petition, $2 hourly until (then daily).</summary>
    public const string Timeline =
        $"""
        SELECT date_trunc(CASE WHEN confirmed_at < $2 THEN 'hour' ELSE 'day' END, confirmed_at AT TIME ZONE 'UTC') AS bucket,
               confirmed_at < $2 AS hourly,
               count(*)::int
        FROM signatures
        WHERE petition_id = $1 AND state = {Confirmed} AND confirmed_at IS NOT NULL
        GROUP BY 1, 2
        """;

    /// <summary>
    /// For ExecuteSqlRaw: {0} petition, {1} how many, {2} published at. Most signatures arrive soon after launch and
    /// tail off, as they do for real petitions.
    /// </summary>
    public const string SampleSignatures =
        $$"""
        INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason, show_publicly,
            email_updates, share_email_with_organizer, state, confirmation_token_hash, created_at, confirmed_at)
        SELECT {0},
            (ARRAY['Alex','Sam','Priya','Jon','Mei','Fatima','Lukas','Ana','Tom','Zoe'])[1 + g % 10] || ' ' ||
            (ARRAY['Smith','Khan','Garcia','Müller','Chen','Okafor','Rossi','Novak','Silva','Brown'])[1 + (g / 10) % 10],
            'sample' || {0} || '-' || g || '@example.org', 'sample' || {0} || '-' || g || '@example.org',
            (ARRAY['GB','GB','GB','IE','FR','DE','US','ES','NL','IT'])[1 + g % 10],
            (ARRAY['Cambridge','London','Leeds','Dublin','Paris','Berlin','Boston','Madrid','Utrecht','Rome'])[1 + g % 10],
            CASE WHEN g % 7 = 0 THEN 'This matters to my family and my neighbours.' END,
            g % 5 <> 0, g % 2 = 0, false, {{Confirmed}}, sha256(('sample' || {0} || '-' || g)::bytea),
            {2} + make_interval(secs => power(g::float8 / {1}, 2.2) * extract(epoch FROM now() - {2})),
            {2} + make_interval(secs => power(g::float8 / {1}, 2.2) * extract(epoch FROM now() - {2}))
        FROM generate_series(1, {1}) g
        """;

    /// <summary>
    /// The signatures matching <paramref name="condition"/> (on <c>s</c>) written again with <paramref name="fields"/>
    /// (jsonb_build_object's arguments; <c>m</c> is the old row) in place of theirs. A delete and an insert rather than an
    /// UPDATE: on Citus the address is the distribution column, which an UPDATE may not change, and the new value lives on
    /// another shard. Nothing references a signature by foreign key, and the id stays. One row returned per signature.
    /// </summary>
    public static string RewriteWhere(string condition, string fields) =>
        $"""
        WITH moved AS (DELETE FROM signatures s WHERE {condition} RETURNING s.*)
        INSERT INTO signatures
        SELECT (jsonb_populate_record(NULL::signatures, to_jsonb(m) || jsonb_build_object({fields}))).*
        FROM moved m
        RETURNING 1
        """;

    /// <summary>$1 id; the signer's stored fields become $2 address, $3 name, $4 email, $5 place, $6 reason; $7 drops the IP.</summary>
    public static readonly string ReplaceSignerFields = RewriteWhere(
        "s.id = $1",
        "'normalized_email', $2::text, 'full_name', $3::text, 'email', $4::text, 'postcode_or_city', $5::text, 'reason', $6::text, " +
        "'ip_address', CASE WHEN $7 THEN NULL ELSE m.ip_address END");
}
