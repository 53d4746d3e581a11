import Postgres

/// Everything stored about one recipient, for `bounceplan explain`.
public struct RecipientHistory: Sendable {
    /// One event with the decision the run took for it (nil fields for events not yet planned).
    public struct Event: Sendable {
        public var id: Int
        public var occurredAt: String
        public var epochSeconds: Int64
        public var kind: String
        public var messageID: String?
        public var smtpCode: Int?
        public var enhancedStatus: String?
        public var diagnostic: String
        public var runID: Int?
        public var outcome: String?
        public var reason: String?
        public var ruleID: String?
        /// What the sending service itself said about the event (`ingest webhook`), when known.
        public var reportedVerdict: String? = nil
    }

    public var recipient: String
    public var events: [Event]
    /// The `suppressions` row as column → value, nil when not suppressed.
    public var suppression: [String: String]?
    /// The `retry_schedule` rows, each as column → value.
    public var retries: [[String: String]]
    /// The `rate_limits` rows for the recipient's destination.
    public var rateLimits: [[String: String]]

    /// Loads the history of `recipient` (normalised first); at most `limit` most recent events.
    public static func load(_ recipient: String, from connection: Connection, limit: Int = 200) throws -> RecipientHistory {
        let address: String
        switch RecipientAddress.normalize(recipient) {
        case .success(let normalized): address = normalized.address
        case .failure(let problem):
            throw StoreError(.invalidInput, "\(recipient) is not a recipient address (\(problem.rawValue))")
        }
        try connection.setSetting("TimeZone", to: "UTC")
        // The verdict is read through to_jsonb so that a mailer's own bounce_events view without
        // that column still works.
        let rows = try connection.query("""
            SELECT * FROM (
                SELECT e.id, e.occurred_at::text, extract(epoch FROM coalesce(e.occurred_at, now()))::bigint, e.kind,
                       e.message_id, e.smtp_code, e.enhanced_status, coalesce(e.diagnostic, ''),
                       o.run_id, o.outcome, o.reason, o.rule_id, to_jsonb(e) ->> 'reported_verdict'
                FROM bounce_events e JOIN event_outcomes o ON o.event_id = e.id
                WHERE lower(e.recipient) = $1 OR lower(e.recipient) = '<' || $1 || '>'
                UNION ALL
                SELECT e.id, e.occurred_at::text, extract(epoch FROM coalesce(e.occurred_at, now()))::bigint, e.kind,
                       e.message_id, e.smtp_code, e.enhanced_status, coalesce(e.diagnostic, ''),
                       NULL, NULL, NULL, NULL, to_jsonb(e) ->> 'reported_verdict'
                FROM bounce_events e
                WHERE lower(e.recipient) = $1
                  AND NOT EXISTS (SELECT 1 FROM event_outcomes o WHERE o.event_id = e.id)
            ) h ORDER BY 3 DESC, 1 DESC LIMIT $2
            """, [address, String(limit)])
        let events = rows.rows.reversed().map { row in
            Event(id: Int(row[0] ?? "") ?? 0, occurredAt: row[1] ?? "", epochSeconds: Int64(row[2] ?? "") ?? 0,
                  kind: row[3] ?? "", messageID: row[4], smtpCode: row[5].flatMap { Int($0) },
                  enhancedStatus: row[6], diagnostic: row[7] ?? "", runID: row[8].flatMap { Int($0) },
                  outcome: row[9], reason: row[10], ruleID: row[11], reportedVerdict: row[12])
        }
        let suppression = try Self.records(connection.query("SELECT * FROM suppressions WHERE recipient = $1", [address])).first
        let retries = try Self.records(connection.query(
            "SELECT * FROM retry_schedule WHERE recipient = $1 ORDER BY next_attempt_at", [address]))
        let rateLimits = try Self.records(connection.query("""
            SELECT l.* FROM rate_limits l
            -- The recipient's destinations from the evidence of its events, found through bounce_events'
            -- recipient index (the evidence keeps no recipient: migration 0009).
            WHERE l.destination IN (SELECT o.destination FROM bounce_events e JOIN event_outcomes o ON o.event_id = e.id
                                    WHERE lower(e.recipient) = $1 OR lower(e.recipient) = '<' || $1 || '>')
            ORDER BY l.destination, l.source
            """, [address]))
        return RecipientHistory(recipient: address, events: events, suppression: suppression, retries: retries, rateLimits: rateLimits)
    }

    private static func records(_ result: QueryResult) -> [[String: String]] {
        let names = result.columnNames
        return result.rows.map { row in
            var record: [String: String] = [:]
            for (name, value) in zip(names, row) { record[name] = value ?? "NULL" }
            return record
        }
    }
}
