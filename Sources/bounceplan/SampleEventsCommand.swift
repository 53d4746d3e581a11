import ArgumentParser
import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres

/// Loads generated sample events, for the demo and benchmarks.
struct SampleEventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-events",
        abstract: "Insert realistic generated bounce events into bounce_events (for demos and benchmarks).")

    @OptionGroup var connection: ConnectionOptions

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
        let database = try Connection(settings: connection.settings)
        let generator = SampleEventGenerator(
            count: count, seed: seed, tailDomains: tailDomains, newestEpoch: newest ?? Int(Date().timeIntervalSince1970),
            spanSeconds: Int(DurationText.parse(span)?.components.seconds ?? 86_400))
        let inserted = try database.transaction { try EventInserter.insertUnkeyed(generator, into: database) }
        print("inserted \(inserted) sample events")
    }
}
