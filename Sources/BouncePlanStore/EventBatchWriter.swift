import Postgres

/// Collects events and inserts them in batches with COPY, each batch in its own transaction, skipping
/// events whose idempotency key is already stored. Memory is bounded by the batch size.
public final class EventBatchWriter {
    private let connection: Connection
    private let batchSize: Int
    private var pending: [NewBounceEvent] = []
    /// Events stored so far.
    public private(set) var inserted = 0
    /// Events skipped because their key was already stored.
    public private(set) var duplicates = 0

    public init(connection: Connection, batchSize: Int = 5000) {
        self.connection = connection
        self.batchSize = max(1, batchSize)
        pending.reserveCapacity(self.batchSize)
    }

    /// Queues an event; a full batch is written at once.
    public func add(_ event: NewBounceEvent) throws {
        pending.append(event)
        if pending.count >= batchSize { try flush() }
    }

    /// Writes what is queued and commits it.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        let result = try connection.transaction { try EventInserter.insert(pending, into: connection) }
        inserted += result.inserted
        duplicates += result.duplicates
        pending.removeAll(keepingCapacity: true)
    }
}
