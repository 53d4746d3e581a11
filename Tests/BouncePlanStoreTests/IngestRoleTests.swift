import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `sql/roles.sql`'s bounceplan_ingest: what `bounceplan ingest` needs and nothing more.
@Suite("The ingest role")
struct IngestRoleTests {
    @Test func theIngestRoleCanIngestAndCannotPlanOrReadThePlans() throws {
        let fixture = try StoreFixture()
        let script = try String(contentsOfFile: TestDatabase.repositoryRoot + "/sql/roles.sql", encoding: .utf8)
        try fixture.connection.execute(script: script)
        let login = "ingest_\(UInt32.random(in: 0...UInt32.max))"
        try fixture.connection.query("CREATE ROLE \"\(login)\" LOGIN IN ROLE bounceplan_ingest")
        defer {
            _ = try? fixture.connection.query("DROP OWNED BY \"\(login)\"")
            _ = try? fixture.connection.query("DROP ROLE IF EXISTS \"\(login)\"")
        }
        let conninfo = fixture.database.settings.conninfo
        let url = conninfo + (conninfo.contains("?") ? "&user=\(login)" : " user=\(login)")
        let message = TestDatabase.repositoryRoot + "/Tests/BounceIngestTests/Messages/dsn_postfix.eml"

        // It can ingest, twice without duplicates (the idempotency check reads source_key).
        let first = try ProgramRunner.bounceplan(["ingest", "dsn", message, "--database-url", url])
        #expect(first.exited(0), "\(first)")
        let stored = try fixture.count("SELECT count(*) FROM bounce_events")
        #expect(stored > 0)
        #expect(try fixture.count("SELECT count(DISTINCT source_key) FROM bounce_events") == stored)
        let again = try ProgramRunner.bounceplan(["ingest", "dsn", message, "--database-url", url])
        #expect(again.exited(0), "\(again)")
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == stored)

        // It cannot plan: the run is refused for lack of privilege and leaves nothing.
        let run = try ProgramRunner.bounceplan(["run", "--database-url", url])
        #expect(run.exited(1), "\(run)")
        #expect(run.stderr.contains("permission denied"), "\(run.stderr)")
        #expect(try PlanTables.totalRows(fixture.connection) == 0)

        let ingest = try Connection(settings: ConnectionSettings(conninfo: url))
        #expect(try ingest.query("SELECT current_user").scalar == login)
        for statement in [
            "SELECT recipient, diagnostic FROM bounce_events",
            "UPDATE bounce_events SET recipient = 'x'",
            "DELETE FROM bounce_events",
            "SELECT * FROM suppressions",
            "INSERT INTO plan_runs DEFAULT VALUES",
            "INSERT INTO suppression_audit (action, recipient, why) VALUES ('add', 'x@example.com', 'x')",
            "CREATE TABLE intruder (x int)",
        ] {
            let error = #expect(throws: PostgresError.self) { try ingest.query(statement) }
            #expect(error?.sqlState == "42501", "\(statement) should be refused for lack of privilege")
        }
    }
}
