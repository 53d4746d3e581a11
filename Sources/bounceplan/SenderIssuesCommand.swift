import ArgumentParser
import BouncePlanStore
import Foundation

/// `bounceplan sender-issues`: problems with our own setup or reputation (and storms), for the people
/// who fix them. Named apart from the project's issue tracker on purpose.
struct SenderIssuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sender-issues",
        abstract: "List sender issues (our setup or reputation refused, storms) or resolve them once fixed.",
        discussion: """
            A sender issue is kept per (source, destination, reason) with counts, first and last seen, a sample \\
            reply and a severity. Resolve it when the cause is fixed; it opens again if it happens again. A \\
            storm's issue resolves by itself when the storm is reviewed (bounceplan review).
            """,
        subcommands: [List.self, Resolve.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show open sender issues, most severe first.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Also the resolved ones.") var all = false
        @Option(help: "Show at most this many.") var limit = 100

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be positive") }
        }

        func run() throws {
            let rows = try SenderIssueList(connection: try connection.openCurrent()).list(includeResolved: all, limit: limit)
            if rows.isEmpty { print(all ? "no sender issues" : "no open sender issues"); return }
            for row in rows {
                let source = row.source.isEmpty ? "(source not recorded)" : row.source
                print("[\(row.severity)] \(row.reason): \(source) → \(row.destination) (\(row.status)), \(row.events) events,"
                    + " \(row.recipients) recipients, \(row.firstSeen) … \(row.lastSeen)")
                if !row.explanation.isEmpty { print("    \(row.explanation)") }
                if !row.sample.isEmpty { print("    reply: \(row.sample)") }
                if !row.resolution.isEmpty { print("    \(row.resolution)") }
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark open sender issues resolved (every filter given must match).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only issues from this sending IP or pool.") var source: String?
        @Option(help: "Only issues at this destination (provider group or domain).") var destination: String?
        @Option(name: .customLong("issue-reason"), help: "Only issues with this reason (e.g. auth_dmarc).") var issueReason: String?
        @Option(help: "What was fixed, for the record.") var reason: String

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--reason must say what was fixed")
            }
            guard source != nil || destination != nil || issueReason != nil else {
                throw ValidationError("name at least one of --source, --destination, --issue-reason")
            }
        }

        func run() throws {
            let count = try SenderIssueList(connection: try connection.openCurrent()).resolve(
                source: source, destination: destination, reason: issueReason, why: reason)
            print("resolved \(count) sender issue\(count == 1 ? "" : "s")")
        }
    }
}
