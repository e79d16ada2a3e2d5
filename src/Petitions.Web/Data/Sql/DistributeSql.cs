namespace Petitions.Web.Data.Sql;

/// <summary>
/// Turning a migrated database on a Citus coordinator into a distributed one (see docs/scaling.md). Every step checks
/// what is already there, so running it again changes nothing.
/// </summary>
public static class DistributeSql
{
    public const string HasCitus = "SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus')";

    /// <summary>
    /// One transaction that changes a distributed table and then a reference table must not open parallel connections
    /// per shard first: Citus refuses the reference table's change after them.
    /// </summary>
    public const string Sequential = "SET LOCAL citus.multi_shard_modify_mode TO 'sequential'";

    /// <summary>
    /// Signatures distributed by the signer's address, so a viral petition is spread over every worker and the unique
    /// (petition, address) index stays enforceable; petitions and the two small tables read inside the signing and
    /// confirming statements as reference tables; everything else stays on the coordinator as a Citus local table
    /// (the outbox's FOR UPDATE SKIP LOCKED does not work on a distributed table), except the throttles and the
    /// outbox, which stay plain tables. The order matters: a table that is
    /// already a Citus local table (made so by its foreign key to a new reference table) can no longer be distributed,
    /// because its identity column is not supported there.
    /// </summary>
    public const string Distribute =
        """
        DO $distribute$
        DECLARE t regclass; name text;
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'signatures'::regclass) THEN
                ALTER TABLE signatures DROP CONSTRAINT IF EXISTS fk_signatures_petitions_petition_id;
                ALTER TABLE signatures DROP CONSTRAINT IF EXISTS fk_signatures_signature_invalidations_invalidation_id;
                -- A unique constraint on a distributed table must contain the distribution column.
                ALTER TABLE signatures DROP CONSTRAINT pk_signatures;
                ALTER TABLE signatures ADD CONSTRAINT pk_signatures PRIMARY KEY (id, normalized_email);
                -- 256 random bits: unique without the index enforcing it.
                DROP INDEX ix_signatures_confirmation_token_hash;
                CREATE INDEX ix_signatures_confirmation_token_hash ON signatures (confirmation_token_hash);
                PERFORM create_distributed_table('signatures', 'normalized_email');
            END IF;

            FOREACH t IN ARRAY ARRAY['petitions', 'signing_blocks', 'site_settings', 'signature_invalidations']::regclass[] LOOP
                IF NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t AND partmethod = 'n' AND repmodel = 't') THEN
                    PERFORM create_reference_table(t);
                END IF;
            END LOOP;

            IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'fk_signatures_petitions_petition_id') THEN
                ALTER TABLE signatures ADD CONSTRAINT fk_signatures_petitions_petition_id
                    FOREIGN KEY (petition_id) REFERENCES petitions (id) ON DELETE CASCADE;
            END IF;

            -- A distributed table may reference only reference tables, so the invalidation batches are one too.
            IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'fk_signatures_signature_invalidations_invalidation_id') THEN
                ALTER TABLE signatures ADD CONSTRAINT fk_signatures_signature_invalidations_invalidation_id
                    FOREIGN KEY (invalidation_id) REFERENCES signature_invalidations (id) ON DELETE SET NULL;
            END IF;

            -- Tables turned into Citus local tables by a foreign key would turn back into plain ones when that key goes;
            -- adding them explicitly keeps them. The rest join them so every table is in Citus's metadata.
            -- Names, taken first: adding a table turns the original relation into its coordinator shard (renamed
            -- NAME_SHARDID) and creates a new table under the old name.
            FOREACH name IN ARRAY ARRAY(
                SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                  -- These stay plain tables, outside Citus's planner: the throttles' upserts call now() in DO UPDATE
                  -- SET and Citus refuses a non-immutable function there (or in a CASE) on any table in its metadata;
                  -- the outbox is the sender's hot path. None has a foreign key, so nothing pulls them in.
                  AND c.relname NOT IN ('__ef_migrations_history', 'email_throttle', 'login_throttle', 'outbox_messages')
                  AND NOT EXISTS (SELECT FROM pg_dist_shard sh JOIN pg_class l ON l.oid = sh.logicalrelid
                                  WHERE c.relname = l.relname || '_' || sh.shardid)
                ORDER BY c.relname)
            LOOP
                t := name::regclass;
                -- An earlier table's cascade may have added this one, with its foreign-key neighbours, already.
                IF NOT EXISTS (SELECT FROM pg_dist_partition d WHERE d.logicalrelid = t AND NOT d.autoconverted) THEN
                    PERFORM citus_add_local_table_to_metadata(t, cascade_via_foreign_keys => true);
                END IF;
            END LOOP;
        END
        $distribute$
        """;

    /// <summary>Every table in Citus's metadata: name, type (distributed, reference, local), distribution column, shards.</summary>
    public const string Layout =
        "SELECT table_name::text, citus_table_type, distribution_column, shard_count FROM citus_tables ORDER BY citus_table_type, table_name::text";
}
