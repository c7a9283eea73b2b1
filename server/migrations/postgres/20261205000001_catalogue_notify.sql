-- Every process hears of a catalogue change when it commits (app::backend::catalogue::changes):
-- the version bump also notifies the channel the processes listen on. PostgreSQL delivers a
-- notification at commit and only once per transaction however many statements send it, so a
-- back-office save that touches several tables wakes each process once.
CREATE OR REPLACE FUNCTION bump_catalogue_version() RETURNS trigger AS $$
BEGIN
    UPDATE shop_meta SET value = (value::bigint + 1)::text WHERE key = 'catalogue_version';
    PERFORM pg_notify('catalogue_changed', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
