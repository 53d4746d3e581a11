import BounceIngest
import BouncePlanStore
import Foundation

/// Reads every path and stores the events, flushed at the end; problems are counted in `tally`.
///
/// Reading and parsing run on their own thread and hand over batches of rows, so that parsing
/// overlaps with PostgreSQL's work on the previous batch. The queue holds at most four
/// batches: memory stays constant however large the files.
func ingestWebhooks(_ paths: [String], service: WebhookService, into writer: EventBatchWriter, tally: inout WebhookTally) throws {
    let queue = HandOffQueue<[NewBounceEvent], WebhookTally>(capacity: 4)
    let producer = Thread {
        var tally = WebhookTally()
        var batch: [NewBounceEvent] = []
        batch.reserveCapacity(webhookBatchSize)
        do {
            let reader = WebhookReader(service: service)
            for path in paths {
                do {
                    try reader.read(path: path) { record in
                        guard let event = tally.count(record) else { return }
                        batch.append(newEvent(event))
                        if batch.count >= webhookBatchSize {
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
    tally.add(try queue.result())
}

/// Rows per hand-over between the reading thread and the writer.
private let webhookBatchSize = 2000
