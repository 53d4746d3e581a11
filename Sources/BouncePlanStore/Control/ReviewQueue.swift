import Postgres

/// Suppressions the storm guard held back: listed, released (applied) or discarded by an operator, in
/// bulk by storm or destination. When a storm has nothing left to review, its sender issue is resolved
/// and the retries that waited for it go out again.
public struct ReviewQueue {
    let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// One storm as `review list` shows it.
    public struct StormRow: Sendable, Equatable {
        public var id: Int
        public var destination: String
        public var startedAt: String
        public var endedAt: String
        public var held: Int
        public var status: String
        public var sources: String
        public var sample: String
        public var explanation: String
    }

    /// Storms, those waiting for review first, newest first.
    public func storms(includeReviewed: Bool = false) throws -> [StormRow] {
        try connection.query("""
            SELECT st.id, st.destination, \(ExportQuery.time("st.started_at")), \(ExportQuery.time("st.ended_at")),
                   (SELECT count(*) FROM suppressions s WHERE s.storm_id = st.id AND s.status = 'pending_review'),
                   st.status, array_to_string(st.sources, ', '), st.sample_response, st.explanation
            FROM storms st
            WHERE $1 OR st.status = 'pending_review'
            ORDER BY st.status <> 'pending_review', st.id DESC
            LIMIT 500
            """, [includeReviewed ? "true" : "false"]).rows.map { row in
            StormRow(id: Int(row[0] ?? "") ?? 0, destination: row[1] ?? "", startedAt: row[2] ?? "", endedAt: row[3] ?? "",
                     held: Int(row[4] ?? "") ?? 0, status: row[5] ?? "", sources: row[6] ?? "", sample: row[7] ?? "",
                     explanation: row[8] ?? "")
        }
    }

    /// Held suppressions per destination: (destination, count, oldest, newest).
    public func summary() throws -> [(destination: String, count: Int, oldest: String, newest: String)] {
        try connection.query("""
            SELECT coalesce(st.destination, o.destination, s.domain), count(*), min(s.suppressed_at)::text, max(s.suppressed_at)::text
            FROM suppressions s
            LEFT JOIN storms st ON st.id = s.storm_id
            LEFT JOIN event_outcomes o ON o.event_id = s.first_event_id
            WHERE s.status = 'pending_review'
            GROUP BY 1 ORDER BY 2 DESC, 1
            """).rows.map { row in
            (row[0] ?? "", Int(row[1] ?? "") ?? 0, row[2] ?? "", row[3] ?? "")
        }
    }

    /// Which held suppressions an operator's command applies to.
    public enum Selection: Sendable {
        case storm(Int)
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
            try finishReviewedStorms(as: "released", why: why)
            return released
        }
    }

    /// Drops the held suppressions (audited with `why`): the events stay in `event_outcomes` as
    /// history, nobody is suppressed.
    public func discard(_ selection: Selection, why: String) throws -> Int {
        try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            let discarded = try audited("review_discard", why: why, selection: selection, change: """
                DELETE FROM suppressions s WHERE s.status = 'pending_review' AND \(Self.predicate(selection))
                RETURNING s.recipient
                """)
            try finishReviewedStorms(as: "discarded", why: why)
            return discarded
        }
    }

    /// Storms with nothing left pending are reviewed; at destinations with no storm left pending, the
    /// `suppression_storm` sender issues resolve and the retries that waited go out again (not before now).
    private func finishReviewedStorms(as outcome: String, why: String) throws {
        try connection.query("""
            UPDATE storms st SET status = $1, reviewed_at = now(), reviewed_by = current_user
            WHERE st.status = 'pending_review'
              AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.storm_id = st.id AND s.status = 'pending_review')
            """, [outcome])
        try connection.query("""
            UPDATE sender_issues i SET status = 'resolved', resolved_at = now(),
                   resolution = 'storm ' || $1 || ' by ' || current_user || ': ' || $2
            WHERE i.reason = 'suppression_storm' AND i.status = 'open'
              AND NOT EXISTS (SELECT 1 FROM storms st WHERE st.destination = i.destination AND st.status = 'pending_review')
            """, [outcome, why])
        try connection.query("""
            UPDATE retry_schedule r SET status = 'pending', next_attempt_at = greatest(r.next_attempt_at, now())
            WHERE r.status = 'held_for_review'
              AND NOT EXISTS (SELECT 1 FROM storms st WHERE st.destination = r.destination AND st.status = 'pending_review')
            """)
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
        case .storm: return "s.storm_id = $1::bigint"
        case .destination:
            // Held by a storm at the destination, or (held before storms were recorded) by its first event's.
            return """
                (s.storm_id IN (SELECT id FROM storms WHERE destination = $1)
                 OR (s.storm_id IS NULL AND EXISTS (SELECT 1 FROM event_outcomes o
                                                    WHERE o.event_id = s.first_event_id AND o.destination = $1)))
                """
        case .recipients: return "s.recipient = ANY ($1::text[])"
        case .all: return "true"
        }
    }

    private static func parameters(_ selection: Selection) -> [String?] {
        switch selection {
        case .storm(let id): return [String(id)]
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
