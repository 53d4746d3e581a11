import BouncePlanning
import Postgres

extension PlanWriter {
    /// Sender and content refusals aggregated per (source, destination, reason); recipients are never
    /// suppressed for these. Pass 1 wrote one row per refusal (`run_refusals`: a tenth of the night or
    /// less, instead of a scan of the staging table); SQL aggregates them, the latest event (the highest
    /// id) gives category, rule and, from the reply fields its row carries, the sample reply. The issues
    /// stream through the client, where `SenderIssuePolicy.severity` grades each over its running totals,
    /// and come back whole, graded, into a temporary table that one insert-or-update applies.
    mutating func writeSenderIssues() throws {
        try connection.query("ANALYZE run_refusals")
        let policy = policy.senderIssues
        // The issues wait in a temporary file while they stream in: there are as many as the night's
        // (source, destination, reason) keys, which grow with it (118,542 at 5 M events of the bench mix).
        let issues = CopySpool()
        var rows = 0
        var row = CopyBinaryRow()
        // Fields 0–10 are the issue's columns of `run_sender_issues`, sent back as they came (binary form);
        // 11 and 12 are the running totals the grade is taken over.
        _ = try connection.copyOut("""
            COPY (
                WITH per_recipient AS (
                    -- Distinct recipients by grouping on them first (hashed), instead of count(DISTINCT),
                    -- which sorts inside every group.
                    SELECT source, destination, reason, recipient,
                           count(*) AS events, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen,
                           max(event_id) AS last_event_id
                    FROM run_refusals
                    GROUP BY 1, 2, 3, 4
                ), aggregated AS (
                    SELECT source, destination, reason, sum(events)::bigint AS event_count,
                           count(recipient) AS recipient_count, min(first_seen) AS first_seen,
                           max(last_seen) AS last_seen, max(last_event_id) AS last_event_id
                    FROM per_recipient
                    GROUP BY 1, 2, 3
                )
                -- The sample is made from the reply fields pass 1 copied with the latest event's row. Looked
                -- up in bounce_events by event id instead, one probe per issue (24,816 at 1 M events of the
                -- bench mix, about 20,000 heap pages read into shared buffers full of the night's plan rows),
                -- it cost most of this phase.
                SELECT a.source, a.destination, a.reason, r.category, r.rule_id, a.event_count, a.recipient_count,
                       a.first_seen, a.last_seen,
                       left(concat_ws(' ', r.smtp_code::text, nullif(r.enhanced_status, ''), r.diagnostic), 400),
                       a.last_event_id,
                       a.event_count + coalesce(i.event_count, 0), a.recipient_count + coalesce(i.recipient_count, 0)
                FROM aggregated a
                JOIN run_refusals r ON r.event_id = a.last_event_id
                LEFT JOIN sender_issues i ON i.source = a.source AND i.destination = a.destination AND i.reason = a.reason
                ORDER BY 1, 2, 3
            ) TO STDOUT (FORMAT binary)
            """) { bytes in
            guard row.parse(bytes) else { return }
            let severity = policy.severity(
                reason: row.string(2) ?? "", eventCount: row.int(11) ?? 0, distinctRecipients: row.int(12) ?? 0)
            issues.encoder.startRow(fields: 12)
            for field in 0..<11 {
                row.withBytes(field) { issues.encoder.text(bytes: $0) }
            }
            issues.encoder.text(severity.rawValue)
            try issues.rowEnded()
            rows += 1
        }
        counts["sender_issues"] = rows
        guard rows > 0 else { return }
        try connection.query("""
            CREATE TEMP TABLE run_sender_issues (source text, destination text, reason text, category text, rule_id text,
                event_count bigint, recipient_count bigint, first_seen timestamptz, last_seen timestamptz, sample text,
                last_event_id bigint, severity text) ON COMMIT DROP
            """)
        try issues.copy(into: "run_sender_issues", on: connection)
        // One statement, in key order: an issue already stored is updated by its primary key, a new one
        // inserted. The run holds the only writer's lock. The conflict is found by the key, not by a
        // NOT EXISTS anti-join: after `TRUNCATE` + `ANALYZE` the planner takes the table for empty, chose a
        // nested loop whose inner scan re-read the rows the statement was inserting (13.5 s instead of
        // 0.2 s at 1 M events, run-recipients5). The category stays the one the issue was opened with.
        try connection.query("""
            INSERT INTO sender_issues AS i (source, destination, reason, category, rule_id, event_count, recipient_count,
                                            first_seen, last_seen, sample_response, severity, last_event_id, updated_run_id)
            SELECT t.source, t.destination, t.reason, t.category, t.rule_id, t.event_count, t.recipient_count,
                   t.first_seen, t.last_seen, t.sample, t.severity, t.last_event_id, $1
            FROM run_sender_issues t
            ON CONFLICT (source, destination, reason) DO UPDATE SET
                event_count = i.event_count + excluded.event_count,
                recipient_count = i.recipient_count + excluded.recipient_count,
                first_seen = least(i.first_seen, excluded.first_seen),
                last_seen = greatest(i.last_seen, excluded.last_seen),
                sample_response = excluded.sample_response, rule_id = excluded.rule_id, status = 'open',
                resolved_at = NULL, resolution = NULL, severity = excluded.severity,
                last_event_id = greatest(i.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [run])
    }

    /// A PostgreSQL array literal of texts, each element quoted.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map(arrayElement).joined(separator: ",") + "}"
    }

    /// One element of a PostgreSQL array literal, quoted so that any text survives.
    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
