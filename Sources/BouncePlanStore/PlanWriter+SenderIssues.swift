import BouncePlanning
import Postgres

extension PlanWriter {
    /// Sender and content refusals aggregated per (source, destination, reason); recipients are never
    /// suppressed for these.
    ///
    /// The severity mirrors `SenderIssuePolicy.severity` in SQL over the running totals (a test holds
    /// the two together), so no issue row has to travel to the client: there can be hundreds of
    /// thousands after a bad night at many small domains.
    mutating func writeSenderIssues() throws {
        let policy = policy.senderIssues
        let exact = policy.highReasons.filter { !$0.hasSuffix("*") }
        let prefixes = policy.highReasons.filter { $0.hasSuffix("*") }.map { String($0.dropLast()) }
        let severity = { (events: String, recipients: String, reason: String) in """
            CASE WHEN \(events) <= 0 THEN 'low'
                 WHEN \(reason) = ANY ($2::text[])
                      OR EXISTS (SELECT 1 FROM unnest($3::text[]) AS p(prefix) WHERE starts_with(\(reason), p.prefix))
                 THEN CASE WHEN \(recipients) >= $6 THEN 'critical' ELSE 'high' END
                 WHEN \(recipients) >= $5 THEN 'high'
                 WHEN \(recipients) >= $4 THEN 'medium'
                 ELSE 'low' END
            """
        }
        counts["sender_issues"] = try connection.query("""
            WITH per_recipient AS (
                -- Distinct recipients by grouping on them first (hashed), instead of count(DISTINCT),
                -- which sorts inside every group.
                SELECT source, coalesce(destination, '') AS destination, reason, recipient,
                       count(*) AS events, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen,
                       max(event_id) AS last_event_id
                FROM run_events
                WHERE outcome IN ('sender', 'content')
                GROUP BY 1, 2, 3, 4
            ), aggregated AS (
                SELECT source, destination, reason, sum(events)::bigint AS event_count,
                       count(recipient) AS recipient_count, min(first_seen) AS first_seen,
                       max(last_seen) AS last_seen, max(last_event_id) AS last_event_id
                FROM per_recipient
                GROUP BY 1, 2, 3
            ), tonight AS (
                -- The latest recorded event (the highest id) describes the row: its category and rule from
                -- the outcome, its response from bounce_events as the sample.
                SELECT a.*, o.outcome AS category, o.rule_id,
                       left(concat_ws(' ', e.smtp_code::text, nullif(e.enhanced_status, ''), e.diagnostic), 400) AS sample
                FROM aggregated a
                JOIN event_outcomes o ON o.event_id = a.last_event_id
                LEFT JOIN bounce_events e ON e.id = a.last_event_id
            ), updated AS (
                -- Update-then-insert, as for the other plans: the run holds the only writer's lock.
                UPDATE sender_issues i SET
                    event_count = i.event_count + t.event_count,
                    recipient_count = i.recipient_count + t.recipient_count,
                    first_seen = least(i.first_seen, t.first_seen),
                    last_seen = greatest(i.last_seen, t.last_seen),
                    sample_response = coalesce(t.sample, ''), rule_id = t.rule_id, status = 'open',
                    resolved_at = NULL, resolution = NULL,
                    severity = \(severity("i.event_count + t.event_count", "i.recipient_count + t.recipient_count", "i.reason")),
                    last_event_id = greatest(i.last_event_id, t.last_event_id),
                    updated_run_id = $1
                FROM tonight t
                WHERE i.source = t.source AND i.destination = t.destination AND i.reason = t.reason
                RETURNING 1
            ), inserted AS (
                INSERT INTO sender_issues (source, destination, reason, category, rule_id, event_count, recipient_count,
                                           first_seen, last_seen, sample_response, severity, last_event_id,
                                           updated_run_id)
                SELECT t.source, t.destination, t.reason, t.category, t.rule_id, t.event_count, t.recipient_count,
                       t.first_seen, t.last_seen, coalesce(t.sample, ''),
                       \(severity("t.event_count", "t.recipient_count", "t.reason")), t.last_event_id, $1
                FROM tonight t
                WHERE NOT EXISTS (SELECT 1 FROM sender_issues i
                                  WHERE i.source = t.source AND i.destination = t.destination AND i.reason = t.reason)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
            """, [run, Self.arrayLiteral(exact), Self.arrayLiteral(prefixes), String(policy.mediumRecipients),
                  String(policy.highRecipients), String(policy.criticalRecipients)]).scalar.flatMap { Int($0) } ?? 0
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
