-- A smoke test of a cluster from scripts/citus.sh: a table distributed by a text column with a unique index that
-- includes it, a reference table, an upsert and a count across shards. It leaves nothing behind.
--   psql -X -h 127.0.0.1 -p BASE_PORT -U petitions -d petitions -f scripts/citus-smoke.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS citus_smoke CASCADE;
CREATE SCHEMA citus_smoke;
SET search_path = citus_smoke;

SELECT nodename, nodeport, shouldhaveshards FROM pg_dist_node ORDER BY nodeport;

-- A reference table has a full copy on every node, so any shard can join it or point a foreign key at it.
CREATE TABLE smoke_petitions (id bigint PRIMARY KEY, slug text NOT NULL UNIQUE);
SELECT create_reference_table('smoke_petitions');
INSERT INTO smoke_petitions VALUES (1, 'viral'), (2, 'quiet');

CREATE TABLE smoke_signatures (
    petition_id bigint NOT NULL REFERENCES smoke_petitions (id) ON DELETE CASCADE,
    normalized_email text NOT NULL,
    full_name text NOT NULL,
    state text NOT NULL DEFAULT 'Pending');
CREATE UNIQUE INDEX ix_smoke_signatures_petition_email ON smoke_signatures (petition_id, normalized_email);
SELECT create_distributed_table('smoke_signatures', 'normalized_email');

-- One petition's signatures spread over every shard, and so over both workers.
INSERT INTO smoke_signatures (petition_id, normalized_email, full_name)
SELECT 1, 'signer' || i || '@example.org', 'Signer ' || i FROM generate_series(1, 1000) i;
INSERT INTO smoke_signatures (petition_id, normalized_email, full_name)
SELECT 2, 'signer' || i || '@example.org', 'Signer ' || i FROM generate_series(1, 10) i;

-- The signing upsert: a second attempt by the same address for the same petition changes the row, never adds one.
INSERT INTO smoke_signatures (petition_id, normalized_email, full_name) VALUES (1, 'signer7@example.org', 'Signer Seven')
ON CONFLICT (petition_id, normalized_email) DO UPDATE SET full_name = excluded.full_name
WHERE smoke_signatures.state = 'Pending'
RETURNING petition_id, normalized_email, full_name, (xmax = 0) AS inserted;
INSERT INTO smoke_signatures (petition_id, normalized_email, full_name) VALUES (1, 'new@example.org', 'New Signer')
ON CONFLICT (petition_id, normalized_email) DO UPDATE SET full_name = excluded.full_name
RETURNING petition_id, normalized_email, full_name, (xmax = 0) AS inserted;

-- The unique index is enforced on every shard: a plain duplicate insert fails.
DO $$
BEGIN
    INSERT INTO citus_smoke.smoke_signatures (petition_id, normalized_email, full_name) VALUES (1, 'signer8@example.org', 'Again');
    RAISE EXCEPTION 'a duplicate (petition, email) was accepted';
EXCEPTION WHEN unique_violation THEN
    RAISE INFO 'duplicate refused: %', SQLERRM;
END $$;

-- Counts across shards, joined with the reference table.
SELECT p.slug, count(*) AS signatures FROM smoke_signatures s JOIN smoke_petitions p ON p.id = s.petition_id
GROUP BY p.slug ORDER BY p.slug;

-- Where the viral petition's rows live.
SELECT n.nodeport, count(DISTINCT sh.shardid) AS shards, sum(sh.rows) AS rows
FROM pg_dist_shard sh0
JOIN pg_dist_placement pl ON pl.shardid = sh0.shardid
JOIN pg_dist_node n ON n.groupid = pl.groupid
CROSS JOIN LATERAL (
    SELECT sh0.shardid, (SELECT result::bigint FROM run_command_on_placements('smoke_signatures',
        'SELECT count(*) FROM %s WHERE petition_id = 1') r WHERE r.shardid = sh0.shardid) AS rows) sh
WHERE sh0.logicalrelid = 'smoke_signatures'::regclass
GROUP BY n.nodeport ORDER BY n.nodeport;

-- A unique index without the distribution column cannot be enforced, and Citus says so.
DO $$
BEGIN
    CREATE UNIQUE INDEX ix_smoke_signatures_name ON citus_smoke.smoke_signatures (full_name);
    RAISE EXCEPTION 'a unique index without the distribution column was accepted';
EXCEPTION WHEN feature_not_supported OR invalid_table_definition THEN
    RAISE INFO 'refused as expected: %', SQLERRM;
END $$;

RESET search_path;
DROP SCHEMA citus_smoke CASCADE;
