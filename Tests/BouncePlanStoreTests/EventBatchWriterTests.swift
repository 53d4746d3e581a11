import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The batch writer copies straight into `bounce_events` and falls back to the staged path when a
/// batch meets stored keys: whichever path a batch takes, every key is stored exactly once.
@Suite("Event batch writer")
struct EventBatchWriterTests {
    static func event(_ key: String, time: String? = "2026-11-28T08:00:00Z") -> NewBounceEvent {
        NewBounceEvent(
            occurredAt: time, recipient: "\(key)@example.com", smtpCode: 550, diagnostic: "550 5.1.1 unknown \(key)",
            sourceKey: key, reportedVerdict: "test: \(key)")
    }

    static func keys(_ range: ClosedRange<Int>) -> [String] { range.map { "key-\($0)" } }

    func store(_ keys: [String], batchSize: Int, into connection: Connection) throws -> EventBatchWriter {
        let writer = EventBatchWriter(connection: connection, batchSize: batchSize)
        for key in keys { try writer.add(Self.event(key)) }
        try writer.flush()
        return writer
    }

    func storedKeys(_ fixture: StoreFixture) throws -> [String] {
        try fixture.connection.query("SELECT source_key FROM bounce_events ORDER BY id").rows.compactMap { $0[0] }
    }

    /// Batches go in arrival order, the events of a batch in key order (byte order: `key-10` before `key-9`).
    @Test func newEventsAreStoredBatchByBatchInKeyOrderWithEveryField() throws {
        let fixture = try StoreFixture()
        let writer = try store(Self.keys(1...10), batchSize: 4, into: fixture.connection)
        #expect(writer.inserted == 10)
        #expect(writer.duplicates == 0)
        #expect(try storedKeys(fixture) == Self.keys(1...8) + ["key-10", "key-9"])
        let row = try fixture.connection.query("""
            SELECT recipient, smtp_code::text, diagnostic, kind, reported_verdict, occurred_at = '2026-11-28T08:00:00Z'
            FROM bounce_events WHERE source_key = 'key-7'
            """).rows.first
        #expect(row == ["key-7@example.com", "550", "550 5.1.1 unknown key-7", "bounce", "test: key-7", "t"])
    }

    /// Batches of 4 over keys 5…16 after 1…8 were stored: the first batch is all stored keys, the
    /// second half stored, the third new again, so every path and every switch between them is taken.
    @Test(arguments: [1, 3, 4, 5, 100])
    func batchesThatMeetStoredKeysStoreOnlyTheNewOnes(batchSize: Int) throws {
        let fixture = try StoreFixture()
        _ = try store(Self.keys(1...8), batchSize: batchSize, into: fixture.connection)
        let second = try store(Self.keys(5...16), batchSize: batchSize, into: fixture.connection)
        #expect(second.inserted == 8)
        #expect(second.duplicates == 4)
        #expect(try storedKeys(fixture).sorted() == Self.keys(1...16).sorted())
        let third = try store(Self.keys(1...16), batchSize: batchSize, into: fixture.connection)
        #expect(third.inserted == 0)
        #expect(third.duplicates == 16)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 16)
    }

    @Test func aKeyRepeatedWithinABatchIsStoredOnceTheFirstTime() throws {
        let fixture = try StoreFixture()
        let writer = EventBatchWriter(connection: fixture.connection, batchSize: 10)
        try writer.add(Self.event("same"))
        var later = Self.event("same")
        later.diagnostic = "a later copy"
        try writer.add(later)
        try writer.add(Self.event("other"))
        try writer.flush()
        #expect(writer.inserted == 2)
        #expect(writer.duplicates == 1)
        #expect(try fixture.connection.query("SELECT diagnostic FROM bounce_events WHERE source_key = 'same'").scalar
                == "550 5.1.1 unknown same")
    }

    /// Rows leave the encoder in key order, the first of each key kept, rows without a key last in
    /// arrival order; keys that share their first 16 bytes are told apart by the rest.
    @Test func theEncoderSortsByKeyAndKeepsTheFirstOfEachKey() throws {
        var encoder = EventBatchEncoder()
        let arrivals: [(key: String?, note: String)] = [
            ("b", "b first"), (nil, "keyless first"), ("a-long-key-sharing-16-bytes-2", "long 2"), ("a", "a first"),
            ("b", "b again"), ("a-long-key-sharing-16-bytes-1", "long 1"), (nil, "keyless second"), ("a", "a again"),
            ("a-long-key-sharing-16-bytes", "long prefix"),
        ]
        for arrival in arrivals {
            encoder.add(NewBounceEvent(occurredAt: "2026-11-28T08:00:00Z", recipient: "r@example.com", diagnostic: arrival.note, sourceKey: arrival.key))
        }
        #expect(encoder.eventCount == 9)
        let batch = encoder.take()
        #expect(batch.rowCount == 7)
        #expect(batch.repeatedKeys == 2)
        let notes = String(decoding: batch.chunks.joined(), as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t")[8] }
        #expect(notes == ["a first", "long prefix", "long 1", "long 2", "b first", "keyless first", "keyless second"])
        #expect(encoder.eventCount == 0)
        #expect(encoder.take().rowCount == 0)
    }

    @Test func anEventWithoutATimeGetsTheServersTime() throws {
        let fixture = try StoreFixture()
        let writer = EventBatchWriter(connection: fixture.connection, batchSize: 10)
        try writer.add(Self.event("timed"))
        try writer.add(Self.event("untimed", time: nil))
        try writer.flush()
        #expect(writer.inserted == 2)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events WHERE occurred_at IS NULL") == 0)
        #expect(try fixture.count(
            "SELECT count(*) FROM bounce_events WHERE source_key = 'untimed' AND occurred_at > now() - interval '1 hour'") == 1)
    }

    @Test func batchesEncodedElsewhereAreWrittenAfterWhatIsQueued() throws {
        let fixture = try StoreFixture()
        var encoder = EventBatchEncoder()
        for key in Self.keys(3...6) + ["key-3"] { encoder.add(Self.event(key)) }
        #expect(encoder.eventCount == 5)
        let batch = encoder.take()
        #expect(batch.rowCount == 4)
        #expect(batch.repeatedKeys == 1)
        #expect(encoder.eventCount == 0)
        let writer = EventBatchWriter(connection: fixture.connection, batchSize: 100)
        for key in Self.keys(1...3) { try writer.add(Self.event(key)) }
        try writer.write(batch)
        #expect(writer.inserted == 6)
        #expect(writer.duplicates == 2)  // key-3 queued before the batch, and its repeat inside it
        #expect(try storedKeys(fixture) == Self.keys(1...6))
    }

    /// Two writers racing over the same keys: the unique index refuses whichever straight copy comes
    /// second, and its staged retry skips what the other stored.
    @Test func concurrentWritersOfTheSameKeysStoreEachOnce() throws {
        let fixture = try StoreFixture()
        let keys = Self.keys(1...3000)
        let settings = fixture.database.settings
        let results = LockedResults()
        let group = DispatchGroup()
        for seed in 0..<2 {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let connection = try Connection(settings: settings)
                    // Different orders, so that each writer's batches meet the other's keys.
                    let order = seed == 0 ? keys : keys.reversed()
                    let writer = try store(order, batchSize: 250, into: connection)
                    results.add(inserted: writer.inserted, duplicates: writer.duplicates)
                } catch {
                    results.fail(error)
                }
            }.start()
        }
        group.wait()
        #expect(results.failure == nil, "\(String(describing: results.failure))")
        #expect(results.inserted == 3000)
        #expect(results.duplicates == 3000)
        #expect(try fixture.count("SELECT count(DISTINCT source_key) FROM bounce_events") == 3000)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 3000)
    }
}

/// What the racing writers report, collected across threads.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var inserted = 0
    private(set) var duplicates = 0
    private(set) var failure: String?

    func add(inserted: Int, duplicates: Int) {
        lock.withLock {
            self.inserted += inserted
            self.duplicates += duplicates
        }
    }

    func fail(_ error: any Error) { lock.withLock { failure = "\(error)" } }
}
