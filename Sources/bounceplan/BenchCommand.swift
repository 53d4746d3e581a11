import ArgumentParser
import BounceClassification
import BouncePlanStore
import Foundation
import Postgres
import Progress

/// Measures the nightly run against the bare cost of moving the same data (used by `make bench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure `run` against a COPY baseline on generated events (creates and drops its own database).",
        shouldDisplay: false)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(help: "Events in the measured run.")
    var events = 1_000_000

    @Option(help: "Events generated and planned before the measured run, as history.")
    var history = 0

    @Flag(name: .customLong("history-unanalyzed"),
          help: "Leave the history's plan tables never analysed nor vacuumed (autovacuum off for them), as issue 15's pathological case.")
    var historyUnanalyzed = false

    @Option(help: "Labelled corpus whose responses are mixed into the generated events.")
    var corpus = "Tests/BounceClassificationTests/Corpus/responses.tsv"

    @Flag(name: .customLong("keep-database"), help: "Keep the bench database afterwards.")
    var keepDatabase = false

    func run() throws {
        let classifier = try Classifier.load(
            rulesDirectory: try config.resolvedConfigDirectory() + "/rules", userRuleFiles: config.userRuleFiles)
        let migrations = try Migration.load(directory: try connection.resolvedMigrationsDirectory())
        let admin = try Connection(settings: connection.settings)
        let name = "bounceplan_bench"
        try admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        try admin.query("CREATE DATABASE \"\(name)\"")
        defer { if !keepDatabase { _ = try? admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)") } }
        let settings = connection.settings.replacingDatabase(name)
        let database = try Connection(settings: settings)
        try Migrator(migrations: migrations).migrate(database)
        let runner = PlanRunner(settings: settings, classifier: classifier, policy: try policyOptions.load(config),
                                programVersion: BouncePlanVersion.current)
        let now = Int(Date().timeIntervalSince1970)

        if history > 0 {
            let planTables = ["event_outcomes", "soft_bounces", "last_deliveries", "suppressions", "retry_schedule",
                              "rate_limits", "sender_issues", "storms", "storm_baselines", "plan_runs"]
            if historyUnanalyzed {
                for table in planTables { try database.query("ALTER TABLE \(table) SET (autovacuum_enabled = false)") }
            }
            try generate(history, seed: 7, newestEpoch: now - 86_400, into: database)
            _ = try runner.run()
            if historyUnanalyzed {
                log("history: \(history) events planned; plan tables never analysed nor vacuumed")
            } else {
                // A nightly job finds the day's autovacuum done; measuring while it still churns through the
                // history just loaded would measure autovacuum.
                try database.query("VACUUM ANALYZE")
                log("history: \(history) events planned")
            }
        }
        try generate(events, seed: 42, newestEpoch: now, into: database)

        // Baseline: the same events out with COPY, fully consumed, and as many plan-shaped rows in.
        let clock = ContinuousClock()
        let baselineCPU = PhaseCPU(backend: try database.query("SELECT pg_backend_pid()").scalar.flatMap { Int32($0) } ?? 0)
        let baselineServerStart = baselineCPU.server() ?? 0
        let baselineClientStart = PhaseCPU.process()
        let baselineStart = clock.now
        var row = CopyTextRow()
        var checksum = 0
        let previous = try database.query("SELECT snapshot FROM plan_runs ORDER BY id DESC LIMIT 1").scalar
        try database.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try database.setSetting("bounceplan.previous_snapshot", to: previous ?? "", local: true)
        let read = try database.copyOut("""
            COPY (\(EventReader.newEventsQuery(afterSnapshot: previous != nil))) TO STDOUT
            """) { bytes in
            row.parse(bytes)
            for field in 0..<row.fieldCount { checksum &+= row.withBytes(field) { $0?.count ?? 0 } }
        }
        try database.query("COMMIT")
        try database.query("""
            CREATE UNLOGGED TABLE bench_plan_rows (event_id bigint, occurred_at timestamptz, recipient text, domain text,
                destination text, source text, message_id text, kind text, outcome text, reason text, rule_id text,
                smtp_code integer, enhanced_status text, jitter integer, sample text)
            """)
        try database.copyIn("COPY bench_plan_rows FROM STDIN") { writer in
            for index in 0..<read {
                writer.field(index + 1)
                writer.field("2026-11-28 10:00:00+00")
                writer.field("user\(index)@example.com")
                writer.field("example.com")
                writer.field("example.com")
                writer.field("192.0.2.10")
                writer.field("<c1.\(index)@news.example.com>")
                writer.field("bounce")
                writer.field("suppress")
                writer.field("user_unknown")
                writer.field("microsoft.5.1.10")
                writer.field(550)
                writer.field("5.1.1")
                writer.field(index % 10_000)
                writer.field(nil as String?)
                try writer.endRow()
            }
        }
        let baseline = (clock.now - baselineStart).inSeconds
        let baselineClient = PhaseCPU.process() - baselineClientStart
        let baselineServer = (baselineCPU.server() ?? 0) - baselineServerStart
        try database.query("DROP TABLE bench_plan_rows")
        log("baseline: \(read) events read (\(checksum) bytes), \(read) rows written in \(String(format: "%.2f", baseline)) s"
            + String(format: " (CPU: client %.2f s, server %.2f s)", baselineClient, baselineServer))

        // The measured run shows the same progress as `bounceplan run` would here, so that `make bench`
        // at a terminal and in a pipe measure the cost of the status line.
        var measured = PlanRunOptions()
        measured.progress = progressOptions.reporter()
        let runStart = clock.now
        let summary = try runner.run(measured)
        measured.progress.finish()
        let runSeconds = (clock.now - runStart).inSeconds
        log("run phases: " + summary.phaseSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: ", "))
        log("run client CPU: " + summary.phaseCPUSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: ", "))
        log("run server CPU (the run's backend): " + summary.phaseServerCPUSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }.joined(separator: ", "))
        log("run: \(summary.events) events; " + summary.planCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let held = try database.query("""
            SELECT (SELECT count(*) FROM storms), (SELECT count(*) FROM suppressions WHERE status = 'pending_review'),
                   (SELECT count(*) FROM suppressions)
            """).rows.first ?? []
        log("storm guard: \(held[0] ?? "?") storms, \(held[1] ?? "?") of \(held[2] ?? "?") suppressions pending review")
        if let runID = summary.runID {
            let floor = try writeFloor(database, runID: runID)
            log("floor: the rows this run wrote, copied into empty tables shaped like the plan tables (same indexes), in "
                + String(format: "%.2f s = %.2f × baseline", floor, floor / baseline))
        }
        print(String(
            format: "bench events=%d baseline_s=%.2f run_s=%.2f ratio=%.2f events_per_s=%.0f peak_rss_mb=%.1f",
            summary.events, baseline, runSeconds, runSeconds / baseline, Double(summary.events) / runSeconds,
            Self.peakResidentMegabytes()))
    }

    /// The least any run could spend writing what this one wrote: its rows of each plan table inserted
    /// into an empty, logged table with the same indexes, with nothing decided or merged on the way.
    private func writeFloor(_ database: Connection, runID: Int) throws -> Double {
        let firstEvent = try database.query(
            "SELECT coalesce(first_event_id, 0) FROM plan_runs WHERE id = $1", [String(runID)]).scalar.flatMap { Int($0) } ?? 0
        // Each table's rows of this run, by the column that marks them.
        let tables = [
            ("event_outcomes", "run_id =", runID), ("suppressions", "updated_run_id =", runID),
            ("retry_schedule", "updated_run_id =", runID), ("soft_bounces", "event_id >=", firstEvent),
            ("last_deliveries", "event_id >=", firstEvent), ("rate_limits", "updated_run_id =", runID),
            ("sender_issues", "updated_run_id =", runID),
        ]
        let clock = ContinuousClock()
        var total = Duration.zero
        var parts: [String] = []
        for (table, condition, value) in tables {
            let copy = "bench_floor_\(table)"
            // The evidence is written as the run writes it (migration 0010): into a table of its own, its
            // indexes built once the rows are in.
            let indexedAfter = table == "event_outcomes"
            try database.query("CREATE TABLE \(copy) (LIKE \(table) INCLUDING DEFAULTS\(indexedAfter ? "" : " INCLUDING INDEXES"))")
            let start = clock.now
            try database.query("INSERT INTO \(copy) SELECT * FROM \(table) WHERE \(condition) $1::bigint", [String(value)])
            if indexedAfter {
                try database.query("ALTER TABLE \(copy) ADD PRIMARY KEY (event_id)")
                try database.query("CREATE INDEX ON \(copy) USING brin (run_id)")
            }
            let elapsed = clock.now - start
            total += elapsed
            parts.append("\(table) " + String(format: "%.2f", elapsed.inSeconds))
            try database.query("DROP TABLE \(copy)")
        }
        log("floor by table: " + parts.joined(separator: ", "))
        return total.inSeconds
    }

    private func generate(_ count: Int, seed: UInt64, newestEpoch: Int, into database: Connection) throws {
        let clock = ContinuousClock()
        let start = clock.now
        let tail = FileManager.default.fileExists(atPath: corpus) ? try SampleResponses.tail(withCorpus: corpus) : SampleResponses.tail
        let generator = SampleEventGenerator(count: count, seed: seed, tailDomains: 30_000, newestEpoch: newestEpoch, tail: tail)
        try database.transaction { _ = try EventInserter.insertUnkeyed(generator, into: database) }
        try database.query("VACUUM ANALYZE bounce_events")
        log("generated \(count) events in \(String(format: "%.1f", (clock.now - start).inSeconds)) s")
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }

    /// Peak resident set size of this process (VmHWM), in MiB.
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Double(digits) ?? -1) / 1024
        }
        return -1
    }
}
