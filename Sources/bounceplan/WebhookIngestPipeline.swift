import BounceIngest
import BouncePlanStore
import Foundation

/// Reads every path and stores the events, flushed at the end; problems are counted in `tally`.
///
/// Reading, parsing and encoding the COPY rows run on their own thread and hand over encoded
/// batches, so that all the client's per-event work overlaps with PostgreSQL storing the previous
/// batch; the writer's thread only sends bytes. The queue holds at most `webhookQueuedBatches`
/// batches: memory stays constant however large the files.
func ingestWebhooks(_ paths: [String], service: WebhookService, into writer: EventBatchWriter, tally: inout WebhookTally) throws {
    let queue = HandOffQueue<EncodedEventBatch, WebhookTally>(capacity: webhookQueuedBatches)
    let producer = Thread {
        var tally = WebhookTally()
        var encoder = EventBatchEncoder()
        do {
            let reader = WebhookReader(service: service)
            for path in paths {
                do {
                    try reader.read(path: path) { record in
                        guard let event = tally.count(record) else { return }
                        encoder.add(newEvent(event))
                        if encoder.eventCount >= webhookBatchSize { try queue.put(encoder.take()) }
                    }
                } catch let error as WebhookReadError {
                    tally.report(error.description)
                }
            }
            if encoder.eventCount > 0 { try queue.put(encoder.take()) }
            queue.finish(tally)
        } catch {
            queue.fail(error)
        }
    }
    producer.stackSize = 8 << 20
    producer.start()
    do {
        while let batch = try queue.take() { try writer.write(batch) }
        try writer.flush()
    } catch {
        queue.cancel()
        throw error
    }
    tally.add(try queue.result())
}

/// Events per batch, and so per transaction: about 13 MB of COPY rows. A batch goes in key order
/// (see `EventBatchEncoder`), and the larger it is, the more of its keys share the unique index's
/// pages: the unique index cost 1.6 µs per row in batches of 50,000 against 2.5 in batches of 10,000.
/// Smaller batches mean less memory and less work lost when a batch meets keys already stored.
private let webhookBatchSize = 50_000

/// Encoded batches waiting for the writer: one keeps it busy while the reader encodes the next
/// (reader, queue and writer hold three batches at most).
private let webhookQueuedBatches = 1
