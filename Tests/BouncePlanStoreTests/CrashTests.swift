import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `kill -9` of `bounceplan run` at points spread over a whole run: the killed run leaves nothing,
/// holds no lock once the server has noticed, and the next run ends with exactly the tables an
/// uninterrupted run over the same events produces.
@Suite("Crashes: kill -9 during a run", .serialized)
struct CrashTests {
    /// Enough events that a debug build takes a couple of seconds, so kills land in every phase.
    /// `BOUNCEPLAN_CRASH_EVENTS` and `BOUNCEPLAN_CRASH_TRIALS` make a longer soak run.
    static let eventCount = environmentNumber("BOUNCEPLAN_CRASH_EVENTS") ?? 20_000
    static let trials = environmentNumber("BOUNCEPLAN_CRASH_TRIALS") ?? 10
    /// Printed with every trial so that a failure can be replayed with the same kill delays.
    static let seed = UInt64(environmentNumber("BOUNCEPLAN_CRASH_SEED") ?? 20_261_129)

    /// What the database holds before the run that is killed.
    enum Scenario: String, CaseIterable, CustomTestStringConvertible {
        /// The first run: every plan row it writes is new.
        case firstRun
        /// A run after an earlier one committed: the killed run also updates existing plans (retry
        /// attempts, rate-limit steps, suppression evidence, the soft-bounce history).
        case afterHistory

        var historyEvents: Int { self == .firstRun ? 0 : CrashTests.eventCount / 2 }
        var newEvents: Int { CrashTests.eventCount - historyEvents }
        var testDescription: String { self == .firstRun ? "first run" : "run after history" }
    }

    @Test("kill -9 leaves nothing, and the next run ends with the uninterrupted run's tables", arguments: Scenario.allCases)
    func killedRunLeavesNothingAndTheNextRunEndsWithTheUninterruptedTables(scenario: Scenario) throws {
        let original = try TestDatabase()
        try Self.prepare(original.settings, history: scenario.historyEvents, events: scenario.newEvents)

        // The tables before the run that is killed: empty, or what the history run left.
        let before = try {
            let connection = try original.connect()
            return try PlanTables.canonicalDump(connection)
        }()
        #expect(before["event_outcomes"]?.count == scenario.historyEvents, "\(PlanTables.summary(before))")

        // The uninterrupted run, over a copy of the same events: the expected tables and the duration
        // over which to spread the kills.
        let reference = try ScratchDatabase(copyOf: original)
        let uninterrupted = try ProgramRunner.bounceplan(["run", "--json", "--database-url", reference.settings.conninfo])
        try #require(uninterrupted.exited(0), "the uninterrupted run failed: \(uninterrupted)")
        let referenceConnection = try reference.connect()
        let expected = try PlanTables.canonicalDump(referenceConnection)
        #expect(expected["event_outcomes"]?.count == Self.eventCount, "\(PlanTables.summary(expected))")
        if scenario == .afterHistory {
            // The new events must touch the plans the history left, or the scenario proves nothing more.
            let updated = try referenceConnection.query("""
                SELECT (SELECT count(*) FROM rate_limits WHERE updated_run_id > 1)
                     + (SELECT count(*) FROM suppressions WHERE updated_run_id > created_run_id)
                """).scalar
            #expect((Int(updated ?? "") ?? 0) > 0, "the second run updated no plan of the first")
        }
        // A second run with no new events plans nothing and changes nothing.
        let idle = try ProgramRunner.bounceplan(["run", "--json", "--database-url", reference.settings.conninfo])
        #expect(idle.exited(0) && idle.stdout.contains("\"events\" : 0"), "\(idle)")
        let afterIdle = try PlanTables.canonicalDump(referenceConnection)
        #expect(PlanTables.firstDifference(afterIdle, expected) == nil, "the idle run changed something")

        // The kills are spread over the shortest uninterrupted run seen so far: a run slowed by other
        // tests sharing the machine would otherwise push the late kills past the end of the next runs.
        var duration = uninterrupted.seconds
        var random = SplitMix64(seed: Self.seed)
        var killedMidRun = 0
        var committedBeforeKill = 0
        var longestLockWait = 0.0
        for trial in 0..<Self.trials {
            // Stratified: trial i is killed somewhere in the i-th slice of the run, so the kills cover
            // start-up, reading and classifying, and the set-based plan statements.
            let fraction = (Double(trial) + Double.random(in: 0..<1, using: &random)) / Double(Self.trials)
            let delay = duration * fraction
            let copy = try ScratchDatabase(copyOf: original)
            let child = try ProgramRunner.startBounceplan(["run", "--database-url", copy.settings.conninfo])
            usleep(UInt32(delay * 1_000_000))
            child.kill(SIGKILL)
            let killed = try child.wait(timeout: .seconds(30))
            if killed.signal {
                #expect(killed.status == SIGKILL)
                killedMidRun += 1
            } else {
                #expect(killed.exited(0), "trial \(trial): the run ended before the kill, but not cleanly: \(killed)")
                // The whole run took less than the delay: the estimate was too long (its reference run was
                // slowed by other tests), and the completing runs below, having nothing left to plan, never
                // correct it. Without this, one slow reference run pushes every later kill past the end.
                duration = min(duration, delay)
            }

            let connection = try copy.connect()
            let lockWait = try Self.waitForRunLock(connection, timeout: .seconds(30))
            longestLockWait = max(longestLockWait, lockWait)
            // The killed run's sessions are gone: whatever it did is now either committed or rolled back.
            try Self.waitForOtherSessionsToEnd(connection, timeout: .seconds(30))
            // All or nothing: the tables are either as before the killed run or as after a whole one.
            let afterKill = try PlanTables.canonicalDump(connection)
            let committed = PlanTables.firstDifference(afterKill, before) != nil
            if committed {
                committedBeforeKill += 1
                let difference = PlanTables.firstDifference(afterKill, expected)
                #expect(difference == nil, "trial \(trial): a partial plan survived the kill: \(difference ?? "")")
            }

            let completing = try ProgramRunner.bounceplan(["run", "--database-url", copy.settings.conninfo])
            #expect(completing.exited(0), "trial \(trial): the run after the kill failed: \(completing)")
            let difference = PlanTables.firstDifference(try PlanTables.canonicalDump(connection), expected)
            #expect(difference == nil, "trial \(trial), killed after \(String(format: "%.3f", delay)) s: \(difference ?? "")")
            if !committed && completing.exited(0) { duration = min(duration, completing.seconds) }
            print("crash trial \(trial) (\(scenario.testDescription)) seed \(Self.seed): kill after \(String(format: "%.3f", delay)) s of \(String(format: "%.3f", duration)) s, "
                  + "\(killed.signal ? "killed" : "had finished"), \(committed ? "committed before the kill" : "nothing committed"), "
                  + "run lock free after \(String(format: "%.3f", lockWait)) s, completing run \(String(format: "%.3f", completing.seconds)) s")
        }
        // Most kills must land inside the run, or the test proves little.
        #expect(killedMidRun >= Self.trials * 7 / 10, "only \(killedMidRun) of \(Self.trials) kills landed before the run ended")
        #expect(longestLockWait < 30)
        print("crash trials, \(scenario.testDescription): \(Self.trials), \(scenario.historyEvents) + \(scenario.newEvents) events, uninterrupted run \(String(format: "%.2f", duration)) s, "
              + "\(killedMidRun) killed mid-run, \(committedBeforeKill) had committed, longest wait for the run lock \(String(format: "%.3f", longestLockWait)) s")
        withExtendedLifetime(original) {}
    }

    /// Migrates the database and fills it with generated events through the command line; with
    /// `history`, that many events are generated and planned first, then `events` new ones added.
    static func prepare(_ settings: ConnectionSettings, history: Int = 0, events: Int = eventCount) throws {
        let migrated = try ProgramRunner.bounceplan(["migrate", "--database-url", settings.conninfo])
        try #require(migrated.exited(0), "bounceplan migrate failed: \(migrated)")
        if history > 0 {
            let sampled = try ProgramRunner.bounceplan(
                ["sample-events", "--count", String(history), "--seed", "8", "--database-url", settings.conninfo])
            try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
            let planned = try ProgramRunner.bounceplan(["run", "--database-url", settings.conninfo])
            try #require(planned.exited(0), "the history run failed: \(planned)")
        }
        let sampled = try ProgramRunner.bounceplan(
            ["sample-events", "--count", String(events), "--seed", "7", "--database-url", settings.conninfo])
        try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
    }

    /// Waits until the run lock is free, and returns how long that took. A killed client's session
    /// lock is released when its backend notices the closed connection, which happens at once when
    /// the backend was waiting for the client, and only at the end of the statement when it was busy
    /// in a long server-side one; hence a bounded wait, not an immediate check.
    static func waitForRunLock(_ connection: Connection, timeout: Duration) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            if try connection.tryAdvisoryLock(PlanRunner.runLockKey) {
                try connection.releaseAdvisoryLock(PlanRunner.runLockKey)
                return (clock.now - start).asSeconds
            }
            guard clock.now - start < timeout else {
                Issue.record("the run lock is still held \(timeout) after the run was killed")
                return (clock.now - start).asSeconds
            }
            usleep(20_000)
        }
    }

    /// Waits until no session but ours is connected to the database.
    static func waitForOtherSessionsToEnd(_ connection: Connection, timeout: Duration) throws {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < timeout {
            let others = try connection.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """).scalar
            if others == "0" { return }
            usleep(20_000)
        }
        Issue.record("sessions of the killed run were still connected \(timeout) after the kill")
    }

    static func environmentNumber(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }
    }
}
