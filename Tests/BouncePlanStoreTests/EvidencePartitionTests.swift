import BouncePlanStore
import Postgres
import TestSupport
import Testing

/// The evidence is partitioned by ranges of event id, one partition per run whose primary key is built
/// after its rows are in (migration 0010): every event must still have exactly one evidence row, found
/// by its id, including an event that committed after a later event was already planned.
@Suite("Evidence partitions")
struct EvidencePartitionTests {
    /// `event_outcomes`' partitions and their bounds, in bound order.
    static func partitions(_ connection: Connection) throws -> [[String?]] {
        try connection.query("""
            SELECT c.relname::text, pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'event_outcomes'::regclass
            ORDER BY c.relname = 'event_outcomes_before_0010' DESC,
                     (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''?(-?[0-9]+)''?\\)'))[1]::bigint
            """).rows
    }

    /// A first night planned while one event id is taken by a transaction that has not committed: that id
    /// (a late commit) lies below the next night's partition.
    static func firstNightWithALateID() throws -> (fixture: StoreFixture, late: Int) {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let late = try #require(fixture.connection.query(
            "SELECT nextval(pg_get_serial_sequence('bounce_events', 'id'))").scalar.flatMap { Int($0) })
        try fixture.insert([Events.bounce("after@example.com", 550, "5.1.1", "550 5.1.1 <after@example.com>: User unknown")])
        try fixture.run()
        return (fixture, late)
    }

    @Test func eachRunAttachesItsOwnPartitionAndALateEventFindsTheOneHoldingItsID() throws {
        let (fixture, late) = try Self.firstNightWithALateID()
        let highest = try fixture.count("SELECT max(id) FROM bounce_events")
        #expect(try Self.partitions(fixture.connection) == [
            ["event_outcomes_before_0010", "FOR VALUES FROM (MINVALUE) TO ('1')"],
            ["event_outcomes_from_1", "FOR VALUES FROM ('1') TO ('\(highest + 1)')"],
        ])

        try fixture.connection.query("""
            INSERT INTO bounce_events (id, occurred_at, recipient, smtp_code, enhanced_status, diagnostic, kind)
            VALUES ($1, '2026-11-28T11:00:00Z', 'latecomer@example.org', 550, '5.1.1', '550 5.1.1 <latecomer@example.org>: User unknown', 'bounce')
            """, [String(late)])
        try fixture.insert([Events.bounce("next@example.com", 550, "5.1.1", "550 5.1.1 <next@example.com>: User unknown")])
        let second = try fixture.run()
        #expect(second.events == 2)
        #expect(second.planCounts["event_outcomes"] == 2)
        let newest = try fixture.count("SELECT max(id) FROM bounce_events")
        #expect(try Self.partitions(fixture.connection).map { $0[0] } == [
            "event_outcomes_before_0010", "event_outcomes_from_1", "event_outcomes_from_\(highest + 1)",
        ])
        #expect(try Self.partitions(fixture.connection).last?[1] == "FOR VALUES FROM ('\(highest + 1)') TO ('\(newest + 1)')")

        // Every event has exactly one evidence row; the late one sits in the first run's partition.
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes") == Events.mixed.count + 3)
        #expect(try fixture.count("""
            SELECT count(*) FROM bounce_events e WHERE (SELECT count(*) FROM event_outcomes o WHERE o.event_id = e.id) <> 1
            """) == 0)
        #expect(try fixture.connection.query(
            "SELECT tableoid::regclass::text, outcome FROM event_outcomes WHERE event_id = $1", [String(late)]).rows
            == [["event_outcomes_from_1", "suppress"]])
        // A lookup by id reads one partition.
        let plan = try fixture.connection.query(
            "EXPLAIN SELECT * FROM event_outcomes WHERE event_id = \(late)").rows.compactMap { $0[0] }.joined(separator: "\n")
        #expect(plan.contains("event_outcomes_from_1"))
        #expect(!plan.contains("event_outcomes_from_\(highest + 1)") && !plan.contains("before_0010"), "\(plan)")

        // `explain` finds the late event's evidence.
        let history = try RecipientHistory.load("latecomer@example.org", from: fixture.connection)
        #expect(history.events.map(\.id) == [late])
        #expect(history.events.map(\.outcome) == ["suppress"])
    }

    @Test func aRunWithOnlyLateEventsOrADryRunLeavesNoNewPartition() throws {
        let (fixture, late) = try Self.firstNightWithALateID()
        let before = try Self.partitions(fixture.connection)

        try fixture.insert([Events.bounce("dry@example.com", 550, "5.1.1", "550 5.1.1 <dry@example.com>: User unknown")])
        var dry = PlanRunOptions()
        dry.dryRun = true
        #expect(try fixture.run(dry).events == 1)
        #expect(try Self.partitions(fixture.connection) == before)
        #expect(try fixture.count("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'event_outcomes_from_%'") == before.count - 1)

        try fixture.connection.query("DELETE FROM bounce_events WHERE recipient = 'dry@example.com'")
        try fixture.connection.query("""
            INSERT INTO bounce_events (id, occurred_at, recipient, smtp_code, enhanced_status, diagnostic, kind)
            VALUES ($1, '2026-11-28T11:00:00Z', 'latecomer@example.org', 550, '5.1.1', '550 5.1.1 <latecomer@example.org>: User unknown', 'bounce')
            """, [String(late)])
        #expect(try fixture.run().events == 1)
        #expect(try Self.partitions(fixture.connection) == before)
        #expect(try fixture.count("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'event_outcomes_from_%'") == before.count - 1)
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes WHERE event_id = $1", [String(late)]) == 1)
    }
}
