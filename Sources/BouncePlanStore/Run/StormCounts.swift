import BounceClassification
import BouncePlanning
import Postgres

/// The storm guard's share of pass 1: while the reader classifies, each suppression (not a complaint)
/// becomes one narrow row of `run_storm_failures` (destination, slot, recipient, reply, whether the
/// address vanished) and every event to a recipient is counted per (destination, slot) into
/// `run_storm_slots`, so that the guard's SQL groups a few percent of the night instead of scanning the
/// staging table twice. Memory: one encoder of failure rows (sent at a megabyte) and at most
/// `slotLimit` slot counters; a fuller map is sent as partial counts, which the guard's SQL sums.
struct StormCounts {
    /// The slot's length in seconds and microseconds (`StormGuard.slot`).
    let slotSeconds: Int64
    /// Reasons that say the address does not exist (`StormGuard.unknownReasons`).
    let unknownReasons: Set<String>
    /// Counters kept before the map is sent as partial counts.
    static let slotLimit = 65_536

    struct SlotKey: Hashable {
        var destination: String
        var slot: Int64
    }

    var failures = CopyTextEncoder()
    private(set) var slots: [SlotKey: Int] = [:]

    /// The columns of `run_storm_failures` and `run_storm_slots`, in the order the rows are encoded.
    static let failureColumns = "destination, slot, recipient, reply, vanished"
    static let slotColumns = "destination, slot, events"

    init(_ guardPolicy: StormGuard) {
        slotSeconds = guardPolicy.slot.components.seconds
        unknownReasons = guardPolicy.unknownReasons
    }

    /// `floor(extract(epoch FROM occurred_at) / slot) * slot`, the slot's start in epoch seconds.
    func slot(ofMicros micros: Int64) -> Int64 {
        MicroTime.floorDivide(micros, slotSeconds * 1_000_000) * slotSeconds
    }

    /// Counts one event to `recipient` at `destination`; a suppression that is not a complaint is also a
    /// failure row.
    mutating func add(
        destination: String, recipient: String, occurredMicros: Int64, outcome: String, reason: String, reply: Int64?
    ) {
        let slot = slot(ofMicros: occurredMicros)
        slots[SlotKey(destination: destination, slot: slot), default: 0] += 1
        guard outcome == BounceCategory.suppress.rawValue && reason != "complaint" else { return }
        failures.field(destination)
        failures.field(Int(slot))
        failures.field(recipient)
        failures.field(reply.map { Int($0) })
        failures.field(unknownReasons.contains(reason) ? "t" : "f")
        failures.endRow()
    }

    var slotsAreFull: Bool { slots.count >= Self.slotLimit }

    /// The slot counters as rows of `run_storm_slots`, and an empty map.
    mutating func takeSlots() -> [UInt8] {
        var encoder = CopyTextEncoder()
        for (key, events) in slots {
            encoder.field(key.destination)
            encoder.field(Int(key.slot))
            encoder.field(events)
            encoder.endRow()
        }
        slots.removeAll(keepingCapacity: true)
        return encoder.take()
    }
}
