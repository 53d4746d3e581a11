-- Manual control of the suppression list: removal that sticks, and an append-only audit log.

-- When an operator removed the address. The planner re-activates a removed address only for evidence
-- that occurred after this moment, never for what was already known when a person decided otherwise.
ALTER TABLE suppressions ADD COLUMN removed_at timestamptz;
-- A manual suppression has no bounce behind it.
ALTER TABLE suppressions ALTER COLUMN first_event_id DROP NOT NULL;
ALTER TABLE suppressions ALTER COLUMN last_event_id DROP NOT NULL;
-- Delta exports (`export suppressions --since`) read by the time of the last change.
CREATE INDEX suppressions_updated_at_idx ON suppressions (updated_at);
CREATE INDEX suppressions_pending_review_idx ON suppressions (updated_at) WHERE status = 'pending_review';

-- Who changed the suppression list by hand, when, and why. Rows are only ever added.
CREATE TABLE suppression_audit (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    actor           text NOT NULL DEFAULT current_user,
    action          text NOT NULL CHECK (action IN ('add', 'remove', 'import')),
    recipient       text NOT NULL,                -- normalised address
    why             text NOT NULL,
    previous_status text,                         -- the status before the change, NULL when there was no row
    origin          text NOT NULL DEFAULT 'cli'   -- 'cli', or 'import:<file name>'
);
CREATE INDEX suppression_audit_recipient_idx ON suppression_audit (recipient, at);

REVOKE UPDATE, DELETE, TRUNCATE ON suppression_audit FROM PUBLIC;

-- Privileges do not bind the table's owner (bounceplan itself); the trigger does.
CREATE FUNCTION suppression_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'suppression_audit is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'record a correction as a new add or remove instead';
END
$$;
CREATE TRIGGER suppression_audit_append_only BEFORE UPDATE OR DELETE ON suppression_audit
    FOR EACH ROW EXECUTE FUNCTION suppression_audit_refuse_change();
CREATE TRIGGER suppression_audit_no_truncate BEFORE TRUNCATE ON suppression_audit
    FOR EACH STATEMENT EXECUTE FUNCTION suppression_audit_refuse_change();

COMMENT ON TABLE suppression_audit IS 'Append-only log of manual suppression changes (bounceplan suppress add/remove/import).';
