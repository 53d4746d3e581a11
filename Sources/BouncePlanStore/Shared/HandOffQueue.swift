import Foundation

/// A bounded hand-over from a producing thread to a consuming one (encoded COPY chunks from the run's
/// reader to its writer, parsed rows from ingest's reader to its writer), so that producing overlaps
/// with consuming while memory stays bounded by `capacity` items. The producer ends with a final
/// value (its tally) or an error; the consumer may cancel.
public final class HandOffQueue<Item: Sendable, Final: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Item] = []
    private let capacity: Int
    private var finalValue: Final?
    private var failure: (any Error)?
    private var cancelled = false

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Called by the producer; blocks while the queue is full. Throws when the consumer gave up.
    public func put(_ chunk: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// Called by the producer when it has sent everything.
    public func finish(_ value: Final) {
        condition.lock()
        finalValue = value
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the producer when it failed.
    public func fail(_ error: any Error) {
        condition.lock()
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer when it stops early, so the producer does not wait for ever.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or nil once the producer finished and everything was taken.
    public func take() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && finalValue == nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        if chunks.isEmpty { return nil }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Waits for the producer's end and returns its final value or throws its error.
    public func result() throws -> Final {
        condition.lock()
        defer { condition.unlock() }
        while finalValue == nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        return finalValue!
    }
}
