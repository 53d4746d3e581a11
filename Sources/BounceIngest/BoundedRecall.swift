import Foundation

/// A dictionary that forgets its oldest entries beyond `capacity`, so a long-running log reader
/// cannot grow without limit when queue ids are never seen again.
struct BoundedRecall<Value: Sendable>: Sendable {
    let capacity: Int
    /// Each value carries the sequence number of its insertion, so a stale place in `order`
    /// (left by a key that was forgotten and learnt again) never evicts the newer value.
    private var values: [String: (value: Value, sequence: Int)] = [:]
    private var order: [(key: String, sequence: Int)] = []
    private var head = 0
    private var nextSequence = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { values.count }

    subscript(key: String) -> Value? {
        values[key]?.value
    }

    /// Live entries, oldest first.
    var entriesOldestFirst: [(key: String, value: Value)] {
        order[head...].compactMap { slot in
            guard let stored = values[slot.key], stored.sequence == slot.sequence else { return nil }
            return (slot.key, stored.value)
        }
    }

    mutating func update(_ key: String, _ change: (inout Value?) -> Void) {
        let existing = values[key]
        var value = existing?.value
        change(&value)
        guard let value else {
            forget(key)
            return
        }
        if let existing {
            values[key] = (value, existing.sequence)
            return
        }
        values[key] = (value, nextSequence)
        order.append((key, nextSequence))
        nextSequence += 1
        while values.count > capacity, head < order.count {
            let slot = order[head]
            head += 1
            if values[slot.key]?.sequence == slot.sequence { values[slot.key] = nil }
        }
        compactIfNeeded()
    }

    mutating func forget(_ key: String) {
        values[key] = nil
        compactIfNeeded()
    }

    /// Drops evicted and forgotten slots from the order list once they outnumber live ones.
    private mutating func compactIfNeeded() {
        guard order.count - head > 2 * capacity || (head > 1_024 && head * 2 > order.count) else { return }
        order = order[head...].filter { values[$0.key]?.sequence == $0.sequence }
        head = 0
    }
}
