-- Benchmark data, loaded straight into the app's schema (after `Petitions.Web.dll migrate`).
-- psql variables: big (confirmed signatures on the viral petition), spread (ordinary open petitions),
-- pool (pending signatures with known tokens, for the confirmation figure), probes (pending signatures with known
-- tokens on the viral petition, for the count-freshness figure), recipient_token (the known link of the seeded delivery,
-- for the export figure).
-- Known tokens are 43 base64url characters, like the site's own: 'bc' or 'bf' and a zero-padded number.
-- The site stores SHA-256 of the token's ASCII bytes (Features/Signing/Tokens.cs).
\set ON_ERROR_STOP on
SET synchronous_commit = off;

BEGIN;

CREATE TEMP TABLE bench_body AS SELECT
    repeat('Our town needs safe crossings near every school. Children walk along a busy road with no pavement, and drivers pass at speed. ', 8)
    || E'\n\n' || repeat('We ask the council to fund crossings, lower the limit to 20 mph and publish a timetable for the work. ', 6) AS md,
    '<p>' || repeat('Our town needs safe crossings near every school. Children walk along a busy road with no pavement, and drivers pass at speed. ', 8) || '</p>' AS lead,
    '<p>' || repeat('We ask the council to fund crossings, lower the limit to 20 mph and publish a timetable for the work. ', 6) || '</p>' AS more;

INSERT INTO petitions (slug, title, body, body_lead_html, body_more_html, starter_name, category, status, goal, automatic_goal,
                       signature_count, created_at, published_at, featured)
SELECT 'bench-viral', 'Make every school crossing safe before the new term', md, lead, more, 'Alex Example', 'Transport', 'Open',
       1500000, false, 0, now() - interval '30 days', now() - interval '30 days', true
FROM bench_body;

INSERT INTO petitions (slug, title, body, body_lead_html, body_more_html, starter_name, category, status, goal, automatic_goal,
                       signature_count, created_at, published_at, featured)
SELECT 'bench-p-' || lpad(i::text, 3, '0'), 'Ordinary petition number ' || i, md, lead, more, 'Starter ' || i, 'Community', 'Open',
       1000, true, 0, now() - interval '10 days', now() - interval '10 days', false
FROM bench_body, generate_series(1, :spread) i;

INSERT INTO decision_makers (petition_id, name, title_or_organization, position)
SELECT p.id, d.name, d.org, d.pos
FROM petitions p
CROSS JOIN (VALUES ('Jordan Council', 'Leader of the Council', 0), ('Sam Highways', 'Cabinet Member for Highways', 1)) AS d(name, org, pos)
WHERE p.slug LIKE 'bench-%';

INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason, show_publicly,
                        email_updates, share_email_with_organizer, state, confirmation_token_hash, ip_address, created_at,
                        confirmed_at)
SELECT v.id, 'Supporter ' || i, 'seed' || i || '@seed.example.org', 'seed' || i || '@seed.example.org', 'GB', 'London',
       CASE WHEN i % 7 = 0 THEN 'Because my children walk this road every day (' || i || ')' END,
       i % 3 <> 0, i % 2 = 0, false, 'Confirmed', sha256(convert_to('seed-token-' || i, 'UTF8')), '127.0.0.1',
       now() - make_interval(secs => (:big - i) * 0.5 + 120), now() - make_interval(secs => (:big - i) * 0.5)
FROM (SELECT id FROM petitions WHERE slug = 'bench-viral') v, generate_series(1, :big) i;

UPDATE petitions SET signature_count = :big WHERE slug = 'bench-viral';

-- Already counted: commits before count_events (which --source can benchmark) mark it on the signature instead.
DO $$
BEGIN
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'signatures' AND column_name = 'counted') THEN
        EXECUTE 'UPDATE signatures SET counted = true WHERE state = ''Confirmed''';
    END IF;
END $$;

-- The counts per country that SignatureCounter keeps alongside signature_count (the JSON API reads them). The table is
-- missing in commits before it, which --source can benchmark.
DO $$
BEGIN
    IF to_regclass('petition_country_counts') IS NOT NULL THEN
        INSERT INTO petition_country_counts (petition_id, country, count)
        SELECT petition_id, country, count(*) FROM signatures WHERE state = 'Confirmed' GROUP BY petition_id, country;
    END IF;
END $$;

-- The viral petition delivered to its first decision maker, with every signature above (confirmed_at <= now(), the
-- delivery time; later confirmations are not in the lists), as DeliveryHandler.DeliverAsync records it. The recipient's
-- link /d/{recipient_token} serves the CSV and PDF lists of the export figure. Recipient tokens are 22 base64url
-- characters; the site stores SHA-256 of the token's ASCII bytes (Features/Deliveries/RecipientTokens.cs).
WITH delivery AS (
    INSERT INTO deliveries (petition_id, delivered_at, cover_message, signature_count)
    SELECT id, now(), 'Here are the signatures of everyone who asked for safe school crossings.', :big
    FROM petitions WHERE slug = 'bench-viral'
    RETURNING id, petition_id)
INSERT INTO delivery_recipients (delivery_id, decision_maker_id, name, title_or_organization, email, access_token_hash,
                                 access_expires_at)
SELECT delivery.id, d.id, d.name, d.title_or_organization, 'jordan.council@bench.example.org',
       sha256(convert_to(:'recipient_token', 'UTF8')), now() + interval '30 days'
FROM delivery JOIN decision_makers d ON d.petition_id = delivery.petition_id AND d.position = 0;

-- Pending signatures with known tokens, spread over the ordinary petitions.
INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, show_publicly,
                        email_updates, share_email_with_organizer, state, confirmation_token_hash, created_at)
SELECT p.id, 'Pending ' || i, 'pool' || i || '@seed.example.org', 'pool' || i || '@seed.example.org', 'GB', 'Leeds', true,
       false, false, 'Pending', sha256(convert_to('bc' || lpad(i::text, 41, '0'), 'UTF8')), now()
FROM generate_series(1, :pool) i
JOIN petitions p ON p.slug = 'bench-p-' || lpad((i % :spread + 1)::text, 3, '0');

-- Pending signatures with known tokens on the viral petition, confirmed one at a time to measure count freshness.
INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, show_publicly,
                        email_updates, share_email_with_organizer, state, confirmation_token_hash, created_at)
SELECT v.id, 'Probe ' || i, 'probe' || i || '@seed.example.org', 'probe' || i || '@seed.example.org', 'GB', 'York', true,
       false, false, 'Pending', sha256(convert_to('bf' || lpad(i::text, 41, '0'), 'UTF8')), now()
FROM (SELECT id FROM petitions WHERE slug = 'bench-viral') v, generate_series(1, :probes) i;

-- The same email bodies the app renders, for the pgbench baseline (filled in from a real signature later); from
-- OutboxDeferredRendering on, the app writes the email's model and language instead, and the bodies are NULL.
CREATE TABLE IF NOT EXISTS bench_sample (html text, text text, subject text, model jsonb, language text);

COMMIT;

ANALYZE;
