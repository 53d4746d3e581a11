import ArgumentParser
import BouncePlanStore
import Foundation
import Postgres

/// How to reach PostgreSQL, shared by every command that needs it.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "libpq conninfo or postgresql:// URL (default: $DATABASE_URL, else libpq's PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD and ~/.pgpass).",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .customLong("migrations-dir"), help: ArgumentHelp(
        "Folder of numbered migration files (default: $BOUNCEPLAN_MIGRATIONS_DIR, else ./Migrations, else the one installed beside the program).",
        valueName: "dir"))
    var migrationsDirectory: String?

    var settings: ConnectionSettings {
        ConnectionSettings.resolve(explicit: databaseURL, environment: ProcessInfo.processInfo.environment)
    }

    func resolvedMigrationsDirectory() throws -> String {
        try ResourceFolder.locate(
            explicit: migrationsDirectory, environmentVariable: "BOUNCEPLAN_MIGRATIONS_DIR", name: "Migrations",
            mustContain: nil, option: "--migrations-dir")
    }

    /// A connection to a database that has every migration this program knows (else a clear error).
    func openCurrent() throws -> Connection {
        let migrations = try Migration.load(directory: try resolvedMigrationsDirectory())
        let database = try Connection(settings: settings)
        try Migrator(migrations: migrations).requireCurrent(database)
        try database.setSetting("TimeZone", to: "UTC")
        return database
    }
}
