import Postgres

/// Suppressions the storm guard held back: listed, released (applied) or discarded by an operator.
public struct ReviewQueue {
    let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Held suppressions per destination: (destination, count, oldest, newest).
    public func summary() throws -> [(destination: String, count: Int, oldest: String, newest: String)] {
        try connection.query("""
            SELECT coalesce(o.destination, s.domain), count(*), min(s.suppressed_at)::text, max(s.suppressed_at)::text
            FROM suppressions s LEFT JOIN event_outcomes o ON o.event_id = s.first_event_id
            WHERE s.status = 'pending_review'
            GROUP BY 1 ORDER BY 2 DESC, 1
            """).rows.map { row in
            (row[0] ?? "", Int(row[1] ?? "") ?? 0, row[2] ?? "", row[3] ?? "")
        }
    }

    /// Which held suppressions an operator's command applies to.
    public enum Selection: Sendable {
        case destination(String)
        case recipients([String])
        case all
    }

    /// Applies the held suppressions (status `active`) and cancels their recipients' retries; each
    /// change is recorded in `suppression_audit` with `why`. Returns how many were released.
    public func release(_ selection: Selection, why: String) throws -> Int {
        try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            let released = try audited("review_release", why: why, selection: selection, change: """
                UPDATE suppressions s SET status = 'active', updated_at = now()
                WHERE s.status = 'pending_review' AND \(Self.predicate(selection))
                RETURNING s.recipient
                """)
            try connection.query("""
                DELETE FROM retry_schedule r USING suppressions s
                WHERE r.recipient = s.recipient AND s.status = 'active' AND \(Self.predicate(selection))
                """, Self.parameters(selection))
            return released
        }
    }

    /// Drops the held suppressions (audited with `why`): the events stay in `event_outcomes` as
    /// history, nobody is suppressed.
    public func discard(_ selection: Selection, why: String) throws -> Int {
        try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            return try audited("review_discard", why: why, selection: selection, change: """
                DELETE FROM suppressions s WHERE s.status = 'pending_review' AND \(Self.predicate(selection))
                RETURNING s.recipient
                """)
        }
    }

    /// Runs `change` (a statement returning the recipients it touched) and logs each in the audit table.
    private func audited(_ action: String, why: String, selection: Selection, change: String) throws -> Int {
        let parameters = Self.parameters(selection)
        // The action and reason follow the selection's own parameters.
        return Int(try connection.query("""
            WITH changed AS (\(change)),
            logged AS (
                INSERT INTO suppression_audit (action, recipient, why, previous_status)
                SELECT $\(parameters.count + 1), recipient, $\(parameters.count + 2), 'pending_review' FROM changed
                RETURNING 1
            )
            SELECT count(*) FROM logged
            """, parameters + [action, why]).scalar ?? "") ?? 0
    }

    /// A fixed SQL condition per selection; the values travel as `$1`.
    private static func predicate(_ selection: Selection) -> String {
        switch selection {
        case .destination:
            return "EXISTS (SELECT 1 FROM event_outcomes o WHERE o.event_id = s.first_event_id AND o.destination = $1)"
        case .recipients: return "s.recipient = ANY ($1::text[])"
        case .all: return "true"
        }
    }

    private static func parameters(_ selection: Selection) -> [String?] {
        switch selection {
        case .destination(let destination): return [destination]
        case .recipients(let recipients):
            let normalized = recipients.map { raw -> String in
                if case .success(let address) = RecipientAddress.normalize(raw) { return address.address }
                return raw
            }
            return [PlanWriter.arrayLiteral(normalized)]
        case .all: return []
        }
    }
}
