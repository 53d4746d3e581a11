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

    /// Events planned by a later run although their id is below an earlier run's highest: they
    /// committed after that run took its snapshot, which is the race the watermark must survive.
    static func lateCommits(_ fixture: StoreFixture) throws -> Int {
        try fixture.count("""
            SELECT count(*) FROM event_outcomes o
            WHERE EXISTS (SELECT 1 FROM plan_runs r WHERE r.id < o.run_id AND o.event_id < r.last_event_id)
            """)
    }

    @Test func everyCommittedEventIsPlannedExactlyOnceWhileWritersRun() throws {
        let fixture = try StoreFixture()
        let settings = fixture.database.settings
        let stop = Flag()
        let errors = ErrorLog()
        let finished = DispatchGroup()
        let writers = (0..<3).map { writer in
            Thread {
                defer { finished.leave() }
                var random = SplitMix64(seed: 0xB0CE + UInt64(writer))
                do {
                    let connection = try Connection(settings: settings)
                    var batch = 0
                    while !stop.isSet {
                        batch += 1
                        let events = (0..<Int.random(in: 1...20, using: &random)).map { index in
                            Events.bounce("w\(writer)-\(batch)-\(index)@example.com", 550, "5.1.1", "550 5.1.1 User unknown",
                                          message: "<w\(writer).\(batch).\(index)@news.example>")
                        }
                        try connection.query("BEGIN")
                        _ = try EventInserter.insertUnkeyed(events, into: connection)
                        // Hold some transactions open so that lower ids commit after higher ones.
                        if batch % 3 == 0 { usleep(UInt32.random(in: 1_000...30_000, using: &random)) }
                        // Some transactions roll back: their ids must never be planned.
                        try connection.query(batch % 7 == 0 ? "ROLLBACK" : "COMMIT")
                    }
                } catch {
                    errors.record("writer \(writer): \(error)")
                }
            }
        }
        writers.forEach { finished.enter(); $0.start() }
        // Run until a late commit has straddled a run at least once (bounded: the writers make it likely).
        var runs = 0
        while try runs < 8 || (Self.lateCommits(fixture) == 0 && runs < 80) {
            try fixture.run()
            runs += 1
            usleep(50_000)
        }
        stop.set()
        try #require(finished.wait(timeout: .now() + 30) == .success, "the writers did not stop")
        #expect(errors.messages.isEmpty, "\(errors.messages)")
        try fixture.run()
        #expect(try Self.lateCommits(fixture) > 0, "no event committed behind a run's snapshot in \(runs) runs: the race never happened")
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

/// Errors the writer threads met, for the test to fail on.
final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var messages: [String] { lock.withLock { stored } }
    func record(_ message: String) { lock.withLock { stored.append(message) } }
}

/// A flag shared between the test and its writer threads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
