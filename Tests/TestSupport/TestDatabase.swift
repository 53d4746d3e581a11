import Foundation
import Postgres

/// A database of its own for one test, created on the server named by `DATABASE_URL` and dropped
/// when released. Tests fail (never skip) when no server is configured: `make test` starts one.
public final class TestDatabase: @unchecked Sendable {
    /// Settings that reach this test's database.
    public let settings: ConnectionSettings
    public let name: String
    private let adminSettings: ConnectionSettings

    /// The repository's root folder, for Migrations/ and Config/.
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "DATABASE_URL is not set: run the tests with `make test`, which starts a throwaway PostgreSQL, or point DATABASE_URL at a server where this user may CREATE DATABASE"
        }
    }

    /// Creates an empty database; `encoding` lets a test ask for `SQL_ASCII`.
    public init(encoding: String = "UTF8") throws {
        guard let base = ProcessInfo.processInfo.environment["DATABASE_URL"], !base.isEmpty else {
            throw NotConfigured()
        }
        adminSettings = ConnectionSettings(conninfo: base)
        name = "bp_test_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try Connection(settings: adminSettings)
        // Identifiers cannot be parameters; the name is ours and quoted, the encoding one of two words.
        precondition(["UTF8", "SQL_ASCII"].contains(encoding))
        try admin.query("CREATE DATABASE \"\(name)\" TEMPLATE template0 ENCODING '\(encoding)' LC_COLLATE 'C' LC_CTYPE 'C'")
        settings = adminSettings.replacingDatabase(name)
    }

    deinit {
        if let admin = try? Connection(settings: adminSettings) {
            _ = try? admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        }
    }

    public func connect() throws -> Connection {
        try Connection(settings: settings)
    }
}
