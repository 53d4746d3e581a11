-- The durable record per event keeps what explain, reviews, exports and the report read and nothing
-- that bounce_events holds by event id: the recipient (bounce_events.recipient, found there through its
-- recipient index) and the sending source (bounce_events.source_ip) go. The run writes the record by
-- COPY while it classifies, so every byte here is paid once per event of every night.
--
-- The dropped values are not lost: each is the event's own column in bounce_events (the source as
-- stored, '' when none; the recipient normalised from bounce_events.recipient). DROP COLUMN rewrites
-- nothing: old rows keep their bytes until they are next rewritten, new rows are narrow.
ALTER TABLE event_outcomes DROP COLUMN recipient, DROP COLUMN source;
