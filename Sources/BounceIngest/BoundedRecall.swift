import Foundation

/// A dictionary that forgets its oldest entries beyond `capacity`, so a long-running log reader
/// cannot grow without limit when queue ids are never seen again.
struct BoundedRecall<Value: Sendable>: Sendable {
    let capacity: Int
    private var values: [String: Value] = [:]
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { values.count }

    subscript(key: String) -> Value? {
        values[key]
    }

    mutating func update(_ key: String, _ change: (inout Value?) -> Void) {
        let isNew = values[key] == nil
        var value = values[key]
        change(&value)
        values[key] = value
        if isNew, value != nil { order.append(key) }
        while values.count > capacity, head < order.count {
            values[order[head]] = nil
            head += 1
        }
        compactIfNeeded()
    }

    mutating func forget(_ key: String) {
        values[key] = nil
        compactIfNeeded()
    }

    /// Drops evicted and forgotten keys from the order list once they outnumber live ones.
    private mutating func compactIfNeeded() {
        guard order.count - head > 2 * capacity || (head > 1_024 && head * 2 > order.count) else { return }
        order = order[head...].filter { values[$0] != nil }
        head = 0
    }
}
