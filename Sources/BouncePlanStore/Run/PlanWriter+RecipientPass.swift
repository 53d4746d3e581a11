import BouncePlanning
import Glibc
import Postgres

extension PlanWriter {
    /// Pass 2: tonight's staged events in recipient order, merged with those recipients' prior state
    /// (suppression, last delivery, scheduled retries, soft bounces in the window) in one ordered read,
    /// each recipient decided once by `NightPlanner`. New rows go in by COPY; changed and deleted rows
    /// through temporary tables, one statement per table at the end. The decisions wait for the end of
    /// the read in temporary files (`CopySpool`), so memory is flat in one pass. `partitions` splits the
    /// recipients by PostgreSQL's hash of the recipient, as the staging table is then partitioned (one
    /// `run_events_<n>` each); the plan is the same for any split.
    mutating func planRecipients(partitions count: Int) throws {
        let planner = NightPlanner(policy: policy, inputs: try nightInputs())
        // The keys are declared as the plan tables declare them (`COLLATE "C"`): a comparison across two
        // collations cannot use the plan tables' primary keys, which left the planner only a hash join over
        // the whole table for a few thousand changed rows (2.7 s for 58,711 changes among 4.2 M deliveries).
        for table in [
            """
            run_suppression_changes (recipient text COLLATE "C", status text, reason text, rule_id text,
                suppressed_at timestamptz, last_event_id bigint, evidence bigint[], storm_id bigint)
            """,
            #"run_delivery_changes (recipient text COLLATE "C", occurred_at timestamptz, event_id bigint)"#,
            #"run_retry_deletes (recipient text COLLATE "C", message_id text COLLATE "C")"#,
            """
            run_retry_changes (recipient text COLLATE "C", message_id text COLLATE "C", destination text, source text,
                attempt integer, first_failed_at timestamptz, last_failed_at timestamptz, next_attempt_at timestamptz,
                status text, category text, reason text, rule_id text, last_event_id bigint)
            """,
            #"run_prior_candidates (recipient text COLLATE "C" NOT NULL, recipient_key bigint NOT NULL, failed integer NOT NULL)"#,
        ] {
            try connection.query("CREATE TEMP TABLE \(table) ON COMMIT DROP")
        }
        // A plan table with no row is not read: on a first night, probing empty indexes for every recipient
        // cost about a second. One row's lookup each, whatever the statistics say.
        let tables = Self.priorStateTables
        let exists = try connection.query(
            "SELECT " + tables.map { "EXISTS (SELECT 1 FROM \($0))" }.joined(separator: ", ")).rows.first ?? []
        let stored = Set(zip(tables, exists).filter { $0.1 != "f" }.map(\.0))
        // Bound apart, so that the filter's words have one owner and the inserts below copy nothing.
        var filter: RecipientFilter
        let rebuilt: Bool
        (filter, rebuilt) = try loadRecipientFilter()
        counts["recipient_filter_rebuilt"] = rebuilt ? 1 : 0
        var tally = RecipientPassTally()
        let output = RecipientPassOutput(runID: runID)
        var candidates = 0
        for partition in 0..<count {
            // The earliest time of the recipients looked up; nil when none is (then the staged rows are read alone).
            var earliest: Int64?
            if !stored.isEmpty {
                let listed = try listPriorCandidates(staging: Self.staging(partition, of: count), filter: filter)
                candidates += listed.listed
                earliest = listed.earliestMicros
            }
            var stormHolds = self.stormHolds
            try readPartition(
                partition, of: count, stored: earliest == nil ? [] : stored, earliestMicros: earliest,
                betweenBatches: { try output.startFullest(on: connection) }
            ) { recipient, events, prior in
                let plan = planner.plan(recipient: recipient, events: events, prior: prior)
                try output.add(plan, recipient: recipient, tally: &tally)
                stormHolds.add(plan, events: events)
                if plan.writesPriorState { filter.insert(recipient.utf8) }
            }
            self.stormHolds = stormHolds
            try output.write(connection)
        }
        counts["recipient_filter_candidates"] = candidates
        try saveRecipientFilter(filter)
        counts["suppressions"] = tally.suppressions
        counts["escalations"] = tally.escalations
        counts["retry_schedule_cancelled"] = tally.cancelled
        counts["retry_schedule_delivered"] = tally.delivered
        counts["retry_schedule"] = tally.retries
        for table in ["run_suppression_changes", "run_delivery_changes", "run_retry_deletes", "run_retry_changes"] {
            try connection.query("ANALYZE \(table)")
        }
        try connection.query("""
            UPDATE suppressions s SET status = c.status, reason = c.reason, rule_id = c.rule_id,
                suppressed_at = c.suppressed_at, last_event_id = c.last_event_id, evidence_event_ids = c.evidence,
                storm_id = c.storm_id, updated_run_id = $1, updated_at = now()
            FROM run_suppression_changes c WHERE s.recipient = c.recipient
            """, [run])
        // Written as an insert that meets its row: one primary-key probe per change, in recipient order.
        // The update it replaces was planned as a hash join over the whole table (1.2 s of server CPU for
        // 58,711 changes among 4.2 M deliveries). The rows are whole, and each was decided by the planner
        // against the row it read, so the conflict only overwrites.
        try connection.query("""
            INSERT INTO last_deliveries AS d (recipient, occurred_at, event_id)
            SELECT recipient, occurred_at, event_id FROM run_delivery_changes ORDER BY recipient
            ON CONFLICT (recipient) DO UPDATE SET occurred_at = excluded.occurred_at, event_id = excluded.event_id
            """)
        try connection.query("""
            DELETE FROM retry_schedule r USING run_retry_deletes c
            WHERE r.recipient = c.recipient AND r.message_id = c.message_id
            """)
        try connection.query("""
            UPDATE retry_schedule r SET destination = c.destination, source = c.source, attempt = c.attempt,
                first_failed_at = c.first_failed_at, last_failed_at = c.last_failed_at,
                next_attempt_at = c.next_attempt_at, status = c.status, category = c.category, reason = c.reason,
                rule_id = c.rule_id, last_event_id = c.last_event_id, updated_run_id = $1
            FROM run_retry_changes c WHERE r.recipient = c.recipient AND r.message_id = c.message_id
            """, [run])
    }

    /// The night-wide inputs: the storm guard's held slots and the holds in force after tonight's step.
    private func nightInputs() throws -> NightInputs {
        var inputs = NightInputs(heldSlots: [:], slotSeconds: policy.stormGuard.slot.components.seconds)
        for slot in heldSlots {
            inputs.heldSlots[slot.destination, default: [:]][slot.slot] = (slot.storm, slot.reply)
        }
        let holds = try connection.query("""
            SELECT destination, source, (extract(epoch FROM until) * 1000000)::bigint FROM rate_limits WHERE until IS NOT NULL
            """)
        for row in holds.rows {
            guard let destination = row[0], let source = row[1], let until = row[2].flatMap({ Int64($0) }) else { continue }
            inputs.holds[NightInputs.holdKey(destination: destination, source: source)] = until
        }
        return inputs
    }

    /// The staging rows of one partition of the recipient pass.
    static func staging(_ partition: Int, of count: Int) -> String {
        count == 1 ? "run_events" : "run_events_\(partition)"
    }

    /// One part of the ordered read: the recipient, the part number (text, one digit: it orders a
    /// recipient's prior state before its events), then typed slots, NULL where the part has nothing, so that
    /// the five parts share one row shape in binary form: 8 text, 3 bigint, 3 timestamptz, 2 integer; last
    /// the recipient's sort key (`RecipientSortKey`), which the read orders by and the client does not read.
    static func part(
        _ recipient: String, _ number: Int, text: [String] = [], bigints: [String] = [], times: [String] = [],
        integers: [String] = [], key: String
    ) -> String {
        func padded(_ values: [String], to count: Int, null: String) -> [String] {
            values + Array(repeating: null, count: count - values.count)
        }
        let columns = [recipient, "'\(number)'"] + padded(text, to: 8, null: "NULL::text")
            + padded(bigints, to: 3, null: "NULL::bigint") + padded(times, to: 3, null: "NULL::timestamptz")
            + padded(integers, to: 2, null: "NULL::integer") + [key]
        return "SELECT " + columns.joined(separator: ", ")
    }

    /// Streams one partition's recipients, each with its events and prior state, in recipient order.
    /// `earliestMicros` is the earliest time of the staged rows of the recipients looked up (`run_prior_candidates`).
    private func readPartition(
        _ partition: Int, of count: Int, stored: Set<String>, earliestMicros: Int64?,
        betweenBatches: () throws -> Void, _ body: (String, [NightEvent], RecipientPrior) throws -> Void
    ) throws {
        // The soft bounces read start one window before the earliest of the looked-up recipients' rows tonight:
        // a superset of what escalation counts for each of them (each counts from its own first soft bounce).
        // Written into the statement as timestamptz text (COPY takes no parameters), exact to the microsecond.
        let since = MicroTime.text((earliestMicros ?? 0) - policy.escalation.window.components.seconds * 1_000_000)
        // Read in binary form: numbers and times travel as their bytes, with no output function on the
        // server and no parsing here (at 1 M events the text form, times as epoch microseconds computed in
        // `numeric`, cost about 0.6 s more of server CPU for the same read).
        // The prior state is read by primary-key probes only for the recipients `RecipientFilter` may hold
        // (`run_prior_candidates`, one probe per table each): at 1 M events on 5 M of history, probing every
        // recipient of the night (on its first staged row, in recipient order) cost about 2.2 M probes that
        // found 33 k rows, and made the night cost in proportion to the history. `OFFSET 0` keeps the lateral
        // subquery a probe instead of letting it become a hash join, which scans the whole plan table (at 5 M
        // events of history the hash join over `last_deliveries`' 4.2 M rows took 5.4 s), and the probes cost
        // the same whatever the table's statistics say. The test on the outer row's `c.failed` references no
        // table of the branch, so the branch is skipped without a probe when it fails: suppressions and soft
        // bounces are read only for a recipient with a failure tonight (`NightPlanner` reads neither for a
        // recipient who was only delivered to); the soft bounces are a range of their key: the recipient, then
        // the window's start. A plan table with no row is not read at all, and a night with none (a first
        // night) reads the staged rows alone.
        // Tonight's events carry their verdict as a code (`VerdictCodes`): three texts fewer in every sort tuple.
        let event = Self.part(
            "e.recipient", 4, text: ["coalesce(e.destination, '')", "e.source", "e.message_id"],
            bigints: ["e.event_id", "e.reply_fingerprint"], times: ["e.occurred_at"], integers: ["e.smtp_code", "e.verdict"],
            key: "e.recipient_key")
        var parts: [String] = []
        if stored.contains("suppressions") {
            parts.append(Self.part(
                "c.recipient", 0, text: ["s.domain", "s.status", "s.reason", "s.rule_id", "s.evidence_event_ids::text"],
                bigints: ["s.first_event_id", "s.last_event_id", "s.storm_id"], times: ["s.suppressed_at", "s.removed_at"],
                key: "c.recipient_key") + """

                FROM suppressions s WHERE c.failed AND s.recipient = c.recipient
                """)
        }
        if stored.contains("last_deliveries") {
            parts.append(Self.part("c.recipient", 1, times: ["d.occurred_at"], key: "c.recipient_key") + """

                FROM last_deliveries d WHERE d.recipient = c.recipient
                """)
        }
        if stored.contains("retry_schedule") {
            parts.append(Self.part(
                "c.recipient", 2,
                text: ["t.message_id", "t.destination", "t.source", "t.status", "t.jitter::text", "t.category", "t.reason",
                       "t.rule_id"],
                bigints: ["t.last_event_id"], times: ["t.first_failed_at", "t.last_failed_at", "t.next_attempt_at"],
                integers: ["t.attempt"], key: "c.recipient_key") + """

                FROM retry_schedule t WHERE t.recipient = c.recipient
                """)
        }
        if stored.contains("soft_bounces") {
            parts.append(Self.part(
                "c.recipient", 3, text: ["h.outcome", "h.reason", "h.rule_id"], bigints: ["h.event_id"],
                times: ["h.occurred_at"], integers: ["h.smtp_code"], key: "c.recipient_key") + """

                FROM soft_bounces h WHERE c.failed AND h.recipient = c.recipient AND h.occurred_at >= w.since
                """)
        }
        let staging = Self.staging(partition, of: count)
        var query = event + "\nFROM \(staging) e WHERE e.recipient IS NOT NULL"
        if !parts.isEmpty {
            // The prior rows of the recipients the filter may hold (`run_prior_candidates`), beside all of
            // tonight's staged rows; one sort groups both by recipient (the order within a recipient does
            // not matter here).
            query += """

                UNION ALL
                SELECT x.* FROM (
                    SELECT recipient, recipient_key, bool_or(failed <> 0) AS failed FROM run_prior_candidates
                    GROUP BY recipient, recipient_key ORDER BY recipient) c
                CROSS JOIN (SELECT '\(since)'::timestamptz AS since) w
                CROSS JOIN LATERAL (
                \(parts.joined(separator: "\nUNION ALL\n"))
                OFFSET 0) x
                """
        }
        // The sort key first, then the recipient, then the part: the same order as by recipient and part
        // (`RecipientSortKey`), with most comparisons between two integers instead of two texts.
        query += "\nORDER BY 19, 1, 2"
        // Field numbers of the slots.
        let t = 2, b = 10, ts = 13, i = 16
        let verdicts = self.verdicts
        var current: String?
        var currentBytes: [UInt8] = []
        var domain = ""
        var events: [NightEvent] = []
        var prior = RecipientPrior()
        // Read through a cursor in batches instead of one `COPY … TO STDOUT`: between two batches the
        // connection is free, and the plan rows of the recipients already decided go to the server in the
        // background (`betweenBatches`), stored while this loop plans the next batch. (The whole read is
        // sorted before its first row, so the probes of prior state never see tonight's writes.)
        try connection.query("DECLARE run_read BINARY NO SCROLL CURSOR FOR \(query)")
        func handle(_ row: FetchedBinaryRow) throws {
            // Most rows continue the current recipient: compared as bytes, a string made only for a new one.
            // (memcmp: the generic `elementsEqual` cost about 240 instructions a row.)
            guard let same = row.withBytes(0, { bytes in
                bytes.map { bytes in
                    currentBytes.withUnsafeBytes { held in
                        held.count == bytes.count && (held.isEmpty || memcmp(held.baseAddress!, bytes.baseAddress!, held.count) == 0)
                    }
                }
            }) else { return }
            if !same || current == nil {
                if let current { try body(current, events, prior) }
                current = row.string(0) ?? ""
                currentBytes.removeAll(keepingCapacity: true)
                row.withBytes(0) { if let bytes = $0 { currentBytes.append(contentsOf: bytes) } }
                // The domain of a normalised address: its text after the last `@` (RecipientAddress), found
                // in the bytes (a search by Character cost a tenth of this loop's time).
                domain = currentBytes.lastIndex(of: UInt8(ascii: "@")).map {
                    String(decoding: currentBytes[($0 + 1)...], as: UTF8.self)
                } ?? ""
                events.removeAll(keepingCapacity: true)
                prior = RecipientPrior()
            }
            // The part number is one digit: compared as a byte, not made into a string for every row.
            switch row.withBytes(1, { $0?.first }) ?? 0 {
            case UInt8(ascii: "0"):
                prior.suppression = SuppressionRow(
                    domain: row.string(t) ?? "", status: row.string(t + 1) ?? "", reason: row.string(t + 2) ?? "",
                    ruleID: row.string(t + 3) ?? "", suppressedAtMicros: row.unixMicros(ts) ?? 0,
                    firstEventID: row.int64(b), lastEventID: row.int64(b + 1),
                    evidence: Self.bigintArray(row.string(t + 4)), stormID: row.int64(b + 2),
                    removedAtMicros: row.unixMicros(ts + 1))
            case UInt8(ascii: "1"):
                prior.lastDeliveryMicros = row.unixMicros(ts)
            case UInt8(ascii: "2"):
                guard let messageID = row.string(t) else { return }
                prior.retries[messageID] = RetryRow(
                    messageID: messageID, destination: row.string(t + 1) ?? "", source: row.string(t + 2) ?? "",
                    attempt: row.int(i) ?? 0, firstFailedMicros: row.unixMicros(ts) ?? 0,
                    lastFailedMicros: row.unixMicros(ts + 1) ?? 0, nextAttemptMicros: row.unixMicros(ts + 2) ?? 0,
                    status: row.string(t + 3) ?? "", jitterText: row.string(t + 4) ?? "0",
                    category: row.string(t + 5) ?? "", reason: row.string(t + 6) ?? "", ruleID: row.string(t + 7) ?? "",
                    lastEventID: row.int64(b) ?? 0)
            case UInt8(ascii: "3"):
                prior.softBounces.append(StoredSoftBounce(
                    eventID: row.int64(b) ?? 0, occurredMicros: row.unixMicros(ts) ?? 0, outcome: row.string(t) ?? "",
                    reason: row.string(t + 1) ?? "", ruleID: row.string(t + 2) ?? "", smtpCode: row.int(i)))
            default:
                guard let verdict = row.int(i + 1).flatMap(verdicts.verdict) else {
                    throw StoreError(.schema, "a staged event of \(current ?? "") carries no verdict pass 1 coded")
                }
                var event = NightEvent(
                    eventID: row.int64(b) ?? 0, occurredMicros: row.unixMicros(ts) ?? 0,
                    domain: domain, destination: row.string(t) ?? "", source: row.string(t + 1) ?? "",
                    messageID: row.string(t + 2) ?? "", outcome: verdict.outcome, reason: verdict.reason,
                    ruleID: verdict.ruleID, smtpCode: row.int(i), jitterText: "0", replyFingerprint: row.int64(b + 1))
                // Only a retried event's jitter is ever written (into its retry row).
                if NightPlanner.isRetried(event), let recipient = current {
                    event.jitterText = Self.jitterText(messageID: event.messageID, recipient: recipient)
                }
                events.append(event)
            }
        }
        while true {
            let batch = try connection.fetchBinary("FETCH \(Self.readBatch) FROM run_read")
            guard batch.count > 0 else { break }
            try betweenBatches()
            do {
                for index in 0..<batch.count {
                    try handle(batch.row(index))
                    if index & 1023 == 1023 { try connection.pumpCopyIn() }
                }
            } catch {
                // The run's transaction is abandoned: leave the connection able to roll it back.
                _ = try? connection.finishCopyIn()
                throw error
            }
            try connection.finishCopyIn()
        }
        try connection.query("CLOSE run_read")
        if let current { try body(current, events, prior) }
    }

    /// Rows of the ordered read per `FETCH`: about 4 MB of libpq's memory at 1 M events of the bench mix,
    /// and about 60 batches, each one chance to send plan rows in the background.
    static let readBatch = 16_384

    /// The retry jitter of `RetryPolicy` as exact decimal text: `unitFraction` is a multiple of 2⁻⁵³,
    /// and `description` prints text that reads back as the same double.
    static func jitterText(messageID: String, recipient: String) -> String {
        StableHash.unitFraction(RetryPolicy.jitterHash(messageID: messageID, recipient: recipient)).description
    }

    /// `{1,2,3}` → [1, 2, 3].
    static func bigintArray(_ text: String?) -> [Int64] {
        guard let text, text.count > 2 else { return [] }
        return text.dropFirst().dropLast().split(separator: ",").compactMap { Int64($0) }
    }
}

/// Rows counted by the recipient pass, for the run's summary.
struct RecipientPassTally {
    var suppressions = 0
    var escalations = 0
    var cancelled = 0
    var delivered = 0
    var retries = 0
}

/// One partition's decisions, encoded for binary COPY, waiting (spooled) for the partition's read to end.
struct RecipientPassOutput {
    let runID: Int64
    let newSuppressions = CopySpool()
    let suppressionChanges = CopySpool()
    let softBounces = CopySpool()
    let newDeliveries = CopySpool()
    let deliveryChanges = CopySpool()
    let retryDeletes = CopySpool()
    let newRetries = CopySpool()
    let retryChanges = CopySpool()

    init(runID: Int) { self.runID = Int64(runID) }

    func add(_ plan: RecipientNightPlan, recipient: String, tally: inout RecipientPassTally) throws {
        if let (row, existed) = plan.suppression {
            if existed {
                suppressionChanges.encoder.startRow(fields: 8)
                suppressionChanges.encoder.text(recipient)
                suppressionChanges.encoder.text(row.status)
                suppressionChanges.encoder.text(row.reason)
                suppressionChanges.encoder.text(row.ruleID)
                suppressionChanges.encoder.timestamp(unixMicros: row.suppressedAtMicros)
                suppressionChanges.encoder.int64(row.lastEventID)
                suppressionChanges.encoder.int64Array(row.evidence)
                suppressionChanges.encoder.int64(row.stormID)
                try suppressionChanges.rowEnded()
            } else {
                newSuppressions.encoder.startRow(fields: 13)
                newSuppressions.encoder.text(recipient)
                newSuppressions.encoder.text(row.domain)
                newSuppressions.encoder.text(row.status)
                newSuppressions.encoder.text("suppress")
                newSuppressions.encoder.text(row.reason)
                newSuppressions.encoder.text(row.ruleID)
                newSuppressions.encoder.timestamp(unixMicros: row.suppressedAtMicros)
                newSuppressions.encoder.int64(row.firstEventID)
                newSuppressions.encoder.int64(row.lastEventID)
                newSuppressions.encoder.int64Array(row.evidence)
                newSuppressions.encoder.int64(runID)
                newSuppressions.encoder.int64(runID)
                newSuppressions.encoder.int64(row.stormID)
                try newSuppressions.rowEnded()
            }
        }
        if plan.suppressedOnSight { tally.suppressions += 1 }
        if plan.escalated { tally.escalations += 1 }
        for event in plan.softBounces {
            softBounces.encoder.startRow(fields: 7)
            softBounces.encoder.text(recipient)
            softBounces.encoder.timestamp(unixMicros: event.occurredMicros)
            softBounces.encoder.int64(event.eventID)
            softBounces.encoder.text(event.outcome)
            softBounces.encoder.text(event.reason)
            softBounces.encoder.text(event.ruleID)
            softBounces.encoder.int32(event.smtpCode)
            try softBounces.rowEnded()
        }
        if let (event, existed) = plan.delivery {
            let spool = existed ? deliveryChanges : newDeliveries
            spool.encoder.startRow(fields: 3)
            spool.encoder.text(recipient)
            spool.encoder.timestamp(unixMicros: event.occurredMicros)
            spool.encoder.int64(event.eventID)
            try spool.rowEnded()
        }
        tally.cancelled += plan.retriesCancelled.count
        tally.delivered += plan.retriesDelivered.count
        guard !plan.retries.isEmpty || !plan.retriesCancelled.isEmpty || !plan.retriesDelivered.isEmpty else { return }
        // A message delivered and failing again tonight keeps its row: an update, not a delete and an insert.
        let rewritten = Set(plan.retries.map(\.row.messageID))
        for messageID in plan.retriesCancelled + plan.retriesDelivered where !rewritten.contains(messageID) {
            retryDeletes.encoder.startRow(fields: 2)
            retryDeletes.encoder.text(recipient)
            retryDeletes.encoder.text(messageID)
            try retryDeletes.rowEnded()
        }
        let removed = Set(plan.retriesCancelled + plan.retriesDelivered)
        for (row, existed) in plan.retries {
            tally.retries += 1
            if existed || removed.contains(row.messageID) {
                retryChanges.encoder.startRow(fields: 13)
                retryChanges.encoder.text(recipient)
                retryChanges.encoder.text(row.messageID)
                retryChanges.encoder.text(row.destination)
                retryChanges.encoder.text(row.source)
                retryChanges.encoder.int32(row.attempt)
                retryChanges.encoder.timestamp(unixMicros: row.firstFailedMicros)
                retryChanges.encoder.timestamp(unixMicros: row.lastFailedMicros)
                retryChanges.encoder.timestamp(unixMicros: row.nextAttemptMicros)
                retryChanges.encoder.text(row.status)
                retryChanges.encoder.text(row.category)
                retryChanges.encoder.text(row.reason)
                retryChanges.encoder.text(row.ruleID)
                retryChanges.encoder.int64(row.lastEventID)
                try retryChanges.rowEnded()
            } else {
                newRetries.encoder.startRow(fields: 15)
                newRetries.encoder.text(row.messageID)
                newRetries.encoder.text(recipient)
                newRetries.encoder.text(row.destination)
                newRetries.encoder.text(row.source)
                newRetries.encoder.int32(row.attempt)
                newRetries.encoder.timestamp(unixMicros: row.firstFailedMicros)
                newRetries.encoder.timestamp(unixMicros: row.lastFailedMicros)
                newRetries.encoder.timestamp(unixMicros: row.nextAttemptMicros)
                newRetries.encoder.text(row.status)
                // The jitter's text is the exact decimal of a double (see `jitterText(messageID:recipient:)`).
                newRetries.encoder.double(Double(row.jitterText) ?? 0)
                newRetries.encoder.text(row.category)
                newRetries.encoder.text(row.reason)
                newRetries.encoder.text(row.ruleID)
                newRetries.encoder.int64(row.lastEventID)
                newRetries.encoder.int64(runID)
                try newRetries.rowEnded()
            }
        }
    }

    /// Each spool with the table (and column list) its rows go to.
    var targets: [(table: String, spool: CopySpool)] {
        [
            ("""
             suppressions (recipient, domain, status, category, reason, rule_id, suppressed_at, first_event_id,
                           last_event_id, evidence_event_ids, created_run_id, updated_run_id, storm_id)
             """, newSuppressions),
            ("run_suppression_changes", suppressionChanges),
            ("soft_bounces (recipient, occurred_at, event_id, outcome, reason, rule_id, smtp_code)", softBounces),
            ("last_deliveries (recipient, occurred_at, event_id)", newDeliveries),
            ("run_delivery_changes", deliveryChanges),
            ("run_retry_deletes", retryDeletes),
            ("""
             retry_schedule (message_id, recipient, destination, source, attempt, first_failed_at, last_failed_at,
                             next_attempt_at, status, jitter, category, reason, rule_id, last_event_id, updated_run_id)
             """, newRetries),
            ("run_retry_changes", retryChanges),
        ]
    }

    /// The most a spool sends in the background: it is read into memory for it.
    static let backgroundLimit = 16 << 20

    /// Starts the COPY of the fullest spool (up to `backgroundLimit`) without waiting, so that the server
    /// stores its rows while the client plans the next batch of recipients; the caller finishes it
    /// (`Connection.finishCopyIn`) before its next statement. Rows reach each table in recipient order
    /// still: every batch follows the one before it.
    func startFullest(on connection: Connection) throws {
        guard let (table, spool) = targets.filter({ !$0.spool.isEmpty && $0.spool.byteCount <= Self.backgroundLimit })
            .max(by: { $0.spool.byteCount < $1.spool.byteCount })
        else { return }
        try spool.startCopy(into: table, on: connection)
    }

    /// Sends the rows of each table with one binary COPY, new rows in recipient order.
    func write(_ connection: Connection) throws {
        for (table, spool) in targets {
            try spool.copy(into: table, on: connection)
        }
    }
}
