import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport
import Testing

/// "Nothing written" and "nothing changed", checked on every table a run, a review or an operator
/// can write, from an empty database and from one with a past.
@Suite("A run that must leave no trace")
struct RunLeavesNoTraceTests {
    /// The tables the old comparison left out; each must hold rows in the history below.
    static let onceForgotten = ["soft_bounces", "last_deliveries", "suppression_audit"]

    /// A fixture whose every writable table holds rows: a planned run with soft bounces and a
    /// delivery, manual changes in the audit log, and new events waiting for the next run.
    static func fixture(history: Bool) throws -> StoreFixture {
        let fixture = try StoreFixture()
        guard history else {
            try fixture.insert(Events.mixed)
            return fixture
        }
        // A storm too, so that `storms` and `storm_baselines` have rows to compare: every recipient at one
        // destination gone within the hour with one identical reply.
        let storm = (0..<120).map { index in
            Events.bounce("user\(index)@storm.example", 550, "5.1.1",
                          "550 5.1.1 <user\(index)@storm.example>: Recipient address rejected: User unknown in virtual mailbox table",
                          at: "2026-11-28T10:\(index % 60 < 10 ? "0" : "")\(index % 60):00Z")
        }
        try fixture.insert(Events.mixed + storm + [
            Events.bounce("delivered@example.com", 250, "2.0.0", "250 2.0.0 Ok: queued as 4XyZ1", kind: "delivery",
                          at: "2026-11-28T11:00:00Z"),
        ])
        try fixture.run()
        let control = ManualSuppression(connection: fixture.connection)
        try control.add("asked@example.com", why: "asked to be left alone")
        try control.remove("gone@example.com", why: "address reassigned")
        try fixture.insert([
            Events.bounce("full@example.org", 452, "4.2.2", "452 4.2.2 The email account that you tried to reach is over quota.",
                          kind: "deferral", at: "2026-11-29T10:00:00Z"),
            Events.bounce("gone@example.com", 550, "5.1.1", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown",
                          at: "2026-11-29T10:00:00Z"),
            Events.bounce("delivered@example.com", 250, "2.0.0", "250 2.0.0 Ok: queued as 5AbC2", kind: "delivery",
                          at: "2026-11-29T10:00:00Z"),
        ])
        for table in try fixture.writableTables() {
            let rows = try fixture.count("SELECT count(*) FROM \(ScratchDatabase.quoted(table))")
            try #require(rows > 0, "the history should give \(table) rows to compare")
        }
        return fixture
    }

    @Test("the comparison sees a change in every table, the once forgotten ones included")
    func theDumpSeesEveryTable() throws {
        let fixture = try Self.fixture(history: true)
        let tables = try fixture.writableTables()
        #expect(Set(Self.onceForgotten).isSubset(of: tables), "\(tables)")
        let before = try fixture.dump()
        for table in tables {
            try fixture.connection.query("BEGIN")
            // The audit log's trigger refuses deletes; within this rolled-back transaction it is off.
            try fixture.connection.query("ALTER TABLE \(ScratchDatabase.quoted(table)) DISABLE TRIGGER USER")
            try fixture.connection.query(
                "DELETE FROM \(ScratchDatabase.quoted(table)) WHERE ctid = (SELECT ctid FROM \(ScratchDatabase.quoted(table)) LIMIT 1)")
            #expect(try fixture.dump() != before, "deleting a row of \(table) went unnoticed")
            try fixture.connection.query("ROLLBACK")
        }
        #expect(try fixture.dump() == before)
    }

    @Test("a dry run writes nothing", arguments: [false, true])
    func dryRunWritesNothing(history: Bool) throws {
        let fixture = try Self.fixture(history: history)
        let before = try fixture.dump()
        let summary = try fixture.run(PlanRunOptions(dryRun: true))
        #expect(summary.events > 0)
        #expect(try fixture.dump() == before)
    }

    @Test("a failure anywhere changes nothing", arguments: PlanStage.allCases, [false, true])
    func injectedFailureChangesNothing(stage: PlanStage, history: Bool) throws {
        let fixture = try Self.fixture(history: history)
        let before = try fixture.dump()
        #expect(throws: InjectedFailure.self) { try fixture.run(PlanRunOptions(failAt: stage)) }
        #expect(try fixture.dump() == before)
    }

    @Test("a second run with no new events changes nothing", arguments: [false, true])
    func secondRunChangesNothing(history: Bool) throws {
        let fixture = try Self.fixture(history: history)
        #expect(try fixture.run().events > 0)
        let afterFirst = try fixture.dump()
        #expect(try fixture.run().events == 0)
        #expect(try fixture.dump() == afterFirst)
    }
}
