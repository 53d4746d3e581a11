-- What bounceplan writes: one row per run, the outcome of every event, and the plans.

CREATE TABLE plan_runs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    -- The watermark. A run reads the events its snapshot sees and the previous run's snapshot did
    -- not (by the inserting transaction's id, bounce_events.txid): each committed event is planned
    -- exactly once, in the first run that can see it, however late its transaction commits.
    snapshot        pg_snapshot NOT NULL,
    first_event_id  bigint,
    last_event_id   bigint,
    event_count     bigint NOT NULL,
    rejected_count  bigint NOT NULL DEFAULT 0,
    counts          jsonb NOT NULL,          -- {"suppress": {"user_unknown": 12, …}, …}
    plan_counts     jsonb NOT NULL,          -- rows written per plan table
    rules_digest    text NOT NULL,
    policy_digest   text NOT NULL,
    program_version text NOT NULL,
    database_user   text NOT NULL DEFAULT current_user
);

-- The decision taken for every event, kept as evidence and as history for escalation and explain.
CREATE TABLE event_outcomes (
    event_id        bigint PRIMARY KEY,      -- bounce_events.id: an event is planned once, ever
    run_id          bigint NOT NULL,         -- plan_runs.id (no foreign key: a per-row check on bulk writes)
    occurred_at     timestamptz NOT NULL,
    recipient       text,                    -- normalised; NULL when rejected
    domain          text,
    destination     text,                    -- provider group or domain
    source          text NOT NULL,           -- sending IP or pool, '' when unknown
    message_id      text NOT NULL,           -- '' when the mailer recorded none
    kind            text NOT NULL,
    outcome         text NOT NULL,           -- a category, or 'delivered' / 'rejected'
    reason          text NOT NULL,
    rule_id         text NOT NULL,
    smtp_code       integer,                 -- kept for escalation (unknown 5xx count as soft)
    jitter          double precision NOT NULL, -- [0, 1) from FNV-1a 64 of (message_id, recipient)
    hold_seconds    integer                  -- the hold a throttling reply states ("try again in an hour")
    -- Nothing else of the event is copied: this table is written for every event of every run, so
    -- each byte here costs the whole night. The response text stays in bounce_events (by event_id).
);
-- Runs append in run order, so a BRIN index finds one run's rows for almost no upkeep. There is
-- deliberately no index by recipient: it would cost every event of every run, while the per-recipient
-- history the planner needs (soft bounces, deliveries) is kept below at a fraction of the size, and
-- `explain` finds a recipient's events through bounce_events.
CREATE INDEX event_outcomes_run_idx ON event_outcomes USING brin (run_id);

-- The soft bounces (mailbox full, expiries, unknown 5xx) that soft-bounce escalation counts.
CREATE TABLE soft_bounces (
    recipient       text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    event_id        bigint NOT NULL,
    outcome         text NOT NULL,
    reason          text NOT NULL,
    rule_id         text NOT NULL,
    smtp_code       integer,
    PRIMARY KEY (recipient, occurred_at, event_id)
);

-- The last successful delivery per recipient: it resets the soft-bounce count.
CREATE TABLE last_deliveries (
    recipient       text PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    event_id        bigint NOT NULL
);

CREATE TABLE suppressions (
    recipient          text PRIMARY KEY,     -- normalised address
    domain             text NOT NULL,
    status             text NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'pending_review', 'removed')),
    category           text NOT NULL,
    reason             text NOT NULL,
    rule_id            text NOT NULL,
    suppressed_at      timestamptz NOT NULL, -- time of the event that decided it
    first_event_id     bigint NOT NULL,
    last_event_id      bigint NOT NULL,
    evidence_event_ids bigint[] NOT NULL,    -- the events that caused it (most recent 50)
    created_run_id     bigint,
    updated_run_id     bigint,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppressions_updated_run_idx ON suppressions (updated_run_id);

CREATE TABLE retry_schedule (
    message_id      text NOT NULL,           -- '' when the mailer recorded none
    recipient       text NOT NULL,
    destination     text NOT NULL,
    source          text NOT NULL,
    attempt         integer NOT NULL,        -- failed attempts seen so far
    first_failed_at timestamptz NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'given_up')),
    jitter          double precision NOT NULL, -- [0, 1) from FNV-1a 64 of (message_id, recipient)
    category        text NOT NULL,
    reason          text NOT NULL,
    rule_id         text NOT NULL,
    last_event_id   bigint NOT NULL,
    updated_run_id  bigint,
    PRIMARY KEY (recipient, message_id)      -- recipient first: suppressing one cancels its retries
);
CREATE INDEX retry_schedule_next_idx ON retry_schedule (next_attempt_at) WHERE status = 'pending';

CREATE TABLE rate_limits (
    destination     text NOT NULL,           -- provider group (google, microsoft, …) or domain
    source          text NOT NULL,           -- sending IP or pool, '' when unknown
    max_per_hour    integer NOT NULL,        -- 0 = paused
    paused          boolean NOT NULL DEFAULT false,
    reason          text NOT NULL,
    rule_id         text NOT NULL,
    since           timestamptz NOT NULL,
    until           timestamptz,             -- end of the current hold or pause; NULL when none
    last_step_at    timestamptz NOT NULL DEFAULT now(), -- when the limit last moved (throttled or clean night)
    explanation     text NOT NULL DEFAULT '',
    event_count     bigint NOT NULL,         -- throttling events behind the current limit
    last_event_id   bigint NOT NULL,
    updated_run_id  bigint,
    PRIMARY KEY (destination, source)
);

CREATE TABLE sender_issues (
    source          text NOT NULL,
    destination     text NOT NULL,
    reason          text NOT NULL,
    category        text NOT NULL,           -- sender or content
    rule_id         text NOT NULL,
    event_count     bigint NOT NULL,
    recipient_count bigint NOT NULL DEFAULT 0, -- distinct recipients, summed over runs
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    sample_response text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    explanation     text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    last_event_id   bigint NOT NULL,
    updated_run_id  bigint,
    PRIMARY KEY (source, destination, reason)
);
