-- The statement the app issues for one confirmation link (Features/Signing/ConfirmHandler.cs): the confirmation and
-- its count event in one statement, with a fresh seeded token each time: the sequence bench_confirm_seq hands out
-- token numbers from a range kept for the baseline.
WITH t AS (SELECT sha256(convert_to('bc' || lpad(nextval('bench_confirm_seq')::text, 41, '0'), 'UTF8')) AS h),
confirmed AS (
    UPDATE signatures s SET state = 'Confirmed', confirmed_at = now()
    FROM petitions p, t
    WHERE s.confirmation_token_hash = t.h AND s.state = 'Pending' AND p.id = s.petition_id
      AND (p.status = 'Open' OR p.closed_at IS NOT NULL)
      AND s.created_at < coalesce(p.closed_at, p.closes_at, 'infinity')
    RETURNING s.petition_id, s.country, p.slug, p.title
), events AS (
    INSERT INTO count_events (petition_id, delta, country)
    SELECT petition_id, count(*)::int, country FROM confirmed GROUP BY petition_id, country
)
SELECT slug, title FROM confirmed;
