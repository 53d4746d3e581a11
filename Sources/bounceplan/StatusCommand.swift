import ArgumentParser
import BouncePlanStore
import Foundation

/// `bounceplan status`: what the planner did lately and what is in force now.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Recent runs, events waiting, rate limits and pauses in force, open sender issues, reviews pending.")

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "How many recent runs to list with --all (the summary shows the latest 3).") var runs = 10
    @Flag(help: "List every run, limit, issue and held suppression read, not the one-screen summary.") var all = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be 1 or more (it is how many recent runs to list)") }
    }

    func run() throws {
        let status = try StatusReport.load(from: try connection.openCurrent(), runs: runs)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(all ? status.text : status.summaryText)
        }
    }
}
