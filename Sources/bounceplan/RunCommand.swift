import ArgumentParser
import BounceClassification
import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import Progress

/// The nightly job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan the bounce events that arrived since the last run.",
        discussion: """
            Takes the run lock (exit 75 when another run holds it), reads the new events with COPY, \
            classifies them, and writes suppressions, retry schedules, rate limits, sender issues and the \
            new watermark in one transaction: a failure anywhere leaves nothing behind.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var policyOptions: PolicyOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(name: .customLong("dry-run"), help: "Do all the work and report it, then roll back: nothing is written.")
    var dryRun = false

    @Option(name: .customLong("statement-timeout"), help: ArgumentHelp(
        "Longest any statement of the run may take, e.g. 30m, 30min, 2h, 0 for none (default: the server's).", valueName: "duration"))
    var statementTimeout: String?

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp(
        "Longest the run waits for a lock, e.g. 30s, 5m (default: the server's).", valueName: "duration"))
    var lockTimeout: String?

    @Option(name: .customLong("metrics-file"), help: ArgumentHelp(
        "After a successful run, write Prometheus metrics here (atomically) for node_exporter's textfile collector.",
        valueName: "path"))
    var metricsFile: String?

    /// The run's clock in seconds since 1970 (tests and replays); default: the system clock.
    @Option(name: .customLong("now"), help: .hidden)
    var now: Int64?

    /// Recipient-hash partitions of pass 2 (measurements); default: chosen from the night's size.
    @Option(name: .customLong("recipient-partitions"), help: .hidden)
    var recipientPartitions: Int?

    func validate() throws {
        _ = try Self.postgresDuration(statementTimeout, option: "--statement-timeout")
        _ = try Self.postgresDuration(lockTimeout, option: "--lock-timeout")
    }

    /// A flag's duration, in the policy's notation, as PostgreSQL's setting wants it.
    static func postgresDuration(_ text: String?, option: String) throws -> String? {
        guard let text else { return nil }
        guard let duration = DurationText.parse(text), duration <= PolicyLimits.longestDuration else {
            throw ValidationError("\(option) must be a duration such as \(DurationText.examples), or 0 for none (got \"\(text)\")")
        }
        return DurationText.postgresSetting(duration)
    }

    func run() throws {
        let statementTimeout = try Self.postgresDuration(self.statementTimeout, option: "--statement-timeout")
        let lockTimeout = try Self.postgresDuration(self.lockTimeout, option: "--lock-timeout")
        let configDirectory = try config.resolvedConfigDirectory()
        let classifier = try Classifier.load(
            rulesDirectory: configDirectory + "/rules", userRuleFiles: config.userRuleFiles)
        let settings = connection.settings
        let migrations = try Migration.load(directory: try connection.resolvedMigrationsDirectory())
        let check = try Connection(settings: settings)
        if let statementTimeout { try check.setSetting("statement_timeout", to: statementTimeout) }
        if let lockTimeout { try check.setSetting("lock_timeout", to: lockTimeout) }
        try Migrator(migrations: migrations).requireCurrent(check)
        let policy = try policyOptions.load(config)
        let runner = PlanRunner(
            settings: settings, classifier: classifier, policy: policy, programVersion: BouncePlanVersion.current)
        var options = PlanRunOptions(
            dryRun: dryRun, statementTimeout: statementTimeout, lockTimeout: lockTimeout,
            now: now.map { Timestamp(secondsSinceEpoch: $0) })
        options.recipientPartitions = recipientPartitions
        options.progress = progressOptions.reporter()
        defer { options.progress.finish() }
        // The run's one transaction is still open until `run` returns: a signal before then commits nothing.
        let summary = try Interruption.saying("interrupted; nothing was committed") { try runner.run(options) }
        options.progress.finish()
        print(json ? SummaryFormatter.json(summary) : SummaryFormatter.text(summary))
        if let metricsFile, !dryRun {
            try MetricsFile.write(
                to: metricsFile, lastSuccess: Date(), durationSeconds: summary.seconds,
                eventsTotal: try MetricsFile.eventsTotal(from: try Connection(settings: settings)))
        }
    }
}
