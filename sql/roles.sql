-- Least-privilege roles for bounceplan. Run once per database as its owner, after `bounceplan migrate`
-- (and again after later migrations add tables):
--
--   psql "$DATABASE_URL" -f sql/roles.sql
--   psql "$DATABASE_URL" -c 'CREATE ROLE nightly LOGIN PASSWORD ... IN ROLE bounceplan_planner'
--
-- bounceplan_planner  what `bounceplan run`, `export`, `status`, `report`, `explain` and `suppress` need:
--                     read bounce_events, read and write the planner's own tables, nothing else
--                     (no DDL, no writes to bounce_events).
-- bounceplan_ingest   what `bounceplan ingest` needs: insert into bounce_events, nothing else.
-- Migrations stay with the owner: neither role can create, alter or drop anything.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bounceplan_planner') THEN
        CREATE ROLE bounceplan_planner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bounceplan_ingest') THEN
        CREATE ROLE bounceplan_ingest NOLOGIN;
    END IF;
EXCEPTION WHEN unique_violation OR duplicate_object THEN
    NULL;  -- created concurrently by another session: fine
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO bounceplan_planner, bounceplan_ingest;

-- The input: read only.
GRANT SELECT ON bounce_events TO bounceplan_planner;
GRANT SELECT ON schema_migrations TO bounceplan_planner;

-- The planner's own tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON plan_runs, event_outcomes, suppressions, retry_schedule, rate_limits,
    sender_issues, soft_bounces, last_deliveries TO bounceplan_planner;
GRANT USAGE ON SEQUENCE plan_runs_id_seq TO bounceplan_planner;
-- Each run's evidence goes into a table of its own that the owner's two functions create and attach as a
-- partition of event_outcomes (migration 0010): the planner itself gets no DDL privilege.
GRANT EXECUTE ON FUNCTION bounceplan_open_evidence(), bounceplan_close_evidence() TO bounceplan_planner;
-- The storm guard's storms and per-destination baseline (migration 0005).
GRANT SELECT, INSERT, UPDATE, DELETE ON storms, storm_baselines TO bounceplan_planner;
GRANT USAGE ON SEQUENCE storms_id_seq TO bounceplan_planner;
-- The run's filter of recipients with prior state (migration 0011): the run reads and rewrites it, and
-- empties the list of suppressions added by hand since (the triggers that fill the list run as the owner).
GRANT SELECT, INSERT, UPDATE, DELETE ON recipient_filter, recipient_filter_pending TO bounceplan_planner;
-- The audit log is append-only: read and add, never change.
GRANT SELECT, INSERT ON suppression_audit TO bounceplan_planner;
GRANT USAGE ON SEQUENCE suppression_audit_id_seq TO bounceplan_planner;

-- Ingest: add events, read back their keys for idempotency, nothing else.
GRANT SELECT (id, source_key), INSERT ON bounce_events TO bounceplan_ingest;
GRANT USAGE ON SEQUENCE bounce_events_id_seq TO bounceplan_ingest;
GRANT SELECT ON schema_migrations TO bounceplan_ingest;
