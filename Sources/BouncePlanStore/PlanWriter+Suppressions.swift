import BounceClassification
import BouncePlanning
import Postgres

extension PlanWriter {
    /// Suppressions from this run's `suppress` outcomes; those at a storming destination are held as
    /// `pending_review` (complaints never are: a complaint is the recipient's own act).
    mutating func writeSuppressions() throws {
        let slot = String(policy.stormGuard.slot.components.seconds)
        // Without a storm tonight no outcome needs the per-row look-up.
        let stormy = (counts["storms"] ?? 0) > 0
        let storm = stormy ? stormOfOutcome(slotParameter: "$2") : "NULL::bigint"
        counts["suppressions"] = try connection.query("""
            WITH judged AS (
                SELECT o.*, CASE WHEN o.reason = 'complaint' THEN NULL ELSE \(storm) END AS storm_id
                FROM run_events o
                WHERE o.outcome = 'suppress' AND o.recipient IS NOT NULL
            ), ranked AS (
                -- Rows run newest first: the kept row is the latest event, last_value() the first cause.
                -- A recipient is held only when every one of tonight's causes is held by a storm.
                SELECT DISTINCT ON (o.recipient)
                       o.recipient, o.domain,
                       last_value(o.reason) OVER w AS reason, last_value(o.rule_id) OVER w AS rule_id,
                       last_value(o.occurred_at) OVER w AS occurred_at, last_value(o.event_id) OVER w AS event_id,
                       o.event_id AS last_event_id, o.occurred_at AS latest_at,
                       array_agg(o.event_id) OVER w AS evidence,
                       bool_and(o.storm_id IS NOT NULL) OVER w AS held,
                       max(o.storm_id) OVER w AS storm_id
                FROM judged o
                WINDOW w AS (PARTITION BY o.recipient ORDER BY o.occurred_at DESC, o.event_id DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                ORDER BY o.recipient, o.occurred_at DESC, o.event_id DESC
            ), updated AS (
                -- Existing rows are updated and new ones plainly inserted: no other session writes here
                -- while the run holds its lock (manual commands wait for it), and ON CONFLICT's speculative
                -- insertion measured twice as slow.
                -- A removed address comes back only through new evidence, which this is; its first cause is
                -- then the new one. Otherwise the first cause stays and the evidence grows.
                UPDATE suppressions s SET
                    status = CASE WHEN s.status = 'removed'
                                  THEN CASE WHEN n.held THEN 'pending_review' ELSE 'active' END ELSE s.status END,
                    reason = CASE WHEN s.status = 'removed' THEN n.reason ELSE s.reason END,
                    rule_id = CASE WHEN s.status = 'removed' THEN n.rule_id ELSE s.rule_id END,
                    suppressed_at = CASE WHEN s.status = 'removed' THEN n.occurred_at ELSE s.suppressed_at END,
                    storm_id = CASE WHEN s.status = 'removed' THEN CASE WHEN n.held THEN n.storm_id END ELSE s.storm_id END,
                    last_event_id = greatest(s.last_event_id, n.last_event_id),
                    evidence_event_ids = (n.evidence || s.evidence_event_ids)[1:50],
                    updated_run_id = $1,
                    updated_at = now()
                FROM ranked n
                WHERE s.recipient = n.recipient
                  -- An operator's removal stands against evidence that occurred before it.
                  AND (s.status <> 'removed' OR s.removed_at IS NULL OR n.latest_at > s.removed_at)
                RETURNING s.recipient
            ), inserted AS (
                INSERT INTO suppressions (recipient, domain, status, category, reason, rule_id, suppressed_at,
                                          first_event_id, last_event_id, evidence_event_ids,
                                          created_run_id, updated_run_id, storm_id)
                SELECT recipient, domain, CASE WHEN held THEN 'pending_review' ELSE 'active' END, 'suppress', reason,
                       rule_id, occurred_at, event_id, last_event_id, evidence[1:50], $1, $1,
                       CASE WHEN held THEN storm_id END
                FROM ranked n
                WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.recipient = n.recipient)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
            """, stormy ? [run, slot] : [run]).scalar.flatMap { Int($0) } ?? 0
    }

    /// Suppresses recipients whose soft bounces (mailbox full, expiries, unknown 5xx) reached the
    /// escalation thresholds, with every counted event as evidence. SQL gathers the histories of this
    /// run's soft-bounced recipients; `EscalationPolicy` decides.
    mutating func escalateSoftBounces() throws {
        let escalation = policy.escalation
        let softReasons = escalation.softReasons.sorted()
        try connection.setSetting("bounceplan.soft_reasons", to: Self.arrayLiteral(softReasons), local: true)
        try connection.setSetting("bounceplan.count_unknown", to: escalation.countUnknown5xx ? "true" : "false", local: true)
        try connection.setSetting("bounceplan.window", to: Self.seconds(escalation.window), local: true)
        try connection.setSetting("bounceplan.run_id", to: run, local: true)
        let soft = """
            ((o.outcome = 'retry' AND o.reason IN (SELECT unnest(current_setting('bounceplan.soft_reasons')::text[])))
             OR ((SELECT current_setting('bounceplan.count_unknown')::boolean) AND o.outcome = 'unknown'
                 AND o.smtp_code BETWEEN 500 AND 599))
            """
        var escalated = CopyTextEncoder()
        var escalatedCount = 0
        var current: String?
        var domain = ""
        var history: [SoftBounceEvidence] = []
        var lastDelivery: Timestamp?

        func decide() {
            guard let recipient = current, let latest = history.map(\.occurredAt).max() else { return }
            let decision = escalation.evaluate(history: history, lastDelivery: lastDelivery, now: latest, explain: false)
            guard case .suppress(let reason, let evidence, _) = decision, !evidence.isEmpty else { return }
            let ids = evidence.compactMap(\.eventID)
            escalated.field(recipient)
            escalated.field(domain)
            escalated.field(reason)
            // Suppressed from the event that reached the threshold, not from the first soft bounce: before
            // it the recipient was being retried, and `explain` must not say otherwise.
            escalated.field(Int((evidence.map(\.occurredAt).max() ?? evidence[0].occurredAt).secondsSinceEpoch))
            escalated.field(Int(ids.first ?? 0))
            escalated.field(Int(ids.last ?? 0))
            escalated.field("{" + ids.reversed().prefix(50).map(String.init).joined(separator: ",") + "}")
            escalated.endRow()
            escalatedCount += 1
        }

        // Remember this run's soft bounces and deliveries: the history escalation reads.
        try connection.query("""
            INSERT INTO soft_bounces (recipient, occurred_at, event_id, outcome, reason, rule_id, smtp_code)
            SELECT o.recipient, o.occurred_at, o.event_id, o.outcome, o.reason, o.rule_id, o.smtp_code
            FROM run_events o
            WHERE o.recipient IS NOT NULL AND \(soft)
            """)
        try connection.query("""
            INSERT INTO last_deliveries AS d (recipient, occurred_at, event_id)
            SELECT DISTINCT ON (recipient) recipient, occurred_at, event_id
            FROM run_events
            WHERE outcome = 'delivered'
            ORDER BY recipient, occurred_at DESC, event_id DESC
            ON CONFLICT (recipient) DO UPDATE SET occurred_at = excluded.occurred_at, event_id = excluded.event_id
            WHERE excluded.occurred_at > d.occurred_at
            """)
        try connection.setSetting("bounceplan.required_events", to: String(escalation.requiredEvents), local: true)
        try connection.setSetting("bounceplan.minimum_spread", to: Self.seconds(escalation.minimumSpread), local: true)
        // Only recipients whose soft bounces could reach the thresholds travel to the client: the count
        // and spread here are a loose version of EscalationPolicy's (which also weighs deliveries and
        // the window's end), so nobody the policy would suppress is left out.
        try copyOutForRun("""
            WITH c AS (
                SELECT o.recipient, min(o.domain) AS domain, min(o.occurred_at) AS first_soft
                FROM run_events o
                WHERE o.recipient IS NOT NULL AND \(soft)
                  AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.recipient = o.recipient
                                  AND s.status IN ('active', 'pending_review'))
                GROUP BY o.recipient
            ), h AS (
                SELECT h.*, c.domain
                FROM c JOIN soft_bounces h ON h.recipient = c.recipient
                    AND h.occurred_at >= c.first_soft - make_interval(secs => (SELECT current_setting('bounceplan.window')::float8))
            ), w AS (
                -- Counted over each recipient's own rows with window functions rather than by joining an
                -- aggregate of h back to h: with hash and merge joins off, that join would be a nested
                -- loop over both sides.
                SELECT h.*, count(*) OVER r AS soft_count, max(h.occurred_at) OVER r - min(h.occurred_at) OVER r AS spread
                FROM h
                -- Ordered as the output is, so one sort serves the window and the ORDER BY.
                WINDOW r AS (PARTITION BY h.recipient ORDER BY h.occurred_at, h.event_id
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            )
            SELECT h.recipient, h.domain, h.event_id, extract(epoch FROM h.occurred_at)::bigint, h.outcome, h.reason,
                   h.rule_id, h.smtp_code, extract(epoch FROM d.occurred_at)::bigint
            FROM w h
            LEFT JOIN last_deliveries d ON d.recipient = h.recipient
            WHERE h.soft_count >= (SELECT current_setting('bounceplan.required_events')::integer)
              AND h.spread >= make_interval(secs => (SELECT current_setting('bounceplan.minimum_spread')::float8))
            ORDER BY h.recipient, h.occurred_at, h.event_id
            """) { row in
            guard let recipient = row.string(0) else { return }
            if recipient != current {
                decide()
                current = recipient
                domain = row.string(1) ?? ""
                history.removeAll(keepingCapacity: true)
                lastDelivery = row.int(8).map { Timestamp(secondsSinceEpoch: Int64($0)) }
            }
            let category = row.string(4).flatMap(BounceCategory.init(rawValue:)) ?? .unknown
            history.append(SoftBounceEvidence(
                eventID: Int64(row.int(2) ?? 0), occurredAt: Timestamp(secondsSinceEpoch: Int64(row.int(3) ?? 0)),
                reason: row.string(5) ?? "", category: category, ruleID: row.string(6) ?? "", smtpCode: row.int(7)))
        }
        decide()
        counts["escalations"] = escalatedCount
        guard escalatedCount > 0 else { return }
        try connection.query("""
            CREATE TEMP TABLE run_escalations (recipient text, domain text, reason text, decided_at bigint,
                                               first_event_id bigint, last_event_id bigint, evidence bigint[])
            ON COMMIT DROP
            """)
        let bytes = escalated.take()
        try connection.copyIn("COPY run_escalations FROM STDIN") { writer in try writer.sendEncoded(bytes) }
        try connection.query("""
            INSERT INTO suppressions AS s (recipient, domain, status, category, reason, rule_id, suppressed_at,
                                           first_event_id, last_event_id, evidence_event_ids,
                                           created_run_id, updated_run_id)
            SELECT recipient, domain, 'active', 'suppress', reason, 'policy.escalation', to_timestamp(decided_at),
                   first_event_id, last_event_id, evidence, $1, $1
            FROM run_escalations
            ON CONFLICT (recipient) DO UPDATE SET
                status = 'active', reason = excluded.reason, rule_id = excluded.rule_id,
                suppressed_at = excluded.suppressed_at, last_event_id = excluded.last_event_id,
                evidence_event_ids = excluded.evidence_event_ids, updated_run_id = excluded.updated_run_id,
                updated_at = now()
            WHERE s.status = 'removed' AND (s.removed_at IS NULL OR excluded.suppressed_at > s.removed_at)
            """, [run])
    }

    /// A suppressed recipient has nothing left to retry; a delivered message is no longer due.
    mutating func cancelSettledRetries() throws {
        counts["retry_schedule_cancelled"] = try connection.query("""
            DELETE FROM retry_schedule r
            USING suppressions s
            WHERE s.updated_run_id = $1 AND s.status = 'active' AND r.recipient = s.recipient
            """, [run]).affectedRows
        counts["retry_schedule_delivered"] = try connection.query("""
            DELETE FROM retry_schedule r
            USING run_events o
            WHERE o.outcome = 'delivered' AND r.recipient = o.recipient
              AND r.message_id = o.message_id AND r.last_failed_at <= o.occurred_at
            """).affectedRows
    }

    /// One element of a PostgreSQL array literal, quoted so that any text survives.
    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
