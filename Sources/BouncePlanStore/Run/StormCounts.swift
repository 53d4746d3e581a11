import BounceClassification
import BouncePlanning
import Postgres

/// The storm guard's share of pass 1: while the reader classifies, each suppression (not a complaint)
/// becomes one narrow row of `run_storm_failures` (destination, slot, recipient, reply, whether the
/// address vanished) and every event to a recipient is counted per (destination, slot) into
/// `run_storm_slots`, so that the guard's SQL groups a few percent of the night instead of scanning the
/// staging table twice. Memory: one encoder of failure rows (sent at a megabyte), at most `slotLimit`
/// slot counters and one name per destination the encoder's cache knows; a fuller map is written out as
/// partial counts, which the guard's SQL sums.
struct StormCounts {
    /// The slot's length in seconds (`StormGuard.slot`).
    let slotSeconds: Int64
    /// Reasons that say the address does not exist (`StormGuard.unknownReasons`).
    let unknownReasons: Set<String>
    /// Counters kept before the map is written out as partial counts.
    static let slotLimit = 65_536

    /// Failure rows for `run_storm_failures`.
    var failures = CopyTextEncoder()
    /// Partial per-slot counts for `run_storm_slots`, written when the map is full or the names start over.
    var slotRows = CopyTextEncoder()
    /// The destinations counters refer to, by number (a destination may have several numbers: one per
    /// domain the encoder's cache met; their partial counts are summed by the SQL like any others).
    private var names: [String] = []
    struct SlotKey: Hashable {
        var number: Int32
        var slot: Int64
    }

    /// (destination number, slot number) → events.
    private var slots: [SlotKey: Int] = [:]

    /// The columns of `run_storm_failures` and `run_storm_slots`, in the order the rows are encoded.
    static let failureColumns = "destination, slot, recipient, reply, vanished"
    static let slotColumns = "destination, slot, events"

    init(_ guardPolicy: StormGuard) {
        slotSeconds = guardPolicy.slot.components.seconds
        unknownReasons = guardPolicy.unknownReasons
    }

    /// A number for `destination`, for `add`; valid until `forgetNames`.
    mutating func number(of destination: String) -> Int32 {
        names.append(destination)
        return Int32(names.count - 1)
    }

    /// Writes out the counters and forgets every number handed out (the encoder's cache starts over).
    mutating func forgetNames() {
        writeSlots()
        names.removeAll(keepingCapacity: true)
    }

    /// Counts one event to `recipient` at the destination numbered `number`; a suppression that is not a
    /// complaint is also a failure row.
    mutating func add(
        number: Int32, recipient: String, occurredMicros: Int64, outcome: String, reason: String, reply: Int64?
    ) {
        // `floor(extract(epoch FROM occurred_at) / slot)`: the slot's number, its start over `slotSeconds`.
        let slot = MicroTime.floorDivide(occurredMicros, slotSeconds * 1_000_000)
        slots[SlotKey(number: number, slot: slot), default: 0] += 1
        if slots.count >= Self.slotLimit { writeSlots() }
        guard outcome == BounceCategory.suppress.rawValue && reason != "complaint" else { return }
        failures.field(names[Int(number)])
        failures.field(Int(slot * slotSeconds))
        failures.field(recipient)
        failures.field(reply.map { Int($0) })
        failures.field(unknownReasons.contains(reason) ? "t" : "f")
        failures.endRow()
    }

    /// Moves the counters into `slotRows` and empties the map.
    mutating func writeSlots() {
        for (key, events) in slots {
            slotRows.field(names[Int(key.number)])
            slotRows.field(Int(key.slot * slotSeconds))
            slotRows.field(events)
            slotRows.endRow()
        }
        slots.removeAll(keepingCapacity: true)
    }
}
