-- Keeps the first outbox message the app writes, so that the pgbench baseline inserts a row of the same size.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE OR REPLACE FUNCTION bench_capture_sample() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'confirm-signature' AND NOT EXISTS (SELECT 1 FROM bench_sample) THEN
        -- Through to_jsonb, so the same trigger works on commits with and without the model_json column.
        INSERT INTO bench_sample (html, text, subject, model, language)
        VALUES (NEW.html_body, NEW.text_body, NEW.subject, to_jsonb(NEW) -> 'model_json', to_jsonb(NEW) ->> 'language');
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS bench_capture_sample ON outbox_messages;
CREATE TRIGGER bench_capture_sample AFTER INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION bench_capture_sample();
