import Postgres

/// An event to insert into `bounce_events` (sample data, ingest).
public struct NewBounceEvent: Sendable, Hashable {
    /// ISO 8601 or any timestamp PostgreSQL parses; nil = now.
    public var occurredAt: String?
    public var recipient: String?
    public var sender: String?
    public var sourceIP: String?
    public var messageID: String?
    public var campaignID: String?
    public var smtpCode: Int?
    public var enhancedStatus: String?
    public var diagnostic: String?
    public var remoteMTA: String?
    public var kind: String
    /// Idempotency key: an event whose key is already stored is skipped.
    public var sourceKey: String?
    /// A sending service's own verdict on the event (`ingest webhook`), shown by `explain`.
    public var reportedVerdict: String?

    public init(
        occurredAt: String? = nil, recipient: String?, sender: String? = nil, sourceIP: String? = nil,
        messageID: String? = nil, campaignID: String? = nil, smtpCode: Int? = nil, enhancedStatus: String? = nil,
        diagnostic: String? = nil, remoteMTA: String? = nil, kind: String = "bounce", sourceKey: String? = nil,
        reportedVerdict: String? = nil
    ) {
        self.occurredAt = occurredAt
        self.recipient = recipient
        self.sender = sender
        self.sourceIP = sourceIP
        self.messageID = messageID
        self.campaignID = campaignID
        self.smtpCode = smtpCode
        self.enhancedStatus = enhancedStatus
        self.diagnostic = diagnostic
        self.remoteMTA = remoteMTA
        self.kind = kind
        self.sourceKey = sourceKey
        self.reportedVerdict = reportedVerdict
    }
}

/// Bulk insertion into `bounce_events`, always through COPY.
public enum EventInserter {
    static let columns = "occurred_at, recipient, sender, source_ip, message_id, campaign_id, smtp_code, enhanced_status, diagnostic, remote_mta, kind, source_key, reported_verdict"

    /// Inserts events; those whose `sourceKey` is already stored are skipped. Runs in the caller's
    /// transaction if one is open. Returns (inserted, skipped as duplicates).
    @discardableResult
    public static func insert(
        _ events: some Sequence<NewBounceEvent>, into connection: Connection
    ) throws -> (inserted: Int, duplicates: Int) {
        try connection.query("""
            CREATE TEMP TABLE IF NOT EXISTS incoming_events
                (LIKE bounce_events INCLUDING DEFAULTS INCLUDING IDENTITY) ON COMMIT DELETE ROWS
            """)
        try connection.query("TRUNCATE incoming_events")
        let copied = try connection.copyIn("COPY incoming_events (\(columns)) FROM STDIN") { writer in
            for event in events { try write(event, to: writer) }
        }
        // Duplicate keys inside one batch collapse to the first; keys already stored are skipped.
        let inserted = try connection.query("""
            INSERT INTO bounce_events (\(columns))
            SELECT DISTINCT ON (coalesce(source_key, id::text))
                   coalesce(occurred_at, now()), recipient, sender, source_ip, message_id, campaign_id, smtp_code,
                   enhanced_status, diagnostic, remote_mta, kind, source_key, reported_verdict
            FROM incoming_events
            ORDER BY coalesce(source_key, id::text), id
            ON CONFLICT (source_key) DO NOTHING
            """).affectedRows
        try connection.query("TRUNCATE incoming_events")
        return (inserted, copied - inserted)
    }

    /// Inserts events straight into `bounce_events` with COPY, for sample data that has no keys.
    @discardableResult
    public static func insertUnkeyed(_ events: some Sequence<NewBounceEvent>, into connection: Connection) throws -> Int {
        try connection.copyIn("COPY bounce_events (\(columns)) FROM STDIN") { writer in
            for event in events { try write(event, to: writer) }
        }
    }

    private static func write(_ event: NewBounceEvent, to writer: CopyInWriter) throws {
        writer.field(event.occurredAt)
        writer.field(event.recipient)
        writer.field(event.sender)
        writer.field(event.sourceIP)
        writer.field(event.messageID)
        writer.field(event.campaignID)
        writer.field(event.smtpCode)
        writer.field(event.enhancedStatus)
        writer.field(event.diagnostic)
        writer.field(event.remoteMTA)
        writer.field(event.kind)
        writer.field(event.sourceKey)
        writer.field(event.reportedVerdict)
        try writer.endRow()
    }
}
