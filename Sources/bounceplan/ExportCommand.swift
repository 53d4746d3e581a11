import ArgumentParser
import BounceClassification
import BouncePlanStore
import Foundation
import Postgres
import Progress

extension ExportFormat: ExpressibleByArgument {}
extension SuppressionPreset: ExpressibleByArgument {}
extension SuppressionStatusFilter: ExpressibleByArgument {}

/// Where and how an export is written, shared by the export subcommands.
struct ExportOutputOptions: ParsableArguments {
    @Option(help: "csv (RFC 4180, CRLF) or ndjson (one JSON object per line).")
    var format: ExportFormat = .csv

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Write to this file (atomically: a temporary file beside it, renamed when complete); - is standard output.",
        valueName: "file"))
    var output: String?

    @OptionGroup var progressOptions: ProgressOptions

    func write(_ query: ExportQuery, database: Connection) throws {
        let progress = progressOptions.reporter()
        defer { progress.finish() }
        progress.begin("exporting", unit: "rows")
        let rows = try AtomicFile.writeOutput(output) { writer in
            try Exporter(connection: database).export(query, format: format, to: writer, progress: progress)
        }
        progress.finish()
        // Standard output carries the data; say what happened only when it went to a file.
        if let output, output != "-" {
            Diagnostics.info("wrote \(rows) rows to \(output)")
        }
    }
}

/// `bounceplan export …`: the plans as files for the mailer and for people.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write suppressions, retries or rate limits as CSV or NDJSON, streamed with COPY.",
        discussion: """
            CSV cells that start with = + - @, a tab or a carriage return are prefixed with ' so that a
            spreadsheet never runs them as formulas. With --output the file appears complete or not at all.
            """,
        subcommands: [Suppressions.self, Retries.self, RateLimits.self])

    struct Suppressions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suppressions",
            abstract: "The suppression list, whole or as a delta (--since, --run).",
            discussion: """
                --preset ses: Amazon SES account-level suppression list bulk import (address,BOUNCE|COMPLAINT, no header; \
                NDJSON keys emailAddress and reason). --preset mailgun: Mailgun bounces import (address,code,error,created_at).
                """)

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: ExportOutputOptions

        @Option(help: "full (every column), ses or mailgun.")
        var preset: SuppressionPreset = .full

        @Option(help: ArgumentHelp("Only suppressions changed at or after this time (e.g. 2026-11-28T00:00:00Z).", valueName: "time"))
        var since: String?

        @Option(name: .customLong("run"), help: ArgumentHelp("Only suppressions written by this run.", valueName: "id"))
        var runID: Int?

        @Option(name: .customLong("category"), help: ArgumentHelp("Only this category (suppress, manual, …); repeatable.", valueName: "name"))
        var categories: [String] = []

        @Option(help: "active, pending_review, removed or all.")
        var status: SuppressionStatusFilter = .active

        func validate() throws {
            if since != nil && runID != nil { throw ValidationError("--since and --run are alternatives: give one") }
            if categories.contains(where: { $0.contains(",") }) { throw ValidationError("--category takes one name; repeat the option for more") }
            let known = BounceCategory.allCases.map(\.rawValue) + ["manual"]
            if let unknown = categories.first(where: { !known.contains($0) }) {
                throw ValidationError("--category \(unknown.debugDescription) is not a category; use one of: \(known.joined(separator: ", "))")
            }
        }

        func run() throws {
            let database = try connection.openCurrent()
            if let since {
                // PostgreSQL decides what a time is; ask it before the export starts.
                do { try database.query("SELECT $1::timestamptz", [since]) } catch {
                    throw ValidationError("--since \(since.debugDescription) is not a time PostgreSQL reads (e.g. 2026-11-28T00:00:00Z)")
                }
            }
            try requireRun(runID, in: database)
            let options = SuppressionExportOptions(
                preset: preset, status: status, since: since, runID: runID, categories: categories)
            try output.write(ExportQuery.suppressions(options, format: output.format), database: database)
        }
    }

    struct Retries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retries",
            abstract: "The retry schedule, soonest first (message_id, recipient, attempt, next_attempt_at, reason, …).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: ExportOutputOptions

        @Option(help: "pending, given_up or all.")
        var status: String = "pending"

        @Option(name: .customLong("run"), help: ArgumentHelp("Only retries written by this run.", valueName: "id"))
        var runID: Int?

        func validate() throws {
            guard ["pending", "given_up", "all"].contains(status) else {
                throw ValidationError("--status must be pending, given_up or all")
            }
        }

        func run() throws {
            let database = try connection.openCurrent()
            try requireRun(runID, in: database)
            try output.write(ExportQuery.retries(status: status, runID: runID), database: database)
        }
    }

    struct RateLimits: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rate-limits",
            abstract: "Every rate limit and pause (max_per_hour 0) not yet lifted, per destination and source, with its hold (until).")

        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: ExportOutputOptions

        @Flag(name: .customLong("include-expired"), help: .hidden)
        var includeExpired = false

        func run() throws {
            let database = try connection.openCurrent()
            try output.write(ExportQuery.rateLimits(includeExpired: includeExpired), database: database)
        }
    }
}

/// `--run ID` must name a run that exists, else the export would be silently empty.
private func requireRun(_ runID: Int?, in database: Connection) throws {
    guard let runID else { return }
    if try database.query("SELECT 1 FROM plan_runs WHERE id = $1", [String(runID)]).rows.isEmpty {
        throw ValidationError("--run \(runID): there is no such run (`bounceplan status` lists the recent runs)")
    }
}
