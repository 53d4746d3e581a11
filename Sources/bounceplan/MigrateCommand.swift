import ArgumentParser
import BouncePlanStore
import Postgres

/// Creates or upgrades the schema.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the numbered SQL files of Migrations/ that the database lacks.",
        discussion: """
            Each file runs in its own transaction and is recorded in schema_migrations with its SHA-256. \
            Running it again does nothing; a file changed after it was applied is refused.
            """)

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let migrations = try Migration.load(directory: try connection.resolvedMigrationsDirectory())
        let database = try Connection(settings: connection.settings)
        let outcome = try Migrator(migrations: migrations).migrate(database)
        if outcome.applied.isEmpty {
            print("schema is up to date (\(migrations.count) migrations applied)")
        } else {
            for name in outcome.applied { print("applied \(name)") }
        }
    }
}
