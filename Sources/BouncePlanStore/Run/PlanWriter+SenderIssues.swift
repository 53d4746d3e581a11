import BouncePlanning
import Postgres

extension PlanWriter {
    /// Sender and content refusals aggregated per (source, destination, reason); recipients are never
    /// suppressed for these. Pass 1 wrote one row per refusal (`run_refusals`: a tenth of the night or
    /// less, instead of a scan of the staging table); SQL aggregates them, the latest event (the highest
    /// id) gives category, rule and, from the reply fields its row carries, the sample reply;
    /// `SenderIssuePolicy.severity` grades each issue over its running totals, in Swift, and the grades go
    /// back through a temporary table.
    mutating func writeSenderIssues() throws {
        try connection.query("ANALYZE run_refusals")
        try connection.query("""
            CREATE TEMP TABLE run_sender_issues ON COMMIT DROP AS
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
            -- The sample is made from the reply fields pass 1 copied with the latest event's row. Looked up
            -- in bounce_events by event id, one probe per issue (24,816 at 1 M events of the bench mix, about
            -- 20,000 heap pages read into shared buffers full of the night's plan rows) cost most of this
            -- statement.
            SELECT a.*, r.category, r.rule_id,
                   left(concat_ws(' ', r.smtp_code::text, nullif(r.enhanced_status, ''), r.diagnostic), 400) AS sample,
                   NULL::text AS severity
            FROM aggregated a
            JOIN run_refusals r ON r.event_id = a.last_event_id
            """)
        let policy = policy.senderIssues
        // The grades wait in a temporary file while the issues stream in: there are as many as the night's
        // (source, destination, reason) keys, which grow with it (118,542 at 5 M events of the bench mix).
        let grades = CopySpool()
        var rows = 0
        var parsed = CopyTextRow()
        _ = try connection.copyOut("""
            COPY (SELECT t.source, t.destination, t.reason, t.event_count + coalesce(i.event_count, 0),
                         t.recipient_count + coalesce(i.recipient_count, 0)
                  FROM run_sender_issues t
                  LEFT JOIN sender_issues i ON i.source = t.source AND i.destination = t.destination AND i.reason = t.reason)
            TO STDOUT
            """) { bytes in
            parsed.parse(bytes)
            let severity = policy.severity(
                reason: parsed.string(2) ?? "", eventCount: parsed.int(3) ?? 0, distinctRecipients: parsed.int(4) ?? 0)
            grades.encoder.startRow(fields: 4)
            grades.encoder.text(parsed.string(0))
            grades.encoder.text(parsed.string(1))
            grades.encoder.text(parsed.string(2))
            grades.encoder.text(severity.rawValue)
            try grades.rowEnded()
            rows += 1
        }
        counts["sender_issues"] = rows
        guard rows > 0 else { return }
        try connection.query("CREATE TEMP TABLE run_sender_grades (source text, destination text, reason text, severity text) ON COMMIT DROP")
        try grades.copy(into: "run_sender_grades", on: connection)
        try connection.query("""
            UPDATE run_sender_issues t SET severity = g.severity FROM run_sender_grades g
            WHERE g.source = t.source AND g.destination = t.destination AND g.reason = t.reason
            """)
        // Update-then-insert: the run holds the only writer's lock. The insert skips the rows just updated by
        // their primary key, not by a NOT EXISTS anti-join: after `TRUNCATE` + `ANALYZE` the planner takes the
        // table for empty, chose a nested loop whose inner scan re-read the rows the statement was inserting
        // (13.5 s instead of 0.2 s at 1 M events, run-recipients5).
        try connection.query("""
            UPDATE sender_issues i SET
                event_count = i.event_count + t.event_count,
                recipient_count = i.recipient_count + t.recipient_count,
                first_seen = least(i.first_seen, t.first_seen),
                last_seen = greatest(i.last_seen, t.last_seen),
                sample_response = t.sample, rule_id = t.rule_id, status = 'open',
                resolved_at = NULL, resolution = NULL, severity = t.severity,
                last_event_id = greatest(i.last_event_id, t.last_event_id),
                updated_run_id = $1
            FROM run_sender_issues t
            WHERE i.source = t.source AND i.destination = t.destination AND i.reason = t.reason
            """, [run])
        try connection.query("""
            INSERT INTO sender_issues (source, destination, reason, category, rule_id, event_count, recipient_count,
                                       first_seen, last_seen, sample_response, severity, last_event_id, updated_run_id)
            SELECT t.source, t.destination, t.reason, t.category, t.rule_id, t.event_count, t.recipient_count,
                   t.first_seen, t.last_seen, t.sample, t.severity, t.last_event_id, $1
            FROM run_sender_issues t
            ON CONFLICT (source, destination, reason) DO NOTHING
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
