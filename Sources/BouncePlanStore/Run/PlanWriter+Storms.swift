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
        let failureRows = try connection.query("""
            SELECT destination, slot, reply, failures, vanished
            FROM (SELECT destination, slot, reply, count(*) AS failures, count(*) FILTER (WHERE vanished) AS vanished,
                         sum(count(*)) OVER (PARTITION BY destination) AS night_failures
                  FROM (SELECT destination, slot, recipient, max(reply) AS reply, bool_or(vanished) AS vanished
                        FROM run_storm_failures
                        GROUP BY 1, 2, 3) per_recipient
                  GROUP BY 1, 2, 3) per_reply
            WHERE night_failures >= $1
            """, [String(stormGuard.recordedFrom)])
        var nights: [String: [Int64: StormSlot]] = [:]
        for row in failureRows.rows {
            guard let destination = row[0], let slot = row[1].flatMap({ Int64($0) }) else { continue }
            let failures = row[3].flatMap { Int($0) } ?? 0
            var entry = nights[destination, default: [:]][slot] ?? StormSlot(start: slot, recipients: 0, failures: 0, unknown: 0)
            entry.failures += failures
            entry.unknown += row[4].flatMap { Int($0) } ?? 0
            if let reply = row[2].flatMap({ Int64($0) }) { entry.replies[reply, default: 0] += failures }
            nights[destination, default: [:]][slot] = entry
        }
        // Then everyone the candidates were sent to, per slot: events counted, not distinct recipients
        // (hashing a night's recipients cost more than the rest of the guard, and a recipient rarely
        // has two events within one slot).
        if !nights.isEmpty {
            let recipientRows = try connection.query("""
                SELECT destination, floor(extract(epoch FROM occurred_at) / $1::bigint)::bigint * $1::bigint, count(*)
                FROM run_events
                WHERE destination = ANY ($2::text[]) AND recipient IS NOT NULL
                GROUP BY 1, 2
                """, [String(slotSeconds), Self.arrayLiteral(nights.keys.sorted())])
            for row in recipientRows.rows {
                guard let destination = row[0], let slot = row[1].flatMap({ Int64($0) }) else { continue }
                var entry = nights[destination, default: [:]][slot] ?? StormSlot(start: slot, recipients: 0, failures: 0, unknown: 0)
                entry.recipients += row[2].flatMap { Int($0) } ?? 0
                nights[destination, default: [:]][slot] = entry
            }
        }
        guard !nights.isEmpty else { return }
        let baselines = try loadBaselines(Array(nights.keys))

        var held: [(storm: Int64, destination: String, slot: Int64, reply: Int64?)] = []
        var summaries = CopyTextEncoder()
        for destination in nights.keys.sorted() {
            let assessment = stormGuard.assess(
                destination: destination, slots: Array(nights[destination, default: [:]].values),
                baseline: StormBaseline(nights: baselines[destination] ?? []))
            for storm in assessment.storms {
                let id = try recordStorm(storm, slotSeconds: slotSeconds)
                held += storm.heldSlots.map { (id, destination, $0, storm.reply) }
            }
            summaries.field(destination)
            summaries.field(runID)
            summaries.field(assessment.night.typicalHourlyFailures)
            summaries.field(assessment.night.recipients)
            summaries.field(assessment.night.failures)
            summaries.field(assessment.night.unknown)
            summaries.endRow()
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

    /// The trailing nights of each destination, newest `baselineNights` per destination.
    private func loadBaselines(_ destinations: [String]) throws -> [String: [NightSummary]] {
        let rows = try connection.query("""
            SELECT destination, typical_hourly_failures, recipients, permanent_failures, user_unknown
            FROM (SELECT b.*, row_number() OVER (PARTITION BY destination ORDER BY run_id DESC) AS age
                  FROM storm_baselines b
                  WHERE destination = ANY ($1::text[]) AND run_id < $2) recent
            WHERE age <= $3
            """, [Self.arrayLiteral(destinations), run, String(policy.stormGuard.baselineNights)])
        var result: [String: [NightSummary]] = [:]
        for row in rows.rows {
            guard let destination = row[0] else { continue }
            result[destination, default: []].append(NightSummary(
                typicalHourlyFailures: row[1].flatMap { Int($0) } ?? 0, recipients: row[2].flatMap { Int($0) } ?? 0,
                failures: row[3].flatMap { Int($0) } ?? 0, unknown: row[4].flatMap { Int($0) } ?? 0))
        }
        return result
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
