import BouncePlanning
import Postgres

extension PlanWriter {
    /// Finds the destinations where tonight's suppressions stand far above their own normal (see
    /// `StormGuard`), records each storm in `storms` and its held slots in the temporary `run_storms`
    /// for the recipient pass, and remembers tonight in `storm_baselines`. SQL counts per
    /// (destination, slot, reply) from the failure rows pass 1 wrote (`StormCounts`), and the events per
    /// slot of the destinations with enough of them from the staging table; `StormGuard.assess` decides.
    mutating func detectStorms() throws {
        try connection.query("""
            CREATE TEMP TABLE run_storms (storm_id bigint NOT NULL, destination text NOT NULL, slot bigint NOT NULL,
                                          reply bigint) ON COMMIT DROP
            """)
        let stormGuard = policy.stormGuard
        let slotSeconds = stormGuard.slot.components.seconds
        // Failures first: tonight's suppress outcomes (a few percent of the events, one row each in
        // run_storm_failures), one per recipient and slot, per reply. Only destinations with enough of them
        // to matter are counted further. The filter stays on the server: the long tail's thousands of small
        // domains never reach the client.
        try connection.query("""
            CREATE TEMP TABLE run_storm_slots (destination text NOT NULL, slot bigint NOT NULL, reply bigint,
                                               failures bigint NOT NULL, vanished bigint NOT NULL) ON COMMIT DROP
            """)
        let candidates = try connection.query("""
            INSERT INTO run_storm_slots
            SELECT destination, slot, reply, failures, vanished
            FROM (SELECT destination, slot, reply, count(*) AS failures, count(*) FILTER (WHERE vanished) AS vanished,
                         sum(count(*)) OVER (PARTITION BY destination) AS night_failures
                  FROM (SELECT destination, slot, recipient, max(reply) AS reply, bool_or(vanished) AS vanished
                        FROM run_storm_failures
                        GROUP BY 1, 2, 3) per_recipient
                  GROUP BY 1, 2, 3) per_reply
            WHERE night_failures >= $1
            """, [String(stormGuard.recordedFrom)]).affectedRows
        guard candidates > 0 else { return }
        // Then, streamed in destination order so that one destination's slots are in memory at a time
        // (the candidates grow with the night: thousands of small domains at 5 M events): its failure rows,
        // everyone its events went to per slot (events counted, not distinct recipients: hashing a night's
        // recipients cost more than the rest of the guard, and a recipient rarely has two events within one
        // slot), and its trailing nights. The slot is binned as a timestamp (`date_bin`, integer arithmetic)
        // and turned into epoch seconds once per group, instead of `extract(epoch …)`'s numeric arithmetic
        // for every event. COPY takes no parameters: the values travel as transaction-local settings.
        try connection.setSetting("bounceplan.storm_slot_seconds", to: String(slotSeconds), local: true)
        try connection.setSetting("bounceplan.storm_run", to: run, local: true)
        try connection.setSetting("bounceplan.storm_baseline_nights", to: String(stormGuard.baselineNights), local: true)
        var findings: [(destination: String, storms: [StormFinding])] = []
        var summaries = CopyTextEncoder()
        var current: (destination: String, slots: [Int64: StormSlot], baselines: [NightSummary])?
        func assessCurrent() {
            guard let night = current else { return }
            let assessment = stormGuard.assess(
                destination: night.destination, slots: Array(night.slots.values),
                baseline: StormBaseline(nights: night.baselines))
            if !assessment.storms.isEmpty { findings.append((night.destination, assessment.storms)) }
            summaries.field(night.destination)
            summaries.field(runID)
            summaries.field(assessment.night.typicalHourlyFailures)
            summaries.field(assessment.night.recipients)
            summaries.field(assessment.night.failures)
            summaries.field(assessment.night.unknown)
            summaries.endRow()
        }
        var row = CopyTextRow()
        _ = try connection.copyOut("""
            COPY (
                WITH settings AS (
                    SELECT current_setting('bounceplan.storm_slot_seconds')::bigint AS slot_seconds,
                           current_setting('bounceplan.storm_run')::bigint AS run_id,
                           current_setting('bounceplan.storm_baseline_nights')::bigint AS nights
                ), destinations AS (SELECT DISTINCT destination FROM run_storm_slots)
                SELECT destination, 0 AS part, slot, reply, failures, vanished, NULL::bigint, NULL::bigint
                FROM run_storm_slots
                UNION ALL
                SELECT destination, 1, extract(epoch FROM bin)::bigint, NULL, events, NULL, NULL, NULL
                FROM (SELECT e.destination,
                             date_bin(make_interval(secs => (SELECT slot_seconds FROM settings)), e.occurred_at,
                                      timestamptz 'epoch') AS bin,
                             count(*) AS events
                      FROM run_events e
                      WHERE e.destination IN (SELECT destination FROM destinations) AND e.recipient IS NOT NULL
                      GROUP BY 1, 2) per_slot
                UNION ALL
                SELECT destination, 2, NULL, NULL, typical_hourly_failures, recipients, permanent_failures, user_unknown
                FROM (SELECT b.*, row_number() OVER (PARTITION BY destination ORDER BY run_id DESC) AS age
                      FROM storm_baselines b
                      WHERE destination IN (SELECT destination FROM destinations)
                        AND run_id < (SELECT run_id FROM settings)) recent
                WHERE age <= (SELECT nights FROM settings)
                ORDER BY 1, 2
            ) TO STDOUT
            """) { bytes in
            row.parse(bytes)
            guard let destination = row.string(0), let part = row.int(1) else { return }
            if current?.destination != destination {
                assessCurrent()
                current = (destination, [:], [])
            }
            if part == 2 {
                current?.baselines.append(NightSummary(
                    typicalHourlyFailures: row.int(4) ?? 0, recipients: row.int(5) ?? 0, failures: row.int(6) ?? 0,
                    unknown: row.int(7) ?? 0))
                return
            }
            guard let slot = row.int(2).map(Int64.init) else { return }
            var entry = current?.slots[slot] ?? StormSlot(start: slot, recipients: 0, failures: 0, unknown: 0)
            if part == 0 {
                let failures = row.int(4) ?? 0
                entry.failures += failures
                entry.unknown += row.int(5) ?? 0
                if let reply = row.int(3).map(Int64.init) { entry.replies[reply, default: 0] += failures }
            } else {
                entry.recipients += row.int(4) ?? 0
            }
            current?.slots[slot] = entry
        }
        assessCurrent()

        // Storms are numbered in the order of their destinations' names, as before the guard was streamed.
        var held: [(storm: Int64, destination: String, slot: Int64, reply: Int64?)] = []
        for (destination, storms) in findings.sorted(by: { $0.destination < $1.destination }) {
            for storm in storms {
                let id = try recordStorm(storm, slotSeconds: slotSeconds)
                held += storm.heldSlots.map { (id, destination, $0, storm.reply) }
            }
        }
        let summaryBytes = summaries.take()
        try connection.copyIn("""
            COPY storm_baselines (destination, run_id, typical_hourly_failures, recipients, permanent_failures, user_unknown)
            FROM STDIN
            """) { writer in try writer.sendEncoded(summaryBytes) }
        // Twice the nights kept: reruns and catch-up runs also leave rows.
        try connection.query("""
            DELETE FROM storm_baselines
            WHERE run_id < (SELECT coalesce(min(id), 0) FROM (SELECT id FROM plan_runs ORDER BY id DESC LIMIT $1) recent)
            """, [String(stormGuard.baselineNights * 2)])
        counts["storms"] = Set(held.map(\.storm)).count
        heldSlots = held
        guard !held.isEmpty else { return }
        try connection.copyIn("COPY run_storms (storm_id, destination, slot, reply) FROM STDIN") { writer in
            for slot in held {
                writer.field(Int(slot.storm))
                writer.field(slot.destination)
                writer.field(Int(slot.slot))
                writer.field(slot.reply.map { Int($0) })
                try writer.endRow()
            }
        }
        try connection.query("CREATE INDEX ON run_storms (destination, slot)")
        try connection.query("ANALYZE run_storms")
    }

    private func recordStorm(_ storm: StormFinding, slotSeconds: Int64) throws -> Int64 {
        let ended = (storm.heldSlots.last ?? storm.startedAt) + slotSeconds
        let id = try connection.query("""
            INSERT INTO storms (run_id, destination, started_at, ended_at, reply_fingerprint, held_count, explanation)
            VALUES ($1, $2, to_timestamp($3::bigint), to_timestamp($4::bigint), $5::bigint, $6, $7)
            RETURNING id
            """, [run, storm.destination, String(storm.startedAt), String(ended), storm.reply.map { String($0) },
                  String(storm.held), storm.explanation]).scalar.flatMap { Int64($0) }
        guard let id else { throw StoreError(.schema, "storms did not return an id") }
        return id
    }

    /// After the recipient pass: each storm's count, sending sources and a sample reply, and one
    /// `suppression_storm` sender issue per (source, destination), high, naming the storm. The counts are
    /// the pass's own (`stormHolds`), so nothing here joins the history or depends on its statistics.
    mutating func recordStormHolds() throws {
        guard (counts["storms"] ?? 0) > 0, !stormHolds.isEmpty else { return }
        try stormHolds.resolveElsewhere(connection)
        try stormHolds.write(connection)
        try connection.query("""
            UPDATE storms st SET
                held_count = h.held, sources = h.sources,
                sample_response = coalesce((SELECT left(concat_ws(' ', e.smtp_code::text, nullif(e.enhanced_status, ''), e.diagnostic), 400)
                                            FROM bounce_events e WHERE e.id = h.sample_event), '')
            FROM (SELECT storm_id, sum(held) AS held, array_agg(source ORDER BY source) AS sources,
                         min(lowest_event_id) AS sample_event
                  FROM run_storm_holds GROUP BY storm_id) h
            WHERE st.id = h.storm_id
            """)
        try connection.query("""
            INSERT INTO sender_issues AS i (source, destination, reason, category, rule_id, event_count, recipient_count,
                                            first_seen, last_seen, sample_response, severity, explanation,
                                            last_event_id, updated_run_id)
            SELECT h.source, st.destination, 'suppression_storm', 'sender', 'policy.storm_guard', sum(h.held), sum(h.held),
                   min(h.first_seen), max(h.last_seen), min(st.sample_response), 'high',
                   'storm ' || string_agg(DISTINCT st.id::text, ', ') || ' held for review (bounceplan review release|discard --storm ID): '
                       || min(st.explanation),
                   max(h.highest_event_id), $1
            FROM run_storm_holds h
            JOIN storms st ON st.id = h.storm_id
            WHERE st.run_id = $1
            GROUP BY h.source, st.destination
            ON CONFLICT (source, destination, reason) DO UPDATE SET
                event_count = i.event_count + excluded.event_count,
                recipient_count = i.recipient_count + excluded.recipient_count,
                last_seen = greatest(i.last_seen, excluded.last_seen),
                sample_response = excluded.sample_response,
                explanation = excluded.explanation,
                severity = CASE WHEN i.severity = 'critical' THEN 'critical' ELSE 'high' END,
                status = 'open', resolved_at = NULL, resolution = NULL,
                last_event_id = greatest(i.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [run])
    }

    /// Retries to a destination whose storm awaits review wait for the review: tonight's and those
    /// already scheduled. The review (`ReviewQueue`) lets them go again.
    mutating func holdRetriesUnderReview() throws {
        // Most nights have no storm pending: then the schedule is not scanned at all.
        guard try connection.query("SELECT EXISTS (SELECT 1 FROM storms WHERE status = 'pending_review')").scalar == "t" else {
            counts["retry_schedule_held_for_review"] = 0
            return
        }
        counts["retry_schedule_held_for_review"] = try connection.query("""
            UPDATE retry_schedule r SET status = 'held_for_review'
            WHERE r.status = 'pending'
              AND r.destination IN (SELECT destination FROM storms WHERE status = 'pending_review')
            """).affectedRows
    }
}
