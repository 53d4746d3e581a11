import BounceClassification
import BouncePlanning
import Postgres

/// The storm guard's share of pass 1: while the reader classifies, each suppression (not a complaint)
/// becomes one narrow row of `run_storm_failures` (destination, slot, recipient, reply, whether the
/// address vanished), so that the guard's SQL groups a few percent of the night instead of scanning the
/// staging table for them. Memory: one encoder of failure rows, sent at a megabyte.
///
/// The guard's other count, every event per (destination, slot) of the few destinations with enough
/// failures, stays one scan of the staging table: counted here for every event it cost the reader more
/// (a hash-map update per event, 0.4 µs) than the scan costs the server, and which destinations matter is
/// known only at the end of the night.
struct StormCounts {
    /// The slot's length in seconds (`StormGuard.slot`).
    let slotSeconds: Int64
    /// Reasons that say the address does not exist (`StormGuard.unknownReasons`).
    let unknownReasons: Set<String>

    /// Failure rows for `run_storm_failures`.
    var failures = CopyTextEncoder()

    /// The columns of `run_storm_failures`, in the order the rows are encoded.
    static let failureColumns = "destination, slot, recipient, reply, vanished"

    init(_ guardPolicy: StormGuard) {
        slotSeconds = guardPolicy.slot.components.seconds
        unknownReasons = guardPolicy.unknownReasons
    }

    /// Whether an event with this outcome and reason is one of the guard's failures.
    static func isFailure(outcome: String, reason: String) -> Bool {
        outcome == BounceCategory.suppress.rawValue && reason != "complaint"
    }

    /// Records one failure: a suppression, not a complaint, to `recipient` at `destination`.
    mutating func addFailure(destination: String, recipient: String, occurredMicros: Int64, reason: String, reply: Int64?) {
        // `floor(extract(epoch FROM occurred_at) / slot) * slot`: the slot's start in epoch seconds.
        let slot = MicroTime.floorDivide(occurredMicros, slotSeconds * 1_000_000) * slotSeconds
        failures.field(destination)
        failures.field(Int(slot))
        failures.field(recipient)
        failures.field(reply.map { Int($0) })
        failures.field(unknownReasons.contains(reason) ? "t" : "f")
        failures.endRow()
    }
}
