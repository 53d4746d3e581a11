import BounceIngest
import BouncePlanStore
import Foundation

/// Reads every path and stores the events, flushed at the end; problems are counted in `tally`.
///
/// Reading and parsing run on their own thread and hand over batches of rows, so that parsing
/// overlaps with PostgreSQL's work on the previous batch. The queue holds at most `queuedBatches`
/// batches: memory stays constant however large the files.
func ingestWebhooks(_ paths: [String], service: WebhookService, into writer: EventBatchWriter, tally: inout WebhookTally) throws {
    let queue = WebhookBatchQueue(capacity: 4)
    let producer = Thread {
        var tally = WebhookTally()
        var batch: [NewBounceEvent] = []
        batch.reserveCapacity(WebhookBatchQueue.batchSize)
        do {
            let reader = WebhookReader(service: service)
            for path in paths {
                do {
                    try reader.read(path: path) { record in
                        guard let event = tally.count(record) else { return }
                        batch.append(newEvent(event))
                        if batch.count >= WebhookBatchQueue.batchSize {
                            try queue.put(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }
                } catch let error as WebhookReadError {
                    tally.report(error.description)
                }
            }
            if !batch.isEmpty { try queue.put(batch) }
            queue.finish(tally)
        } catch {
            queue.fail(error)
        }
    }
    producer.stackSize = 8 << 20
    producer.start()
    do {
        while let batch = try queue.take() {
            for event in batch { try writer.add(event) }
        }
        try writer.flush()
    } catch {
        queue.cancel()
        throw error
    }
    if let counted = queue.result { tally.add(counted) }
}

/// A bounded hand-over of parsed rows from the reading thread to the thread that writes them.
final class WebhookBatchQueue: @unchecked Sendable {
    static let batchSize = 2000
    private let condition = NSCondition()
    private var batches: [[NewBounceEvent]] = []
    private let capacity: Int
    private var finished: WebhookTally?
    private var failure: (any Error)?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The producer's tally once it finished.
    var result: WebhookTally? {
        condition.lock()
        defer { condition.unlock() }
        return finished
    }

    /// Blocks while the queue is full; throws once the consumer gave up.
    func put(_ batch: [NewBounceEvent]) throws {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        batches.append(batch)
        condition.broadcast()
    }

    func finish(_ tally: WebhookTally) {
        condition.lock()
        finished = tally
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: any Error) {
        condition.lock()
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil once the producer finished and everything was taken.
    func take() throws -> [NewBounceEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && finished == nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        if batches.isEmpty { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }
}
