import BouncePlanning
import Postgres

extension PlanWriter {
    /// Sender and content refusals aggregated per (source, destination, reason); recipients are never
    /// suppressed for these. Severity comes from `SenderIssuePolicy` over the running totals.
    mutating func writeSenderIssues() throws {
        counts["sender_issues"] = try connection.query("""
            INSERT INTO sender_issues AS i (source, destination, reason, category, rule_id, event_count,
                                            recipient_count, first_seen, last_seen, sample_response, severity,
                                            last_event_id, updated_run_id)
            SELECT source, coalesce(destination, ''), reason,
                   (array_agg(outcome ORDER BY occurred_at DESC, event_id DESC))[1],
                   (array_agg(rule_id ORDER BY occurred_at DESC, event_id DESC))[1],
                   count(*), count(DISTINCT recipient), min(occurred_at), max(occurred_at),
                   coalesce((array_agg(sample ORDER BY occurred_at DESC, event_id DESC))[1], ''),
                   'low', max(event_id), $1
            FROM event_outcomes
            WHERE run_id = $1 AND outcome IN ('sender', 'content')
            GROUP BY source, coalesce(destination, ''), reason
            ON CONFLICT (source, destination, reason) DO UPDATE SET
                event_count = i.event_count + excluded.event_count,
                recipient_count = i.recipient_count + excluded.recipient_count,
                first_seen = least(i.first_seen, excluded.first_seen),
                last_seen = greatest(i.last_seen, excluded.last_seen),
                sample_response = excluded.sample_response,
                rule_id = excluded.rule_id,
                status = 'open',
                last_event_id = greatest(i.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [run]).affectedRows

        let touched = try connection.query("""
            SELECT source, destination, reason, event_count, recipient_count, severity FROM sender_issues
            WHERE updated_run_id = $1 AND reason <> 'suppression_storm'
            """, [run])
        var changed: [(String, String, String, String)] = []
        for row in touched.rows {
            guard let source = row[0], let destination = row[1], let reason = row[2] else { continue }
            let severity = policy.senderIssues.severity(
                reason: reason, eventCount: row[3].flatMap { Int($0) } ?? 0,
                distinctRecipients: row[4].flatMap { Int($0) } ?? 0)
            if severity.rawValue != row[5] { changed.append((source, destination, reason, severity.rawValue)) }
        }
        guard !changed.isEmpty else { return }
        try connection.query("""
            CREATE TEMP TABLE run_severities (source text, destination text, reason text, severity text) ON COMMIT DROP
            """)
        try connection.copyIn("COPY run_severities FROM STDIN") { writer in
            for entry in changed { try writer.row([entry.0, entry.1, entry.2, entry.3]) }
        }
        try connection.query("""
            UPDATE sender_issues i SET severity = s.severity
            FROM run_severities s
            WHERE i.source = s.source AND i.destination = s.destination AND i.reason = s.reason
            """)
    }
}
