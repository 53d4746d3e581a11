import Foundation

/// A bounded hand-over of encoded COPY chunks from the reading thread to the writing thread, so
/// reading and classifying overlap with writing while memory stays bounded by `capacity` chunks.
final class ChunkQueue<Final: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private let capacity: Int
    private var finalValue: Final?
    private var failure: (any Error)?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Called by the producer; blocks while the queue is full. Throws when the consumer gave up.
    func put(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// Called by the producer when it has sent everything.
    func finish(_ value: Final) {
        condition.lock()
        finalValue = value
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the producer when it failed.
    func fail(_ error: any Error) {
        condition.lock()
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer when it stops early, so the producer does not wait for ever.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or nil once the producer finished and everything was taken.
    func take() throws -> [UInt8]? {
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
    func result() throws -> Final {
        condition.lock()
        defer { condition.unlock() }
        while finalValue == nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        return finalValue!
    }
}
