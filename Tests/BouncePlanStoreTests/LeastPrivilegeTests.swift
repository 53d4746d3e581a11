import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Least privilege")
struct LeastPrivilegeTests {
    @Test func runWorksAsThePlannerRoleWhichCannotTouchAnythingElse() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let script = try String(contentsOfFile: TestDatabase.repositoryRoot + "/sql/roles.sql", encoding: .utf8)
        try fixture.connection.execute(script: script)
        let login = "planner_\(UInt32.random(in: 0...UInt32.max))"
        try fixture.connection.query("CREATE ROLE \"\(login)\" LOGIN IN ROLE bounceplan_planner")
        defer {
            _ = try? fixture.connection.query("DROP OWNED BY \"\(login)\"")
            _ = try? fixture.connection.query("DROP ROLE IF EXISTS \"\(login)\"")
        }
        let settings = ConnectionSettings(conninfo: fixture.database.settings.conninfo + (fixture.database.settings.conninfo.contains("?") ? "&user=\(login)" : " user=\(login)"))
        let runner = PlanRunner(settings: settings, classifier: fixture.classifier, programVersion: "test")
        let summary = try runner.run()
        #expect(summary.events == Events.mixed.count)
        #expect(try fixture.count("SELECT count(*) FROM plan_runs WHERE database_user = $1", [login]) == 1)

        let planner = try Connection(settings: settings)
        #expect(try planner.query("SELECT current_user").scalar == login)
        #expect(try planner.query("SELECT count(*) FROM event_outcomes").scalar == String(Events.mixed.count))
        #expect(try planner.query("SELECT count(*) FROM pg_inherits WHERE inhrelid = 'event_outcomes_from_1'::regclass").scalar == "1")
        for statement in [
            "INSERT INTO bounce_events (recipient) VALUES ('x@example.com')",
            "DELETE FROM bounce_events",
            "UPDATE bounce_events SET recipient = 'x'",
            "DROP TABLE suppressions",
            "CREATE TABLE intruder (x int)",
            "ALTER TABLE suppressions ADD COLUMN x int",
            "UPDATE suppression_audit SET why = 'x'",
            "DELETE FROM suppression_audit",
            // The run's evidence partition (migration 0010) was created and attached by the owner's functions:
            // the planner reaches it through event_outcomes only, and cannot change the partitioning.
            "INSERT INTO event_outcomes_from_1 (event_id, run_id, occurred_at, outcome, reason, rule_id) VALUES (0, 0, now(), 'x', 'x', 'x')",
            "ALTER TABLE event_outcomes DETACH PARTITION event_outcomes_from_1",
            "CREATE TABLE event_outcomes_from_999999 (LIKE event_outcomes)",
        ] {
            let error = #expect(throws: PostgresError.self) { try planner.query(statement) }
            #expect(error?.sqlState == "42501", "\(statement) should be refused for lack of privilege")
        }
    }
}
