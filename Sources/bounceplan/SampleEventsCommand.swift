import ArgumentParser
import BouncePlanStore
import Foundation
import Postgres
import Progress

/// Loads generated sample events, for the demo and benchmarks.
struct SampleEventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-events",
        abstract: "Insert realistic generated bounce events into bounce_events (for demos and benchmarks).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(help: "How many events to generate.")
    var count = 3000

    @Option(help: "Seed of the generator; the same seed gives the same events.")
    var seed: UInt64 = 42

    @Option(name: .customLong("tail-domains"), help: "How many small domains besides the big providers.")
    var tailDomains = 2000

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        guard tailDomains > 0 else { throw ValidationError("--tail-domains must be positive") }
    }

    func run() throws {
        let database = try connection.openCurrent()
        let generator = SampleEventGenerator(
            count: count, seed: seed, tailDomains: tailDomains, newestEpoch: Int(Date().timeIntervalSince1970))
        let progress = progressOptions.reporter()
        defer { progress.finish() }
        progress.begin("generating events", unit: "events", total: Int64(count))
        let counted = generator.enumerated().lazy.map { index, event in
            // Every 4,096 events: the status line needs no more, and the loop pays nothing per event.
            if index & 4095 == 4095 { progress.update(completed: Int64(index + 1)) }
            return event
        }
        let inserted = try database.transaction { try EventInserter.insertUnkeyed(counted, into: database) }
        progress.finish()
        print("inserted \(inserted) sample events")
    }
}
