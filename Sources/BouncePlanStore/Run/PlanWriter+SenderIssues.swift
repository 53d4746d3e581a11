import BouncePlanning
import Postgres

extension PlanWriter {
    /// Sender and content refusals aggregated per (source, destination, reason); recipients are never
    /// suppressed for these. Pass 1 counted tonight's refusals (`issues`: counts, first and last time, and
    /// the latest event's category, rule and reply as the sample; their distinct recipients from
    /// `run_refusals`);
    /// `SenderIssuePolicy.severity` grades each issue over its running totals, in Swift, and the grades go
    /// back through a temporary table.
    mutating func writeSenderIssues(_ issues: [DestinationTally.IssueKey: DestinationTally.Issue]) throws {
        try connection.query("""
            CREATE TEMP TABLE run_sender_issues (source text, destination text, reason text, event_count bigint,
                recipient_count bigint, first_seen timestamptz, last_seen timestamptz, last_event_id bigint,
                category text, rule_id text, sample text, severity text) ON COMMIT DROP
            """)
        guard !issues.isEmpty else {
            counts["sender_issues"] = 0
            return
        }
        try connection.copyIn("COPY run_sender_issues FROM STDIN") { writer in
            for (key, issue) in issues {
                writer.field(key.source)
                writer.field(key.destination)
                writer.field(key.reason)
                writer.field(issue.events)
                writer.field(0)
                writer.field(MicroTime.text(issue.firstMicros))
                writer.field(MicroTime.text(issue.lastMicros))
                writer.field(issue.lastEventID)
                writer.field(issue.category)
                writer.field(issue.ruleID)
                writer.field(issue.sample)
                writer.field(nil as String?)
                try writer.endRow()
            }
        }
        // Distinct recipients per issue from pass 1's refusal rows (grouped on the recipient first, hashed,
        // instead of count(DISTINCT), which sorts inside every group).
        try connection.query("""
            UPDATE run_sender_issues t SET recipient_count = c.recipients
            FROM (SELECT source, destination, reason, count(*) AS recipients
                  FROM (SELECT source, destination, reason, recipient FROM run_refusals GROUP BY 1, 2, 3, 4) per_recipient
                  GROUP BY 1, 2, 3) c
            WHERE c.source = t.source AND c.destination = t.destination AND c.reason = t.reason
            """)
        let policy = policy.senderIssues
        var grades = CopyTextEncoder()
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
            grades.field(parsed.string(0))
            grades.field(parsed.string(1))
            grades.field(parsed.string(2))
            grades.field(severity.rawValue)
            grades.endRow()
            rows += 1
        }
        counts["sender_issues"] = rows
        guard rows > 0 else { return }
        try connection.query("CREATE TEMP TABLE run_sender_grades (source text, destination text, reason text, severity text) ON COMMIT DROP")
        let bytes = grades.take()
        _ = try connection.copyIn("COPY run_sender_grades FROM STDIN") { writer in try writer.sendEncoded(bytes) }
        try connection.query("""
            UPDATE run_sender_issues t SET severity = g.severity FROM run_sender_grades g
            WHERE g.source = t.source AND g.destination = t.destination AND g.reason = t.reason
            """)
        // Update-then-insert: the run holds the only writer's lock.
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
            WHERE NOT EXISTS (SELECT 1 FROM sender_issues i
                              WHERE i.source = t.source AND i.destination = t.destination AND i.reason = t.reason)
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
