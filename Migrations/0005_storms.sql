-- The storm guard's memory and its reviews (issue 14).

-- A masked fingerprint of the reply behind each suppression (codes, numbers and addresses masked):
-- many recipients with one identical reply within minutes is the strongest sign of an outage.
-- NULL for every other outcome, so the column costs nothing on most rows.
ALTER TABLE event_outcomes ADD COLUMN reply_fingerprint bigint;

-- One row per storm: a destination whose new permanent failures stood far above its own normal.
CREATE TABLE storms (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          bigint NOT NULL,
    destination     text NOT NULL,
    started_at      timestamptz NOT NULL,
    ended_at        timestamptz NOT NULL CHECK (ended_at >= started_at),
    reply_fingerprint bigint,                -- the identical reply held; NULL = every suppression in the window
    sample_response text NOT NULL DEFAULT '',
    sources         text[] NOT NULL DEFAULT '{}', -- sending IPs or pools the held events went out from
    held_count      bigint NOT NULL DEFAULT 0,
    explanation     text NOT NULL,
    status          text NOT NULL DEFAULT 'pending_review'
                    CHECK (status IN ('pending_review', 'released', 'discarded')),
    reviewed_at     timestamptz,
    reviewed_by     text
);
CREATE INDEX storms_pending_idx ON storms (destination) WHERE status = 'pending_review';

-- Which storm held a suppression, so that a review can act on one storm at a time.
ALTER TABLE suppressions ADD COLUMN storm_id bigint;
CREATE INDEX suppressions_storm_idx ON suppressions (storm_id) WHERE storm_id IS NOT NULL;

-- What normal looks like per destination, one row per run: the typical (median) hour's new permanent
-- failures (held storms left out), and the night's recipients, permanent failures and user-unknown replies.
CREATE TABLE storm_baselines (
    destination          text NOT NULL,
    run_id               bigint NOT NULL,
    typical_hourly_failures bigint NOT NULL,
    recipients           bigint NOT NULL,
    permanent_failures   bigint NOT NULL,
    user_unknown         bigint NOT NULL,
    PRIMARY KEY (destination, run_id)
);

-- Retries to a destination whose storm awaits review wait for the review instead of going out blindly.
ALTER TABLE retry_schedule DROP CONSTRAINT retry_schedule_status_check;
ALTER TABLE retry_schedule ADD CONSTRAINT retry_schedule_status_check
    CHECK (status IN ('pending', 'given_up', 'held_for_review'));

-- Operators resolve sender issues by hand (`bounceplan sender-issues resolve`); who and why is kept.
ALTER TABLE sender_issues ADD COLUMN resolved_at timestamptz;
ALTER TABLE sender_issues ADD COLUMN resolution text;
