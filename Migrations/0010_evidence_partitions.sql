-- Issue 15, item 3: the durable evidence keyed and partitioned so that a night costs in proportion to itself.
--
-- `event_outcomes` becomes a table partitioned by ranges of event id. Each run that reads new events
-- copies their evidence into a table of its own, unindexed while the rows go in, then builds its
-- primary key and BRIN index in one sort and attaches it as the partition [first new id, highest + 1).
-- Maintained row by row during the COPY, the primary key cost the run's backend about 1.3 s of 2.2 at
-- 1 M events; built afterwards it is a sort of ids that arrive almost sorted. Every reader keeps
-- looking evidence up by event id (explain, the suppression detail, reviews, exports): a lookup by id
-- is pruned to the one partition whose range holds it, and the primary key is still global (the
-- partition key is the key), so an event still cannot be planned twice.
--
-- Events that commit late carry ids below the newest partition's upper bound: the run inserts their
-- few rows through this parent, which routes each to the partition whose range holds it.
--
-- The rows stored so far become the first partition, (MINVALUE) to (their highest id + 1): nothing is
-- rewritten; attaching it reads it once to check the bound.
ALTER TABLE event_outcomes RENAME TO event_outcomes_before_0010;
ALTER INDEX event_outcomes_pkey RENAME TO event_outcomes_before_0010_pkey;
ALTER INDEX event_outcomes_run_idx RENAME TO event_outcomes_before_0010_run_idx;

CREATE TABLE event_outcomes (
    event_id        bigint NOT NULL,         -- bounce_events.id: an event is planned once, ever
    run_id          bigint NOT NULL,         -- plan_runs.id (no foreign key: a per-row check on bulk writes)
    occurred_at     timestamptz NOT NULL,
    destination     text,                    -- provider group or domain; NULL when the recipient was refused
    outcome         text NOT NULL,           -- a category, or 'delivered' / 'rejected'
    reason          text NOT NULL,
    rule_id         text NOT NULL,
    smtp_code       integer,                 -- kept for escalation (unknown 5xx count as soft)
    PRIMARY KEY (event_id)
) PARTITION BY RANGE (event_id);
-- Runs append in run order, so within a partition a BRIN index finds one run's rows for almost nothing.
CREATE INDEX event_outcomes_run_idx ON event_outcomes USING brin (run_id);

DO $migration$
DECLARE
    high bigint;
BEGIN
    SELECT coalesce(max(event_id), 0) + 1 INTO high FROM event_outcomes_before_0010;
    EXECUTE format('ALTER TABLE event_outcomes ATTACH PARTITION event_outcomes_before_0010 FOR VALUES FROM (MINVALUE) TO (%s)',
                   high);
    -- A database already set up with sql/roles.sql keeps working without running it again.
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bounceplan_planner') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON event_outcomes TO bounceplan_planner;
    END IF;

    -- The run's two steps of DDL, as the owner of `event_outcomes` (only the owner may create and attach its
    -- partitions), so that the run needs no DDL privilege of its own (sql/roles.sql grants these two
    -- functions to bounceplan_planner and nothing else). The search path is fixed to this schema, with
    -- temporary tables last, so that no caller's table of the same name is used instead.

    -- Creates tonight's evidence table, empty, named after its lower bound (the newest partition's upper
    -- bound): every new event with an id from there on belongs in it. The caller may insert into it until
    -- `bounceplan_close_evidence` attaches it.
    EXECUTE format($create$
        CREATE FUNCTION bounceplan_open_evidence(OUT partition_name text, OUT low bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, %1$I, pg_temp AS $function$
        BEGIN
            SELECT max((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?[0-9]+)''?\)'))[1]::bigint) INTO low
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '%1$I.event_outcomes'::regclass;
            low := coalesce(low, 1);
            partition_name := 'event_outcomes_from_' || low;
            EXECUTE format('CREATE TABLE %%I.%%I (LIKE %%I.event_outcomes)', %1$L, partition_name, %1$L);
            IF session_user <> current_user THEN
                EXECUTE format('GRANT INSERT ON %%I.%%I TO %%I', %1$L, partition_name, session_user);
            END IF;
        END
        $function$
        $create$, current_schema());

    -- Attaches the table `bounceplan_open_evidence` created: its primary key and BRIN index are built in one
    -- pass each, then it becomes the partition from its lower bound to its highest id + 1 (checked by one
    -- scan). A table left empty (no new event above the bound) is dropped. Returns the upper bound, or NULL.
    EXECUTE format($create$
        CREATE FUNCTION bounceplan_close_evidence() RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, %1$I, pg_temp AS $function$
        DECLARE
            low bigint;
            high bigint;
            name text;
        BEGIN
            SELECT max((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?[0-9]+)''?\)'))[1]::bigint) INTO low
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '%1$I.event_outcomes'::regclass;
            name := 'event_outcomes_from_' || coalesce(low, 1);
            IF to_regclass(format('%%I.%%I', %1$L, name)) IS NULL THEN
                RAISE EXCEPTION 'no evidence table %% to attach: call bounceplan_open_evidence() first', name;
            END IF;
            IF session_user <> current_user THEN
                EXECUTE format('REVOKE ALL ON %%I.%%I FROM %%I', %1$L, name, session_user);
            END IF;
            EXECUTE format('ALTER TABLE %%I.%%I ADD PRIMARY KEY (event_id)', %1$L, name);
            EXECUTE format('SELECT max(event_id) + 1 FROM %%I.%%I', %1$L, name) INTO high;
            IF high IS NULL THEN
                EXECUTE format('DROP TABLE %%I.%%I', %1$L, name);
                RETURN NULL;
            END IF;
            EXECUTE format('CREATE INDEX ON %%I.%%I USING brin (run_id)', %1$L, name);
            EXECUTE format('ALTER TABLE %%I.event_outcomes ATTACH PARTITION %%I.%%I FOR VALUES FROM (%%s) TO (%%s)',
                           %1$L, %1$L, name, coalesce(low, 1), high);
            RETURN high;
        END
        $function$
        $create$, current_schema());
END
$migration$;

REVOKE ALL ON FUNCTION bounceplan_open_evidence(), bounceplan_close_evidence() FROM PUBLIC;
