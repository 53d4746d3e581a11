import ArgumentParser
import Foundation
import BouncePlanStore
import Postgres

/// Operator control over suppressions the storm guard held back.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List, release or discard suppressions held for review by the storm guard.",
        discussion: """
            When a destination's new permanent failures stand far above its own normal, most likely with \
            one identical reply, it is almost always the destination's outage or a block that reads like \
            "user unknown", so the run holds them as pending_review in a storm, opens a sender issue, and \
            holds retries to that destination until the review. Release a storm if the addresses are \
            really gone; discard it if not. Either ends the storm: its sender issue resolves and the \
            destination's retries go out again.
            """,
        subcommands: [List.self, Release.self, Discard.self],
        defaultSubcommand: List.self)

    /// Which held suppressions a command acts on.
    struct Target: ParsableArguments {
        @Option(help: "Every suppression held by this storm (its id in `review list`).")
        var storm: Int?

        @Option(help: "Every held suppression at this destination (provider group or domain).")
        var destination: String?

        @Flag(help: "Every held suppression.")
        var all = false

        @Argument(help: "Recipient addresses.")
        var recipients: [String] = []

        @Option(help: "Why, for the audit log.")
        var reason: String

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--reason must say why, for the audit log")
            }
            let chosen = [storm != nil, destination != nil, all, !recipients.isEmpty].filter { $0 }.count
            guard chosen == 1 else {
                throw ValidationError("name exactly one of: --storm ID, --destination DEST, --all, or recipient addresses")
            }
        }

        /// The recipients named on the command line that have no suppression held for review, as written.
        func notHeld(in database: Connection) throws -> [String] {
            try recipients.filter { raw in
                let address = (try? ManualSuppression.normalize(raw))?.address ?? raw
                return try database.query(
                    "SELECT 1 FROM suppressions WHERE status = 'pending_review' AND recipient = $1", [address]
                ).rows.isEmpty
            }
        }

        /// Names the addresses a release or discard could not act on, and fails the command.
        static func complain(about notHeld: [String], _ verb: String) throws {
            guard !notHeld.isEmpty else { return }
            BouncePlanCommand.report(
                "not held for review, so not \(verb): \(notHeld.joined(separator: ", ")) (`bounceplan review list` shows what is held)")
            throw ExitCode.failure
        }

        var selection: ReviewQueue.Selection {
            if let storm { return .storm(storm) }
            if let destination { return .destination(destination) }
            if all { return .all }
            return .recipients(recipients)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the storms waiting for review and the held suppressions per destination.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Also the storms already reviewed.") var reviewed = false

        func run() throws {
            let queue = ReviewQueue(connection: try connection.openCurrent())
            let storms = try queue.storms(includeReviewed: reviewed)
            for storm in storms {
                let sources = storm.sources.isEmpty ? "" : " from \(storm.sources)"
                print("storm \(storm.id) [\(storm.status)] \(storm.destination)\(sources), \(storm.startedAt) … \(storm.endedAt):"
                    + " \(storm.held) held")
                print("    \(storm.explanation)")
                if !storm.sample.isEmpty { print("    reply: \(storm.sample)") }
            }
            let rows = try queue.summary()
            if rows.isEmpty { print("no suppressions are held for review"); return }
            if !storms.isEmpty { print("") }
            print("destination".padding(30) + "held".padding(8) + "from … to")
            for row in rows { print(row.destination.padding(30) + String(row.count).padding(8) + "\(row.oldest) … \(row.newest)") }
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply held suppressions (they become active).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var target: Target

        func run() throws {
            let database = try connection.openCurrent()
            let notHeld = try target.notHeld(in: database)
            let count = try ReviewQueue(connection: database).release(target.selection, why: target.reason)
            print("released \(count) suppressions")
            try Target.complain(about: notHeld, "released")
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop held suppressions; nobody is suppressed.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var target: Target

        func run() throws {
            let database = try connection.openCurrent()
            let notHeld = try target.notHeld(in: database)
            let count = try ReviewQueue(connection: database).discard(target.selection, why: target.reason)
            print("discarded \(count) held suppressions")
            try Target.complain(about: notHeld, "discarded")
        }
    }
}

extension String {
    /// Left-aligned in a column of `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
