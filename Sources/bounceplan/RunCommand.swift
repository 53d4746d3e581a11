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
        "PostgreSQL statement_timeout for the run's statements, e.g. 30min (default: the server's).", valueName: "duration"))
    var statementTimeout: String?

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp(
        "PostgreSQL lock_timeout for the run's statements, e.g. 30s (default: the server's).", valueName: "duration"))
    var lockTimeout: String?

    @Option(name: .customLong("metrics-file"), help: ArgumentHelp(
        "After a successful run, write Prometheus metrics here (atomically) for node_exporter's textfile collector.",
        valueName: "path"))
    var metricsFile: String?

    /// The run's clock in seconds since 1970 (tests and replays); default: the system clock.
    @Option(name: .customLong("now"), help: .hidden)
    var now: Int64?

    func run() throws {
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
