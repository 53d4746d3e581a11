import BounceClassification

/// The `category<TAB>reason<TAB>rule_id<LF>` line of each verdict, formatted once and then copied: a
/// stream answers with about a thousand distinct verdicts, and appending three strings per answer cost
/// more instructions than a line's whole decision once their reference counting was counted.
///
/// Most verdicts carry a rule's own strings: such a verdict is found by the strings' identity (their two
/// machine words: the storage object of a long string, the bytes of a short one), so a hit reads no
/// string and touches no reference count. The table holds the verdicts it keys on, so a storage object
/// it names cannot be freed and its address reused for another text while it is there. A verdict whose
/// strings are built per response misses every time and is formatted as before, so such strings are
/// best made static (`WordModel.ruleID`).
final class AnswerLines {
    /// Several times the distinct answers (1,149 in the bench mix), so that two frequent ones seldom
    /// take turns in one slot; only the slots used are touched.
    private static let slotCount = 8192
    /// Longest line a slot holds (the longest answer today is 73 bytes); a longer one is formatted each time.
    static let slotBytes = 96
    /// Per identity slot: the reason's and the rule id's words, then the category (all ones: empty).
    private let keys: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    private let lines: UnsafeMutablePointer<UInt8>
    /// The verdicts whose strings `keys` name, kept alive (read only on a miss).
    private var held: [Classification?]

    init() {
        keys = .allocate(capacity: AnswerLines.slotCount * 5)
        keys.initialize(repeating: ~0, count: AnswerLines.slotCount * 5)
        lengths = .allocate(capacity: AnswerLines.slotCount)
        lengths.initialize(repeating: 0, count: AnswerLines.slotCount)
        lines = .allocate(capacity: AnswerLines.slotCount * AnswerLines.slotBytes)
        held = Array(repeating: nil, count: AnswerLines.slotCount)
    }

    deinit {
        keys.deallocate()
        lengths.deallocate()
        lines.deallocate()
    }

    /// Appends the answer line of `verdict` to `out`; returns the line's bytes while its slot holds
    /// them (until the next `write`), nil for a line too long for a slot.
    @discardableResult
    func write(_ verdict: Classification, into out: inout OutputBuffer) throws -> UnsafeBufferPointer<UInt8>? {
        let reason = unsafeBitCast(verdict.reason, to: (UInt64, UInt64).self)
        let rule = unsafeBitCast(verdict.ruleID, to: (UInt64, UInt64).self)
        let category = UInt64(verdict.category.index)
        let mixed = (rule.0 ^ rule.1 &* 0x9E37_79B9_7F4A_7C15 ^ reason.0 &* 31 ^ reason.1 ^ category) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(mixed >> 51) & (AnswerLines.slotCount - 1)
        let key = keys + slot * 5
        if key[0] == reason.0, key[1] == reason.1, key[2] == rule.0, key[3] == rule.1, key[4] == category {
            let line = UnsafeBufferPointer(start: lines + slot * AnswerLines.slotBytes, count: lengths[slot])
            try out.append(bytes: line)
            return line
        }
        let categoryEnd = verdict.category.rawValue.utf8.count, reasonEnd = categoryEnd + 1 + verdict.reason.utf8.count
        let length = reasonEnd + 1 + verdict.ruleID.utf8.count + 1
        guard length <= AnswerLines.slotBytes else {
            // Too long for a slot (no default rule's answer is): formatted for this answer only, leaving the
            // slot, whose key still names another verdict, untouched.
            var whole = Array((verdict.category.rawValue + "\t" + verdict.reason + "\t" + verdict.ruleID + "\n").utf8)
            try whole.withUnsafeMutableBufferPointer { try out.append(bytes: UnsafeBufferPointer($0)) }
            return nil
        }
        let line = lines + slot * AnswerLines.slotBytes
        func copy(_ text: String, to offset: Int) {
            var text = text
            text.withUTF8 { bytes in if let base = bytes.baseAddress { (line + offset).update(from: base, count: bytes.count) } }
        }
        copy(verdict.category.rawValue, to: 0)
        copy(verdict.reason, to: categoryEnd + 1)
        copy(verdict.ruleID, to: reasonEnd + 1)
        line[categoryEnd] = 0x09
        line[reasonEnd] = 0x09
        line[length - 1] = 0x0A
        lengths[slot] = length
        held[slot] = verdict
        (key[0], key[1], key[2], key[3], key[4]) = (reason.0, reason.1, rule.0, rule.1, category)
        try out.append(bytes: UnsafeBufferPointer(start: line, count: length))
        return UnsafeBufferPointer(start: line, count: length)
    }
}

private extension BounceCategory {
    /// The category's position among all cases, fixed per process.
    var index: Int {
        switch self {
        case .suppress: 0
        case .retry: 1
        case .ratelimit: 2
        case .sender: 3
        case .content: 4
        case .ignore: 5
        case .unknown: 6
        }
    }
}
