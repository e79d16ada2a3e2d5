-- As pgbench_sign.sql, for commits whose signing writes the email's model and language instead of its bodies
-- (Data/Sql/SignatureSql.cs Sign since OutboxDeferredRendering; bench.py picks this file when the captured sample
-- has a model). The model is the app's own, captured from its first signature (bench_sample).
\set p random(1, :spread)
\set pid :p + :first_id - 1
SELECT id, slug, title, status FROM petitions WHERE slug = 'bench-p-' || lpad(:p::text, 3, '0') AND status <> 'Draft';
WITH signature AS (
    INSERT INTO signatures (petition_id, full_name, email, normalized_email, country, postcode_or_city, reason,
        show_publicly, email_updates, share_email_with_organizer, state, confirmation_token_hash, ip_address, created_at)
    VALUES (:pid, 'Bench Signer',
        'pgb' || :client_id || '-' || txid_current() || '@bench.example.org', 'pgb' || :client_id || '-' || txid_current() || '@bench.example.org',
        'GB', 'London', NULL, true, false, false, 'Pending', sha256(convert_to(gen_random_uuid()::text, 'UTF8')), '127.0.0.1', now())
    ON CONFLICT (petition_id, normalized_email) DO UPDATE
        SET confirmation_token_hash = CASE WHEN signatures.state = 'Pending'
            THEN excluded.confirmation_token_hash ELSE signatures.confirmation_token_hash END
    RETURNING state
), confirmation AS (
    INSERT INTO outbox_messages (message_id, kind, to_address, to_name, subject, model_json, language, created_at, due_at, attempts)
    SELECT gen_random_uuid()::text || '@bench', 'confirm-signature', 'pgb' || :client_id || '-' || txid_current() || '@bench.example.org',
        'Bench Signer', b.subject, b.model, b.language, now(), 'infinity', 0
    FROM signature, bench_sample b WHERE signature.state = 'Pending'
)
SELECT state FROM signature;
