import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The real program, stopped by a real signal or by its server while it works.
@Suite("Interrupted commands")
struct InterruptionTests {
    /// Holds an exclusive lock on `table` in a transaction of its own, so that a command that reaches
    /// the table waits there until the test has done what it needs.
    final class TableLock {
        let connection: Connection
        init(_ table: String, in target: CommandLineTests.Target) throws {
            connection = try target.fixture.database.connect()
            try connection.query("BEGIN")
            try connection.query("LOCK TABLE \(ScratchDatabase.quoted(table)) IN ACCESS EXCLUSIVE MODE")
        }
        func release() throws { try connection.query("ROLLBACK") }
    }

    /// The server process id of the command once it waits for a lock; nil if it never did.
    static func waitingBackend(_ target: CommandLineTests.Target, _ child: RunningProgram) throws -> Int? {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline && child.isRunning {
            let pid = try target.fixture.connection.query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).scalar
            if let pid, let number = Int(pid) { return number }
            usleep(20_000)
        }
        return nil
    }

    @Test("an interrupted export -o removes its temporary file and leaves the old file", arguments: [SIGINT, SIGTERM])
    func interruptedExport(signal: Int32) throws {
        let target = try CommandLineTests.Target(events: 50)
        let folder = try ScratchFolder()
        let path = folder.file("suppressions.csv")
        try "previous\r\n".write(toFile: path, atomically: false, encoding: .utf8)
        let lock = try TableLock("suppressions", in: target)
        let child = try ProgramRunner.startBounceplan(["export", "suppressions", "-o", path, "--database-url", target.url])
        try #require(try Self.waitingBackend(target, child) != nil, "the export never waited for the table")
        #expect(folder.entries.count == 2, "the export should have its temporary file open: \(folder.entries)")
        child.kill(signal)
        let result = try child.wait(timeout: .seconds(30))
        try lock.release()
        #expect(result.signal && result.status == signal, "\(result)")
        #expect(folder.entries == ["suppressions.csv"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous\r\n")
    }

    @Test("an interrupted run says that nothing was committed, and nothing was", arguments: [SIGINT, SIGTERM])
    func interruptedRun(signal: Int32) throws {
        let target = try CommandLineTests.Target(events: 200)
        let lock = try TableLock("suppressions", in: target)
        let child = try ProgramRunner.startBounceplan(["run", "--database-url", target.url])
        try #require(try Self.waitingBackend(target, child) != nil, "the run never reached the suppressions")
        child.kill(signal)
        let result = try child.wait(timeout: .seconds(30))
        try lock.release()
        #expect(result.signal && result.status == signal, "\(result)")
        #expect(result.diagnostics == [DiagnosticLine(level: "error", message: "interrupted; nothing was committed")], "\(result)")
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)
    }

    @Test func aServerThatEndsTheRunsConnectionIsNamed() throws {
        let target = try CommandLineTests.Target(events: 200)
        let lock = try TableLock("suppressions", in: target)
        let child = try ProgramRunner.startBounceplan(["run", "--database-url", target.url])
        let backend = try #require(try Self.waitingBackend(target, child), "the run never reached the suppressions")
        // What a fast shutdown of the server does to each session: FATAL 57P01, then the socket closes.
        try target.fixture.connection.query("SELECT pg_terminate_backend($1::int)", [String(backend)])
        let result = try child.wait(timeout: .seconds(60))
        try lock.release()
        #expect(result.exited(1), "\(result)")
        let line = result.diagnostics.first ?? nil
        #expect(line?.level == "error", "\(result.stderr)")
        #expect(line?.message.hasPrefix("the server closed the connection: is PostgreSQL at ") == true, "\(result.stderr)")
        #expect(result.stderr.contains(" running?"), "\(result.stderr)")
        #expect(!result.stderr.contains("DATABASE_URL"), "\(result.stderr)")
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)
    }

    /// `export -o`, `report --output` and `run --metrics-file` given a copy of /dev/full: the write
    /// fails with the device's own error and the node is still a device.
    @Test(.enabled(if: ExportAtomicFileTests.fullDeviceCopyWorks, "needs root, CAP_MKNOD and a temporary folder without nodev"), arguments: [
        ["export", "suppressions", "-o"], ["report", "--output"], ["run", "--metrics-file"],
    ])
    func outputToAFullDevice(command: [String]) throws {
        let target = try CommandLineTests.Target(events: 50)
        if command[0] == "report" {
            try #require(try ProgramRunner.bounceplan(["run", "--database-url", target.url]).exited(0))
        }
        let folder = try ScratchFolder()
        let path = folder.file("full")
        try #require(mknod(path, S_IFCHR | 0o666, (1 << 8) | 7) == 0)
        let result = try ProgramRunner.bounceplan(command + [path, "--database-url", target.url])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        #expect(ExportAtomicFileTests.kind(path) == S_IFCHR)
        #expect(folder.entries == ["full"])
    }
}
