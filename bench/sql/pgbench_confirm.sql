-- The statement the app issues for one confirmation link (Features/Signing/ConfirmHandler.cs), with a fresh seeded
-- token each time: the sequence bench_confirm_seq hands out token numbers from a range kept for the baseline.
WITH t AS (SELECT sha256(convert_to('bc' || lpad(nextval('bench_confirm_seq')::text, 41, '0'), 'UTF8')) AS h)
UPDATE signatures s SET state = 'Confirmed', confirmed_at = now()
FROM petitions p, t
WHERE s.confirmation_token_hash = t.h AND s.state = 'Pending' AND p.id = s.petition_id
  AND (p.status = 'Open' OR (p.closed_at IS NOT NULL AND s.created_at < p.closed_at))
RETURNING p.slug, p.title;
