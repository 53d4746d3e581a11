import Postgres

/// Sender issues (our setup or reputation refused, or a storm) for `bounceplan sender-issues`: listed,
/// and resolved by an operator once fixed. A resolved issue opens again when it happens again.
public struct SenderIssueList {
    let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// One issue as listed.
    public struct Row: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var reason: String
        public var severity: String
        public var status: String
        public var events: Int
        public var recipients: Int
        public var firstSeen: String
        public var lastSeen: String
        public var sample: String
        public var explanation: String
        public var resolution: String
    }

    /// Open issues, most severe first; with `includeResolved` the resolved ones after them.
    public func list(includeResolved: Bool = false, limit: Int = 500) throws -> [Row] {
        let time = { (column: String) in ExportQuery.time(column) }
        return try connection.query("""
            SELECT source, destination, reason, severity, status, event_count, recipient_count,
                   \(time("first_seen")), \(time("last_seen")), sample_response, explanation, coalesce(resolution, '')
            FROM sender_issues
            WHERE $1 OR status = 'open'
            ORDER BY status, CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
                     event_count DESC, source, destination, reason
            LIMIT $2
            """, [includeResolved ? "true" : "false", String(limit)]).rows.map { row in
            Row(source: row[0] ?? "", destination: row[1] ?? "", reason: row[2] ?? "", severity: row[3] ?? "",
                status: row[4] ?? "", events: Int(row[5] ?? "") ?? 0, recipients: Int(row[6] ?? "") ?? 0,
                firstSeen: row[7] ?? "", lastSeen: row[8] ?? "", sample: row[9] ?? "", explanation: row[10] ?? "",
                resolution: row[11] ?? "")
        }
    }

    /// Resolves the open issues matching every given filter (nil = any), noting who and `why`.
    /// Returns how many were resolved.
    public func resolve(source: String?, destination: String?, reason: String?, why: String) throws -> Int {
        try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            return try connection.query("""
                UPDATE sender_issues SET status = 'resolved', resolved_at = now(),
                       resolution = 'resolved by ' || current_user || ': ' || $4
                WHERE status = 'open'
                  AND ($1::text IS NULL OR source = $1) AND ($2::text IS NULL OR destination = $2)
                  AND ($3::text IS NULL OR reason = $3)
                """, [source, destination, reason, why]).affectedRows
        }
    }
}
