import Postgres

/// `bounce_events` rows in COPY text format, ready for ``EventBatchWriter/write(_:)``. Encoding is
/// the writer's only per-row work on the client, so a reading thread can do it while the writer's
/// thread waits on the server.
public struct EncodedEventBatch: Sendable {
    /// The rows, in chunks of about 64 KiB (the size COPY is fed best in).
    public fileprivate(set) var chunks: [[UInt8]] = []
    /// Rows in `chunks`.
    public fileprivate(set) var rowCount = 0
    /// Events left out because an earlier event of the same batch had their idempotency key.
    public fileprivate(set) var repeatedKeys = 0
    /// Some row has no time. Only the server may fill in its `now()`, which a COPY straight into
    /// `bounce_events` cannot do: such a batch takes the staged path.
    public fileprivate(set) var needsServerTime = false
}

/// Encodes events into an ``EncodedEventBatch``, dropping repeats of a key within the batch (the
/// first is kept, as the staged path would keep it).
public struct EventBatchEncoder: Sendable {
    private var encoder = CopyTextEncoder()
    private var batch = EncodedEventBatch()
    private var keys: Set<String> = []

    public init() {}

    /// Events added since the last ``take()``, repeats included.
    public var eventCount: Int { batch.rowCount + batch.repeatedKeys }

    public mutating func add(_ event: NewBounceEvent) {
        if let key = event.sourceKey, !keys.insert(key).inserted {
            batch.repeatedKeys += 1
            return
        }
        if event.occurredAt == nil { batch.needsServerTime = true }
        EventInserter.encodeFields(event, into: &encoder)
        encoder.endRow()
        batch.rowCount += 1
        if encoder.isFull { batch.chunks.append(encoder.take()) }
    }

    /// The batch encoded so far; the encoder starts a new one.
    public mutating func take() -> EncodedEventBatch {
        if !encoder.bytes.isEmpty { batch.chunks.append(encoder.take()) }
        defer {
            batch = EncodedEventBatch()
            keys.removeAll(keepingCapacity: true)
        }
        return batch
    }
}
