import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 15: the run's speed must not depend on the query planner's statistics. The pathological case
/// is a DBA's routine `VACUUM ANALYZE` of plan tables that are empty at that moment: the statistics then
/// say "empty" while the run fills them, which, with hash and merge joins switched off, turned the
/// existence checks into sequential rescans inside nested loops. The least-privilege role cannot
/// ANALYZE the plan tables at all, so the run must not need it to.
@Suite("No planner luck: a night after the plan tables were analysed empty, as the owner and as bounceplan_planner")
struct PlannerLuckTests {
    static let events = 100_000
    /// Midnight UTC, 2026-11-27.
    static let newest = 1_795_737_600
    /// The check: far above what any plan statement needs at this size (a few seconds each in a debug build, several times that
    /// on a loaded machine), far below what a statement that rescans a growing table for each of
    /// tonight's rows takes (minutes at 100 k). A timeout fails the run, so no wall-clock figure is asserted.
    static let statementTimeout = "60s"

    enum Role: String, CaseIterable, Sendable { case owner, planner }

    @Test("a 100 k night after TRUNCATE + VACUUM ANALYZE of every plan table", arguments: Role.allCases)
    func aNightAfterThePlanTablesWereAnalyzedEmpty(role: Role) throws {
        let fixture = try StoreFixture()
        try Self.sample(seed: 42, newest: Self.newest, fixture)
        try fixture.run(Self.options(now: Self.newest))
        // The statistics now say every plan table is empty; the next night fills them again.
        let tables = try PlanTables.decisionTables(fixture.connection).filter { $0 != "suppression_audit" }
        try fixture.connection.query("TRUNCATE " + tables.map(ScratchDatabase.quoted).joined(separator: ", "))
        for table in tables { try fixture.connection.query("VACUUM ANALYZE \(ScratchDatabase.quoted(table))") }
        try Self.sample(seed: 42, newest: Self.newest + 86_400, fixture)

        let runner = try Self.runner(role, fixture)
        let summary = try runner.run(Self.options(now: Self.newest + 86_400))
        #expect(summary.events == Self.events)
        #expect(try fixture.count("SELECT count(*) FROM suppressions") > 1_000)
        #expect(try fixture.count("SELECT count(*) FROM retry_schedule") > 1_000)
    }

    @Test("the run as bounceplan_planner decides exactly what the owner's run decides")
    func thePlannerRoleDecidesAsTheOwner() throws {
        var dumps: [[String: [String]]] = []
        for role in Role.allCases {
            let fixture = try StoreFixture()
            try Self.sample(seed: 9, newest: Self.newest, fixture, count: 20_000)
            _ = try Self.runner(role, fixture).run(Self.options(now: Self.newest))
            dumps.append(try PlanTables.canonicalDump(fixture.connection))
        }
        #expect(PlanTables.firstDifference(dumps[0], dumps[1]) == nil)
        #expect((dumps[0]["suppressions"]?.count ?? 0) > 0)
    }

    static func options(now: Int) -> PlanRunOptions {
        var options = PlanRunOptions()
        options.now = Timestamp(secondsSinceEpoch: Int64(now + 3_600))
        options.statementTimeout = statementTimeout
        return options
    }

    static func sample(seed: UInt64, newest: Int, _ fixture: StoreFixture, count: Int = events) throws {
        let sampled = try ProgramRunner.bounceplan([
            "sample-events", "--count", String(count), "--seed", String(seed), "--tail-domains", "3000",
            "--newest", String(newest), "--span", "24h", "--database-url", fixture.database.settings.conninfo,
        ], timeout: .seconds(300))
        try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
    }

    /// A runner connecting as the owner, or as a fresh login in `bounceplan_planner` (sql/roles.sql).
    static func runner(_ role: Role, _ fixture: StoreFixture) throws -> PlanRunner {
        guard role == .planner else { return fixture.runner() }
        let script = try String(contentsOfFile: TestDatabase.repositoryRoot + "/sql/roles.sql", encoding: .utf8)
        try fixture.connection.execute(script: script)
        let login = "luck_\(UInt32.random(in: 0...UInt32.max))"
        try fixture.connection.query("CREATE ROLE \"\(login)\" LOGIN IN ROLE bounceplan_planner")
        let conninfo = fixture.database.settings.conninfo
        let settings = ConnectionSettings(conninfo: conninfo + (conninfo.contains("?") ? "&user=\(login)" : " user=\(login)"))
        return PlanRunner(settings: settings, classifier: fixture.classifier, programVersion: "test")
    }
}
