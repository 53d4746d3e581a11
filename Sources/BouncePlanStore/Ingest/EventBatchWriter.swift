import Postgres

/// Collects events and inserts them in batches, each batch in its own transaction, skipping events
/// whose idempotency key is already stored. Memory is bounded by the batch size. Not for use inside
/// a transaction the caller opened.
///
/// A batch is first copied straight into `bounce_events`: new events are by far the common case, and
/// the unique index on `source_key` refuses the whole COPY if any key is already stored (also one a
/// concurrent ingest stored a moment ago), so a straight copy never stores a repeat. A refused batch
/// is then inserted through the staged path (a temporary table, then `INSERT … ON CONFLICT DO
/// NOTHING`), and so are the following batches until one of them holds no stored key: re-reading a
/// file costs one refused COPY, not one per batch. The straight copy costs the server about half as
/// much per row as the staged path.
public final class EventBatchWriter {
    private let connection: Connection
    private let batchSize: Int
    private var encoder = EventBatchEncoder()
    /// False after a batch met keys already stored, until a batch meets none.
    private var copiesStraightIn = true
    private var stagingTableExists = false
    /// Events stored so far.
    public private(set) var inserted = 0
    /// Events skipped because their key was already stored (or repeated within a batch).
    public private(set) var duplicates = 0

    public init(connection: Connection, batchSize: Int = 5000) {
        self.connection = connection
        self.batchSize = max(1, batchSize)
    }

    /// Queues an event; a full batch is written at once.
    public func add(_ event: NewBounceEvent) throws {
        encoder.add(event)
        if encoder.eventCount >= batchSize { try flush() }
    }

    /// Writes what is queued and commits it.
    public func flush() throws {
        guard encoder.eventCount > 0 else { return }
        try store(encoder.take())
    }

    /// Writes a batch encoded elsewhere (by a reading thread) and commits it, after what is queued.
    public func write(_ batch: EncodedEventBatch) throws {
        try flush()
        try store(batch)
    }

    private func store(_ batch: EncodedEventBatch) throws {
        duplicates += batch.repeatedKeys
        guard batch.rowCount > 0 else { return }
        if copiesStraightIn && !batch.needsServerTime {
            do {
                inserted += try EventInserter.copyStraightIn(batch, into: connection)
                return
            } catch let error as PostgresError where error.isUniqueViolation || Self.isDeadlock(error) {
                // A deadlock: a concurrent ingest stores some of these keys in another order.
                copiesStraightIn = false
            }
        }
        if !stagingTableExists {
            // Outside the batch's transaction, so that a rolled-back batch does not take it along.
            try EventInserter.createStagingTable(on: connection)
            stagingTableExists = true
        }
        var attempts = 1
        while true {
            do {
                let result = try connection.transaction {
                    // ON COMMIT DELETE ROWS empties the staging table when this transaction ends.
                    try EventInserter.insertStaged(batch, into: connection, emptyAfterwards: false)
                }
                inserted += result.inserted
                duplicates += result.duplicates
                if result.duplicates == 0 { copiesStraightIn = true }
                return
            } catch let error as PostgresError where Self.isDeadlock(error) && attempts < Self.stagedAttempts {
                // The staged path inserts in key order, so it only deadlocks with a concurrent straight
                // copy, which the server has aborted instead or will retry staged: trying again succeeds.
                attempts += 1
            }
        }
    }

    private static let stagedAttempts = 3

    private static func isDeadlock(_ error: PostgresError) -> Bool { error.sqlState == "40P01" }
}
