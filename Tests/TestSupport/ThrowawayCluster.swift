import Foundation
import Postgres

/// A PostgreSQL cluster of the test's own, started with `scripts/db.sh` under its own state name and
/// stopped when released, so that a test may restart or stop the server without disturbing others.
public final class ThrowawayCluster {
    /// The name under which `scripts/db.sh` records the cluster (`BOUNCEPLAN_PG_STATE`).
    public let stateName: String
    /// The folder holding `data/`, the socket and `server.log`.
    public let folder: String
    /// A URL to the cluster's `postgres` database.
    public let url: String

    /// The cluster could not be started, stopped or restarted.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        stateName = ".pg-restart-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let started = try Self.dbScript("start", stateName: stateName)
        guard started.exited(0) else {
            throw Failure(description: "scripts/db.sh start failed: \(started)")
        }
        let location = TestDatabase.repositoryRoot + "/\(stateName)/location"
        folder = (try? String(contentsOfFile: location, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let printed = try Self.dbScript("url", stateName: stateName)
        url = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard printed.exited(0), !folder.isEmpty, !url.isEmpty else {
            stop()
            throw Failure(description: "scripts/db.sh url failed: \(printed)")
        }
    }

    deinit { stop() }

    /// Settings for another database of this cluster.
    public func settings(database: String) -> ConnectionSettings {
        ConnectionSettings(conninfo: url).replacingDatabase(database)
    }

    /// Stops the cluster and removes its folders; safe to call twice.
    public func stop() {
        _ = try? Self.dbScript("stop", stateName: stateName)
        try? FileManager.default.removeItem(atPath: TestDatabase.repositoryRoot + "/\(stateName)")
    }

    /// Restarts the server the way a crash or a failover does: `pg_ctl restart -m immediate`, which
    /// kills every backend without a checkpoint, then waits until it accepts connections again.
    @discardableResult
    public func restartImmediately() throws -> ProgramResult {
        let pgCtl = try Self.pgCtl()
        let arguments = ["-D", folder + "/data", "-l", folder + "/server.log", "-m", "immediate", "-w", "-t", "60", "restart"]
        let result = getuid() == 0
            ? try ProgramRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgCtl] + arguments, timeout: .seconds(90))
            : try ProgramRunner.run(pgCtl, arguments, timeout: .seconds(90))
        guard result.exited(0) else {
            throw Failure(description: "pg_ctl restart failed: \(result)")
        }
        return result
    }

    /// `pg_ctl` of the newest installed server, as `scripts/db.sh` picks it.
    static func pgCtl() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/pg_ctl") {
            return "\(root)/\(version)/bin/pg_ctl"
        }
        throw Failure(description: "pg_ctl not found in \(root)/*/bin: install the postgresql package")
    }

    private static func dbScript(_ action: String, stateName: String) throws -> ProgramResult {
        try ProgramRunner.run(
            "/bin/bash", [TestDatabase.repositoryRoot + "/scripts/db.sh", action],
            environment: ["BOUNCEPLAN_PG_STATE": stateName], timeout: .seconds(120))
    }
}
