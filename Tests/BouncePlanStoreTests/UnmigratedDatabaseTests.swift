import Foundation
import Postgres
import TestSupport
import Testing

/// Every command that needs the schema, pointed at a database that was never migrated.
@Suite("An unmigrated database")
struct UnmigratedDatabaseTests {
    @Test("every command says to run bounceplan migrate first", arguments: [
        ["sample-events", "--count", "10"],
        ["ingest", "dsn", "/dev/null"],
        ["ingest", "arf", "/dev/null"],
        ["ingest", "postfix-log", "-"],
        ["review", "list"],
        ["review", "release", "--all", "--reason", "test"],
        ["review", "discard", "--all", "--reason", "test"],
        ["explain", "someone@example.com"],
        ["run"],
        ["status"],
        ["export", "suppressions"],
        ["report"],
        ["suppress", "show", "someone@example.com"],
    ])
    func saysMigrateFirst(arguments: [String]) throws {
        let database = try TestDatabase()
        let result = try ProgramRunner.bounceplan(arguments + ["--database-url", database.settings.conninfo], timeout: .seconds(60))
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("run `bounceplan migrate` first"), "\(result.stderr)")
        #expect(!result.stderr.contains("SQLSTATE"), "\(result.stderr)")
    }
}
