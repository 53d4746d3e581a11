import BouncePlanStore
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test func applyingTwiceIsANoOp() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let migrations = try Migration.load(directory: TestDatabase.repositoryRoot + "/Migrations")
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        let first = try Migrator(migrations: migrations).migrate(connection)
        #expect(first.applied == migrations.map(\.name))
        let second = try Migrator(migrations: migrations).migrate(connection)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == migrations.count)
        let recorded = try connection.query("SELECT name, checksum FROM schema_migrations ORDER BY version").rows
        #expect(recorded.map { $0[0] } == migrations.map(\.name))
        #expect(recorded.map { $0[1] } == migrations.map(\.checksum))
    }

    @Test func changedFileIsRefusedBeforeAnythingRuns() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        var migrations = try Migration.load(directory: TestDatabase.repositoryRoot + "/Migrations")
        try Migrator(migrations: migrations).migrate(connection)
        migrations[0].sql += "\n-- edited"
        migrations[0].checksum = "0000"
        let extra = Migration(version: 9999, name: "9999_extra.sql", sql: "CREATE TABLE extra (x int)", checksum: "abc")
        let error = #expect(throws: StoreError.self) { try Migrator(migrations: migrations + [extra]).migrate(connection) }
        #expect(error?.kind == .migration)
        #expect(error?.description.contains(migrations[0].name) == true)
        #expect(error?.description.contains("new numbered migration") == true)
        #expect(try connection.query("SELECT to_regclass('extra') IS NULL").scalar == "t")
    }

    @Test func failingMigrationLeavesNoTrace() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let broken = [
            Migration(version: 1, name: "0001_ok.sql", sql: "CREATE TABLE ok (x int)", checksum: "a"),
            Migration(version: 2, name: "0002_broken.sql", sql: "CREATE TABLE half (x int); SELECT no_such_function();", checksum: "b"),
        ]
        let error = #expect(throws: PostgresError.self) { try Migrator(migrations: broken).migrate(connection) }
        #expect(error?.context == "applying migration 0002_broken.sql")
        #expect(try connection.query("SELECT to_regclass('ok') IS NOT NULL, to_regclass('half') IS NULL").rows == [["t", "t"]])
        #expect(try connection.query("SELECT count(*) FROM schema_migrations").scalar == "1")
    }

    @Test func runRefusesAnUnmigratedDatabase() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let migrations = try Migration.load(directory: TestDatabase.repositoryRoot + "/Migrations")
        let error = #expect(throws: StoreError.self) { try Migrator(migrations: migrations).requireCurrent(connection) }
        #expect(error?.description.contains("bounceplan migrate") == true)
    }
}
