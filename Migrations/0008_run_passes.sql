-- Issue 15: the run in two passes. Tonight's events are staged in a temporary table the run owns; the
-- durable record per event keeps only what `explain`, reviews, exports and the report read.

-- Read by no one after the run (which reads its own staging rows): the retry jitter (recomputable from
-- message and recipient), the stated hold, the storm guard's reply fingerprint, and the domain, kind
-- and message id (in bounce_events by event_id).
ALTER TABLE event_outcomes
    DROP COLUMN domain, DROP COLUMN message_id, DROP COLUMN kind, DROP COLUMN jitter,
    DROP COLUMN hold_seconds, DROP COLUMN reply_fingerprint;

-- The normalised recipient is the distribution key of every recipient-keyed table (SCALING.md): compared
-- byte-wise, so that every node and every partition sorts and hashes it the same whatever the server's
-- locale, and the nightly pass's sort by recipient runs at memcmp speed.
ALTER TABLE suppressions ALTER COLUMN recipient TYPE text COLLATE "C";
ALTER TABLE retry_schedule ALTER COLUMN recipient TYPE text COLLATE "C";
ALTER TABLE retry_schedule ALTER COLUMN message_id TYPE text COLLATE "C";
ALTER TABLE soft_bounces ALTER COLUMN recipient TYPE text COLLATE "C";
ALTER TABLE last_deliveries ALTER COLUMN recipient TYPE text COLLATE "C";
ALTER TABLE event_outcomes ALTER COLUMN recipient TYPE text COLLATE "C";
