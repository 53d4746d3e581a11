-- The recipient pass looks up a recipient's prior state (suppression, retries, soft bounces, last delivery)
-- only when this filter says the recipient may have some (RecipientFilter in the run's code): most of a
-- night's recipients have none, and probing the four primary keys for every one of them made a night cost
-- in proportion to the history (about 2.2 M probes finding 33 k rows at 1 M events on 5 M of history).
--
-- One row: a Bloom filter over every recipient with a row in those four tables, written by the run in its
-- own transaction. It may say "maybe" for a recipient with no row (deleted rows stay in it), never "no" for
-- one with a row. `valid` false, a missing row or another `format` make the next run rebuild it from the
-- four tables.
CREATE TABLE recipient_filter (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    format   integer NOT NULL,
    valid    boolean NOT NULL,
    bits     bytea NOT NULL
);
-- Random bits do not compress: stored out of line as they are, without trying.
ALTER TABLE recipient_filter ALTER COLUMN bits SET STORAGE EXTERNAL;

-- Suppressions added outside a run (`bounceplan suppress`, imports, an operator's SQL): the next run adds
-- them to the filter and empties this table.
CREATE TABLE recipient_filter_pending (
    recipient text COLLATE "C" NOT NULL
);

-- Writes outside a run keep the filter true. The run sets `bounceplan.recipient_filter` to 'kept' for its
-- transaction and adds its own recipients itself. Statement triggers without transition tables cost the
-- run's COPYs nothing; the one on suppressions' inserts keeps the new recipients, since suppressions are
-- added by hand often enough that rebuilding the filter each time would cost a scan of the history.
CREATE FUNCTION recipient_filter_outdated() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF current_setting('bounceplan.recipient_filter', true) IS DISTINCT FROM 'kept' THEN
        UPDATE recipient_filter SET valid = false WHERE valid;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION recipient_filter_suppressed() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF current_setting('bounceplan.recipient_filter', true) IS DISTINCT FROM 'kept' THEN
        INSERT INTO recipient_filter_pending (recipient) SELECT recipient FROM added;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER suppressions_recipient_filter AFTER INSERT ON suppressions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION recipient_filter_suppressed();
CREATE TRIGGER suppressions_recipient_filter_key AFTER UPDATE OF recipient ON suppressions
    FOR EACH STATEMENT EXECUTE FUNCTION recipient_filter_outdated();
CREATE TRIGGER retry_schedule_recipient_filter AFTER INSERT OR UPDATE OF recipient ON retry_schedule
    FOR EACH STATEMENT EXECUTE FUNCTION recipient_filter_outdated();
CREATE TRIGGER soft_bounces_recipient_filter AFTER INSERT OR UPDATE OF recipient ON soft_bounces
    FOR EACH STATEMENT EXECUTE FUNCTION recipient_filter_outdated();
CREATE TRIGGER last_deliveries_recipient_filter AFTER INSERT OR UPDATE OF recipient ON last_deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION recipient_filter_outdated();
