import ArgumentParser
import BouncePlanStore
import BouncePlanning
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

    @Option(help: ArgumentHelp("Seconds since 1970 of the newest event (default: now).", valueName: "epoch"))
    var newest: Int?

    @Option(help: ArgumentHelp("How long before the newest event the night starts, e.g. 24h, 6h.", valueName: "duration"))
    var span = "24h"

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
        guard tailDomains > 0 else { throw ValidationError("--tail-domains must be positive") }
        guard let duration = DurationText.parse(span), duration >= .seconds(1), duration <= .seconds(366 * 86_400) else {
            throw ValidationError("--span must be a duration such as \(DurationText.examples), at least 1s and at most 366d (got \"\(span)\")")
        }
    }

    func run() throws {
        let database = try connection.openCurrent()
        let generator = SampleEventGenerator(
            count: count, seed: seed, tailDomains: tailDomains, newestEpoch: newest ?? Int(Date().timeIntervalSince1970),
            spanSeconds: Int(DurationText.parse(span)?.components.seconds ?? 86_400))
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
