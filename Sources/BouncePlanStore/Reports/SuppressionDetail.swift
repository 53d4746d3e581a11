import Postgres

/// Everything known about one address: its suppression, the manual changes, the decisions taken on
/// its events, and the bounce events that caused the suppression. `suppress show` prints it.
public struct SuppressionDetail: Sendable, Codable, Equatable {
    /// The current suppression row.
    public struct State: Sendable, Codable, Equatable {
        public var status: String
        public var category: String
        public var reason: String
        public var ruleID: String
        public var suppressedAt: String
        public var updatedAt: String
        public var removedAt: String?
    }

    /// One row of the audit log.
    public struct AuditEntry: Sendable, Codable, Equatable {
        public var at: String
        public var actor: String
        public var action: String
        public var why: String
        public var previousStatus: String?
        public var origin: String
    }

    /// The decision a run took on one event of this address.
    public struct Outcome: Sendable, Codable, Equatable {
        public var eventID: Int
        public var runID: Int
        public var occurredAt: String
        public var outcome: String
        public var reason: String
        public var ruleID: String
    }

    /// A bounce event that is evidence for the suppression.
    public struct Evidence: Sendable, Codable, Equatable {
        public var eventID: Int
        public var occurredAt: String?
        public var kind: String
        public var smtpCode: Int?
        public var enhancedStatus: String?
        public var diagnostic: String?
        public var remoteMTA: String?
    }

    public var recipient: String
    public var state: State?
    public var audit: [AuditEntry]
    /// The latest 100 decisions, newest first.
    public var history: [Outcome]
    public var evidence: [Evidence]

    /// Reads the detail of `raw` (normalised first).
    public static func load(_ raw: String, from connection: Connection) throws -> SuppressionDetail {
        let recipient = try ManualSuppression.normalize(raw).address
        let time = { (column: String) in ExportQuery.time(column) }
        return try connection.transaction {
            try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let state = try connection.query("""
                SELECT status, category, reason, rule_id, \(time("suppressed_at")), \(time("updated_at")), \(time("removed_at"))
                FROM suppressions WHERE recipient = $1
                """, [recipient]).rows.first.map { row in
                State(status: row[0] ?? "", category: row[1] ?? "", reason: row[2] ?? "", ruleID: row[3] ?? "",
                      suppressedAt: row[4] ?? "", updatedAt: row[5] ?? "", removedAt: row[6])
            }
            let audit = try connection.query("""
                SELECT \(time("at")), actor, action, why, previous_status, origin
                FROM suppression_audit WHERE recipient = $1 ORDER BY at, id
                """, [recipient]).rows.map { row in
                AuditEntry(at: row[0] ?? "", actor: row[1] ?? "", action: row[2] ?? "", why: row[3] ?? "",
                           previousStatus: row[4], origin: row[5] ?? "")
            }
            let history = try connection.query("""
                SELECT o.event_id, o.run_id, \(time("o.occurred_at")), o.outcome, o.reason, o.rule_id
                FROM bounce_events e JOIN event_outcomes o ON o.event_id = e.id
                -- bounce_events is indexed by lower(recipient); event_outcomes keeps no recipient (migration 0009),
                -- and an event whose recipient was refused has no destination.
                WHERE (lower(e.recipient) = $1 OR lower(e.recipient) = '<' || $1 || '>') AND o.destination IS NOT NULL
                ORDER BY o.occurred_at DESC, o.event_id DESC LIMIT 100
                """, [recipient]).rows.map { row in
                Outcome(eventID: Int(row[0] ?? "") ?? 0, runID: Int(row[1] ?? "") ?? 0, occurredAt: row[2] ?? "",
                        outcome: row[3] ?? "", reason: row[4] ?? "", ruleID: row[5] ?? "")
            }
            let evidence = try connection.query("""
                SELECT e.id, \(time("e.occurred_at")), e.kind, e.smtp_code, e.enhanced_status, e.diagnostic, e.remote_mta
                FROM suppressions s JOIN bounce_events e ON e.id = ANY (s.evidence_event_ids)
                WHERE s.recipient = $1
                ORDER BY e.occurred_at DESC, e.id DESC
                """, [recipient]).rows.map { row in
                Evidence(eventID: Int(row[0] ?? "") ?? 0, occurredAt: row[1], kind: row[2] ?? "",
                         smtpCode: row[3].flatMap { Int($0) }, enhancedStatus: row[4], diagnostic: row[5], remoteMTA: row[6])
            }
            return SuppressionDetail(recipient: recipient, state: state, audit: audit, history: history, evidence: evidence)
        }
    }

    /// A page for a person.
    public var text: String {
        var lines: [String] = []
        if let state {
            lines.append("\(recipient): \(state.status) (\(state.category) / \(state.reason), rule \(state.ruleID))")
            lines.append("  suppressed at \(state.suppressedAt), last changed \(state.updatedAt)"
                + (state.removedAt.map { ", removed at \($0)" } ?? ""))
        } else {
            lines.append("\(recipient): not on the suppression list")
        }
        if !audit.isEmpty {
            lines.append("")
            lines.append("manual changes:")
            for entry in audit {
                lines.append("  \(entry.at)  \(entry.action) by \(entry.actor) (\(entry.origin)): \(entry.why)")
            }
        }
        if !history.isEmpty {
            lines.append("")
            lines.append("decisions on its events (newest first):")
            for outcome in history {
                lines.append("  \(outcome.occurredAt)  event \(outcome.eventID), run \(outcome.runID): \(outcome.outcome) / \(outcome.reason) [\(outcome.ruleID)]")
            }
        }
        if !evidence.isEmpty {
            lines.append("")
            lines.append("evidence:")
            for event in evidence {
                let code = [event.smtpCode.map(String.init), event.enhancedStatus].compactMap { $0 }.joined(separator: " ")
                lines.append("  event \(event.eventID) at \(event.occurredAt ?? "?") (\(event.kind)) \(code): \(event.diagnostic ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
