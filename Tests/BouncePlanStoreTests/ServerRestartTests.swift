import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// PostgreSQL restarted (`pg_ctl restart -m immediate`, as after a crash or a failover) while
/// `bounceplan run` is reading and writing: the run fails with a clear message, commits nothing, and
/// the next run plans every event exactly as an uninterrupted run does.
@Suite("PostgreSQL restarted during a run", .serialized)
struct ServerRestartTests {
    static let eventCount = 20_000
    /// Never accepted nor needed by the throwaway cluster (trust authentication), so it shows up only if
    /// the program prints its connection settings.
    static let password = "restart-secret-\(UInt32.random(in: 0...UInt32.max))"

    /// Where the run is when the server goes away, told apart by what its sessions are doing.
    enum Phase: String, CaseIterable, CustomTestStringConvertible {
        /// Streaming events out and outcomes in (both sessions in COPY).
        case reading
        /// The statements that turn tonight's staged events into plans.
        case planning

        /// A condition on `pg_stat_activity` that holds only during this phase.
        var activity: String {
            switch self {
            case .reading: "query LIKE 'COPY%'"
            case .planning:
                // The recipient pass's ordered read (a FETCH from its binary cursor since the pass stores plan
                // rows while it reads; a COPY out before), or a statement writing a plan table. Without the
                // FETCH the first match came only with the last statements, and a restart after the run's
                // asynchronous commit lost the commit instead of interrupting the run.
                "query LIKE 'FETCH % FROM run_read' OR query LIKE 'COPY (SELECT x.*%' OR query LIKE 'COPY (SELECT e.recipient, ''4''%' "
                    + "OR (query NOT LIKE 'COPY%' AND query ~* "
                    + "'(INSERT INTO|DELETE FROM|UPDATE) (suppressions|retry_schedule|rate_limits|sender_issues|soft_bounces|last_deliveries)')"
            }
        }

        var testDescription: String { "while \(rawValue)" }
    }

    @Test("the run fails cleanly, commits nothing, and the next run plans every event", arguments: Phase.allCases)
    func restartDuringARun(phase: Phase) throws {
        let cluster = try ThrowawayCluster()
        defer { cluster.stop() }
        let original = try ScratchDatabase(serverURL: cluster.url)
        try CrashTests.prepare(original.settings)

        let reference = try ScratchDatabase(serverURL: cluster.url, template: original.name)
        let uninterrupted = try ProgramRunner.bounceplan(["run", "--database-url", reference.settings.conninfo])
        try #require(uninterrupted.exited(0), "the uninterrupted run failed: \(uninterrupted)")
        let expected = try PlanTables.canonicalDump(reference.connect())
        #expect(expected["event_outcomes"]?.count == Self.eventCount)

        let target = try ScratchDatabase(serverURL: cluster.url, template: original.name)
        let url = target.settings.conninfo + "&password=\(Self.password)"
        let child = try ProgramRunner.startBounceplan(["run", "--database-url", url])
        let observer = try target.connect()
        // The limits only bound a hang: on a loaded machine the run may take minutes to reach the phase.
        let reached = try Self.wait(for: phase, observer, while: child, timeout: .seconds(600))
        if !reached {
            let early = try child.wait(timeout: .seconds(600))
            Issue.record("the run ended before it was seen \(phase.rawValue): \(early)")
            return
        }
        try cluster.restartImmediately()

        let failed = try child.wait(timeout: .seconds(600))
        #expect(failed.exited(1), "the run should exit 1 when the server goes away: \(failed)")
        let message = failed.stderr
        #expect(failed.diagnostics.first??.level == "error", "\(message)")
        #expect(["connection", "terminat", "shut"].contains { message.lowercased().contains($0) },
                "the message should say the connection was lost: \(message)")
        for crashSign in ["Fatal error", "Stack dump", "stack trace", "Program crashed", "Segmentation"] {
            #expect(!message.contains(crashSign), "no crash report expected: \(message)")
        }
        #expect(!message.contains(Self.password) && !failed.stdout.contains(Self.password), "the password was printed")
        #expect(message.count < 2_000, "the message should be short: \(message)")

        let afterRestart = try target.connect()
        #expect(try PlanTables.totalRows(afterRestart) == 0, "the interrupted run committed something")

        let next = try ProgramRunner.bounceplan(["run", "--database-url", url])
        #expect(next.exited(0), "the run after the restart failed: \(next)")
        let difference = PlanTables.firstDifference(try PlanTables.canonicalDump(afterRestart), expected)
        #expect(difference == nil, "the run after the restart differs from an uninterrupted one: \(difference ?? "")")
        print("server restart \(phase.rawValue): uninterrupted run \(String(format: "%.2f", uninterrupted.seconds)) s, "
              + "interrupted run exited \(failed.status) after \(String(format: "%.2f", failed.seconds)) s: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        withExtendedLifetime((original, reference)) {}
    }

    /// Waits until a session of the run is seen in `phase`, so that the restart lands there rather
    /// than before the run connects; false if the run ended first.
    static func wait(for phase: Phase, _ connection: Connection, while child: RunningProgram, timeout: Duration) throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while child.isRunning, clock.now - start < timeout {
            let active = try connection.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'
                  AND \(phase.activity)
                """).scalar
            if active != "0" { return true }
            usleep(5_000)
        }
        return false
    }
}
