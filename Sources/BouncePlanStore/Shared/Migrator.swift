import Digest
import Foundation
import BouncePlanning
import Postgres

/// One numbered SQL file of `Migrations/`.
public struct Migration: Sendable, Equatable {
    /// The number before the first underscore (`0002_plans.sql` → 2).
    public var version: Int
    public var name: String
    public var sql: String
    /// SHA-256 of the file's bytes, recorded when applied.
    public var checksum: String

    public init(version: Int, name: String, sql: String, checksum: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = checksum
    }

    /// Reads every `NNNN_name.sql` in `directory`, in version order.
    public static func load(directory: String) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StoreError(.migration, "cannot read the migrations folder \(directory): pass --migrations-dir or set BOUNCEPLAN_MIGRATIONS_DIR")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            guard let underscore = file.firstIndex(of: "_"), let version = Int(file[..<underscore]) else {
                throw StoreError(.migration, "migration file \(file) in \(directory) does not start with a number and an underscore (e.g. 0003_name.sql)")
            }
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else {
                throw StoreError(.migration, "cannot read migration file \(directory)/\(file)")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw StoreError(.migration, "migrations \(clash.name) and \(file) share the number \(version)")
            }
            migrations.append(Migration(
                version: version, name: file, sql: String(decoding: data, as: UTF8.self),
                checksum: SHA256.hex(Array(data))))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}

/// Applies migrations in order, each in its own transaction, recorded in `schema_migrations`.
public struct Migrator {
    /// Advisory lock key for migrations, distinct from the run lock.
    static let lockKey: Int64 = 0x626f_756e_6365_6d67  // "bouncemg"

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// What `migrate` did.
    public struct Outcome: Sendable, Equatable {
        public var applied: [String]
        public var alreadyApplied: Int
    }

    /// Applies what is missing. An applied file whose content changed is refused before anything runs.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> Outcome {
        try connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        // Waits for a concurrent migrate rather than racing it.
        try connection.query("SELECT pg_advisory_lock($1::bigint)", [String(Self.lockKey)])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1::bigint)", [String(Self.lockKey)]) }

        let recorded = try appliedChecksums(connection)
        for migration in migrations {
            if let checksum = recorded[migration.version], checksum != migration.checksum {
                throw StoreError(.migration, """
                    migration \(migration.name) was changed after it was applied (recorded checksum \(checksum.prefix(12))…, file now \(migration.checksum.prefix(12))…): \
                    restore the original file and put the change in a new numbered migration
                    """)
            }
        }
        var applied: [String] = []
        for migration in migrations where recorded[migration.version] == nil {
            do {
                try connection.transaction {
                    try connection.execute(script: migration.sql)
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                        [String(migration.version), migration.name, migration.checksum])
                }
            } catch let error as PostgresError {
                var wrapped = error
                wrapped.context = "applying migration \(migration.name)"
                throw wrapped
            }
            applied.append(migration.name)
        }
        return Outcome(applied: applied, alreadyApplied: recorded.count)
    }

    /// Fails with advice when the database lacks migrations this program needs.
    public func requireCurrent(_ connection: Connection) throws {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").scalar == "t"
        let recorded = exists ? try appliedChecksums(connection) : [:]
        let missing = migrations.filter { recorded[$0.version] == nil }
        if !missing.isEmpty {
            throw StoreError(.schema, "the database at \(connection.target) lacks migrations \(missing.map(\.name).joined(separator: ", ")): run `bounceplan migrate` first")
        }
    }

    private func appliedChecksums(_ connection: Connection) throws -> [Int: String] {
        var recorded: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations").rows {
            if let version = row[0].flatMap({ Int($0) }), let checksum = row[1] { recorded[version] = checksum }
        }
        return recorded
    }
}
