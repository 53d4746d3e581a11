import ArgumentParser
import BouncePlanStore
import Foundation
import Postgres

/// `bounceplan suppress …`: manual control of the suppression list, every change audited.
struct SuppressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppress",
        abstract: "Add, remove, inspect or import suppressions by hand (audited in suppression_audit).",
        discussion: """
            Each change is recorded with the database user, the time and the reason in an append-only log.
            A removed address is suppressed again only by evidence that occurs after its removal.
            """,
        subcommands: [Add.self, Remove.self, Show.self, Import.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suppress an address (category manual).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The address.") var email: String
        @Option(help: "Why (kept in the audit log).") var reason: String

        func run() throws {
            let change = try ManualSuppression(connection: try connection.openCurrent()).add(email, why: reason)
            print("\(change.recipient): \(change.previousStatus ?? "not suppressed") → \(change.status)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take an address off the suppression list (status removed).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The address.") var email: String
        @Option(help: "Why (kept in the audit log).") var reason: String

        func run() throws {
            let change = try ManualSuppression(connection: try connection.openCurrent()).remove(email, why: reason)
            print("\(change.recipient): \(change.previousStatus ?? "not suppressed") → \(change.status)")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An address's suppression, manual changes, decisions and evidence events.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The address.") var email: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let detail = try SuppressionDetail.load(email, from: try connection.openCurrent())
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(detail), as: UTF8.self))
            } else {
                print(detail.text)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suppress every address of a CSV file with an email column and an optional reason column.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The CSV file (UTF-8).") var file: String
        @Flag(name: .customLong("skip-invalid"), help: "Import the good rows even when some are refused (default: import nothing then).")
        var skipInvalid = false

        func run() throws {
            let outcome = try ManualSuppression(connection: try connection.openCurrent()).importFile(file, skipInvalid: skipInvalid)
            guard outcome.imported else {
                for problem in outcome.problems { BouncePlanCommand.report("refused \(problem)") }
                BouncePlanCommand.report(
                    "nothing was imported: \(outcome.invalid) of \(outcome.rows) rows refused; fix them, or pass --skip-invalid to import the rest")
                throw ExitCode.failure
            }
            print("\(outcome.rows) rows: \(outcome.addresses) addresses, \(outcome.changed) newly suppressed, \(outcome.invalid) invalid")
            for problem in outcome.problems { print("  skipped \(problem)") }
        }
    }
}
