import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Events written while runs happen")
struct ConcurrentWriterTests {
    @Test func lateCommitOfALowerIdIsPlannedInTheNextRun() throws {
        let fixture = try StoreFixture()
        let slow = try fixture.database.connect()
        let fast = try fixture.database.connect()
        try slow.query("BEGIN")
        try EventInserter.insertUnkeyed([Events.mixed[0]], into: slow)  // takes the lower id, commits last
        try fast.transaction { try EventInserter.insertUnkeyed([Events.mixed[1]], into: fast) }
        let first = try fixture.run()
        #expect(first.firstEventID == 2 && first.lastEventID == 2)
        try slow.query("COMMIT")
        let second = try fixture.run()
        #expect(second.firstEventID == 1 && second.lastEventID == 1)
        #expect(try fixture.run().events == 0)
        let planned = try fixture.connection.query("SELECT event_id FROM event_outcomes ORDER BY 1").rows.map { $0[0] }
        #expect(planned == ["1", "2"])
    }

    @Test func everyCommittedEventIsPlannedExactlyOnceWhileWritersRun() throws {
        let fixture = try StoreFixture()
        let settings = fixture.database.settings
        let stop = Flag()
        let writers = (0..<3).map { writer in
            Thread {
                guard let connection = try? Connection(settings: settings) else { return }
                var batch = 0
                while !stop.isSet {
                    batch += 1
                    let events = (0..<Int.random(in: 1...20)).map { index in
                        Events.bounce("w\(writer)-\(batch)-\(index)@example.com", 550, "5.1.1", "550 5.1.1 User unknown",
                                      message: "<w\(writer).\(batch).\(index)@news.example>")
                    }
                    _ = try? connection.query("BEGIN")
                    _ = try? EventInserter.insertUnkeyed(events, into: connection)
                    // Hold some transactions open so that lower ids commit after higher ones.
                    if batch % 3 == 0 { usleep(UInt32.random(in: 1_000...30_000)) }
                    // Some transactions roll back: their ids must never be planned.
                    _ = try? connection.query(batch % 7 == 0 ? "ROLLBACK" : "COMMIT")
                }
            }
        }
        writers.forEach { $0.start() }
        for _ in 0..<8 {
            try fixture.run()
            usleep(50_000)
        }
        stop.set()
        Thread.sleep(forTimeInterval: 0.3)
        try fixture.run()
        let duplicates = try fixture.count("SELECT count(*) - count(DISTINCT event_id) FROM event_outcomes")
        let missing = try fixture.count("SELECT count(*) FROM bounce_events e WHERE NOT EXISTS (SELECT 1 FROM event_outcomes o WHERE o.event_id = e.id)")
        let phantom = try fixture.count("SELECT count(*) FROM event_outcomes o WHERE NOT EXISTS (SELECT 1 FROM bounce_events e WHERE e.id = o.event_id)")
        let total = try fixture.count("SELECT count(*) FROM bounce_events")
        #expect(total > 100)
        #expect(duplicates == 0)
        #expect(missing == 0)
        #expect(phantom == 0)
        #expect(try fixture.count("SELECT sum(event_count) FROM plan_runs") == total)
    }
}

/// A flag shared between the test and its writer threads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
