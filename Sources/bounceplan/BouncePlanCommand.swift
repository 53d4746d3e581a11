import ArgumentParser
import BouncePlanStore
import Foundation
import Postgres

/// The `bounceplan` command line: a thin layer over the store, planner and classifier modules.
@main
struct BouncePlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounceplan",
        abstract: "Turn bounce events in PostgreSQL into suppression lists, retry schedules and rate limits.",
        discussion: """
            Run nightly after campaigns: `bounceplan migrate` once, then `bounceplan run`.
            Connection: --database-url, else DATABASE_URL, else libpq's PG* variables and defaults.
            Exit status: 0 success, 1 failure, 2 usage error, 75 another run holds the lock.
            Every command takes --log-level (trace, debug, info, notice, warning, error, critical; default info):
            diagnostics go to standard error, one line each with the time (UTC) and level; results go to standard output.
            """,
        version: BouncePlanVersion.current,
        subcommands: [
            MigrateCommand.self,
            RunCommand.self,
            StatusCommand.self,
            ReportCommand.self,
            ExportCommand.self,
            SuppressCommand.self,
            ClassifyCommand.self,
            RulesCommand.self,
            ConfigCommand.self,
            ExplainCommand.self,
            ReviewCommand.self,
            SenderIssuesCommand.self,
            IngestCommand.self,
            SampleEventsCommand.self,
            BenchCommand.self,
            BenchClassifyCommand.self,
            BenchIngestCommand.self,
        ]
    )

    /// Parses, runs, and maps failures to the conventional exit statuses.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let command: any ParsableCommand
        do {
            try Diagnostics.bootstrap(consuming: &arguments)
            command = try parseAsRoot(arguments)
        } catch {
            exitForParseError(error)
        }
        Interruption.install()
        do {
            var runnable = command
            try runnable.run()
        } catch {
            exitForRunError(error)
        }
    }

    private static func exitForParseError(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }  // --help, --version
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.usage)
    }

    private static func exitForRunError(_ error: any Error) -> Never {
        if let error = error as? StoreError, error.kind == .locked {
            report(error.description)
            Foundation.exit(ExitStatus.temporaryFailure)
        }
        if let error = error as? PostgresError, error.isServerGone {
            let target = ConnectionHistory.lastTarget ?? "the configured address"
            report(ConnectionSettings.redact("the server closed the connection: is PostgreSQL at \(target) running? (\(error.message))"))
            Foundation.exit(ExitStatus.failure)
        }
        if error is StoreError || error is PostgresError {
            report(ConnectionSettings.redact(String(describing: error)))
            Foundation.exit(ExitStatus.failure)
        }
        // Help, validation errors and explicit exit codes are ArgumentParser's to render.
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        if code == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage)
        }
        if error is ExitCode { Foundation.exit(code.rawValue) }
        report(ConnectionSettings.redact(String(describing: error)))
        Foundation.exit(ExitStatus.failure)
    }

    /// A failure the user must act on, as an error-level diagnostic line on standard error.
    static func report(_ message: String) {
        Diagnostics.error(message)
    }
}

/// Exit statuses, by convention (sysexits.h for the temporary failure).
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 2
    /// EX_TEMPFAIL: another run holds the lock; cron may simply try again later.
    static let temporaryFailure: Int32 = 75
}

/// The program version recorded in every `plan_runs` row.
enum BouncePlanVersion {
    static let current = "0.1.0"
}
