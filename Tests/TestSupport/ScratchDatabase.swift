import Foundation
import Postgres

/// A database of its own on a given server, optionally a copy of another one (`CREATE DATABASE …
/// TEMPLATE`), dropped when released. Copies let a test run the same events twice, once interrupted
/// and once not, and compare the results.
public final class ScratchDatabase {
    public let name: String
    /// Settings that reach this database.
    public let settings: ConnectionSettings
    private let serverURL: String

    /// Creates the database on the server `serverURL` points at (any database of it will do).
    /// The template must have no other session connected to it; PostgreSQL waits a few seconds for
    /// sessions that are closing.
    public init(serverURL: String, template: String? = nil) throws {
        self.serverURL = serverURL
        name = "bp_scratch_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try Connection(settings: ConnectionSettings(conninfo: serverURL))
        // Identifiers cannot be parameters: the names are quoted, and ours or PostgreSQL's.
        let source = template.map(Self.quoted) ?? "template0"
        try admin.query("CREATE DATABASE \(Self.quoted(name)) TEMPLATE \(source) ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        settings = ConnectionSettings(conninfo: serverURL).replacingDatabase(name)
    }

    /// A copy of a ``TestDatabase`` on the server of `DATABASE_URL`.
    public convenience init(copyOf source: TestDatabase) throws {
        guard let base = ProcessInfo.processInfo.environment["DATABASE_URL"], !base.isEmpty else {
            throw TestDatabase.NotConfigured()
        }
        try self.init(serverURL: base, template: source.name)
    }

    deinit {
        if let admin = try? Connection(settings: ConnectionSettings(conninfo: serverURL)) {
            _ = try? admin.query("DROP DATABASE IF EXISTS \(Self.quoted(name)) WITH (FORCE)")
        }
    }

    public func connect() throws -> Connection {
        try Connection(settings: settings)
    }

    /// A double-quoted SQL identifier.
    public static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
