/// For each rule phrase, the text rules it can decide for, best rank first, in flat memory read through
/// raw pointers: the hot path walks a phrase's candidates without touching a rule until one could win,
/// and stops at the first that matches or that ranks below the best found so far.
///
/// The rank of a candidate is its rule's rank through that phrase (`CompiledRule.rank(phraseLength:)`);
/// ranks differ between the rules of one phrase (the file order is part of them), so "best rank first,
/// stop at the first match" picks exactly the rule that trying every candidate would.
final class TextCandidates: @unchecked Sendable {
    /// One rule reachable through a phrase.
    struct Candidate {
        let rank: UInt64
        let rule: Int32
        /// Where the rule's phrase conditions start in `conditions`.
        let conditions: Int32
        /// One of the rule's `all` phrases other than this one, or -1: tested before the rule is read,
        /// as a rule reached through one phrase often lacks another.
        let otherAll: Int32
        let suppresses: Bool
        /// The phrase is one of the rule's `any` phrases (not only an `all` one).
        let viaAny: Bool
        /// Whether `otherAll` (when set) is the rule's only condition left, so that the rule itself need
        /// not be read: no other `all` phrase, no `none`, no code, status or provider scope, and `any`
        /// satisfied through this phrase (or absent).
        let decidedByOtherAll: Bool
        /// The rule also has conditions other than phrases (codes, statuses, a provider scope): only
        /// then is the rule itself read.
        let hasOtherConditions: Bool
    }

    /// `candidates[start[phrase] ..< start[phrase + 1]]`, rank descending.
    let start: UnsafeMutablePointer<Int32>
    let candidates: UnsafeMutablePointer<Candidate>
    /// Each text rule's phrase conditions in one block of memory, so that testing them touches one or
    /// two cache lines instead of the rule and its three arrays: the number of `all`, `any` and `none`
    /// phrases, then their ids in that order. An `any` or `none` list longer than `longList` (the
    /// vocabulary rules' share lists of a hundred words) is written as `-1 - set` instead of its count,
    /// and its ids as bits of `sets`: a text sets few phrase words, so testing the words its summary
    /// marks costs a handful of steps where a bit test per listed phrase cost a hundred.
    let conditions: UnsafeMutablePointer<Int32>
    /// `sets[set * setWords ..< (set + 1) * setWords]`: the phrase bits of one long list (identical
    /// lists share one set), over the rule phrases' words.
    let sets: UnsafeMutablePointer<UInt64>
    let setWords: Int
    /// Where a `matched` buffer's summary words start (`PhraseAutomaton.phraseWords`).
    let summaryStart: Int
    static let longList = 12
    private let phraseCount: Int

    /// `rulesByPhrase[phrase]`: the text rules using the phrase in `any` or `all`.
    /// `rulesByPhrase[phrase]`: the text rules using the phrase in `any` or `all`; `summaryStart`: the
    /// automaton's `phraseWords`.
    init(rulesByPhrase: [[Int32]], rules: [CompiledRule], phraseLengths: [Int], summaryStart: Int) {
        phraseCount = rulesByPhrase.count
        self.summaryStart = summaryStart
        let setWords = max((phraseCount + 63) >> 6, 1)
        self.setWords = setWords
        start = .allocate(capacity: phraseCount + 1)
        let total = rulesByPhrase.reduce(0) { $0 + $1.count }
        candidates = .allocate(capacity: max(total, 1))
        var blocks: [Int32] = []
        var blockStart: [Int32: Int32] = [:]
        var setBits: [UInt64] = []
        var setNumbers: [[Int]: Int32] = [:]
        /// A list's field of the block and the ids written after it (none for a set).
        func field(_ ids: [Int]) -> (Int32, [Int32]) {
            guard ids.count > TextCandidates.longList else { return (Int32(ids.count), ids.map { Int32($0) }) }
            let key = ids.sorted()
            if let number = setNumbers[key] { return (-1 - number, []) }
            let number = Int32(setNumbers.count)
            setNumbers[key] = number
            var bits = [UInt64](repeating: 0, count: setWords)
            for id in ids { bits[id >> 6] |= 1 << UInt64(id & 63) }
            setBits += bits
            return (-1 - number, [])
        }
        for rule in Set(rulesByPhrase.joined()).sorted() {
            let compiled = rules[Int(rule)]
            blockStart[rule] = Int32(blocks.count)
            let any = field(compiled.anyIDs), none = field(compiled.noneIDs)
            blocks += [Int32(compiled.allIDs.count), any.0, none.0]
            blocks += compiled.allIDs.map { Int32($0) } + any.1 + none.1
        }
        conditions = .allocate(capacity: max(blocks.count, 1))
        conditions.initialize(from: blocks, count: blocks.count)
        sets = .allocate(capacity: max(setBits.count, 1))
        sets.initialize(from: setBits, count: setBits.count)
        var written = 0
        for (phrase, ruleIndexes) in rulesByPhrase.enumerated() {
            start[phrase] = Int32(written)
            let ranked = ruleIndexes.map { index in
                let rule = rules[Int(index)]
                let viaAny = rule.anyIDs.contains(phrase)
                let otherAlls = rule.allIDs.filter { $0 != phrase }
                let hasOther = !(rule.codes.isEmpty && rule.statuses.isEmpty && rule.domains.isEmpty && rule.mtas.isEmpty)
                let decided = otherAlls.count <= 1 && rule.noneIDs.isEmpty && !hasOther && (viaAny || rule.anyIDs.isEmpty)
                return Candidate(rank: rule.rank(phraseLength: phraseLengths[phrase]), rule: index,
                                 conditions: blockStart[index]!, otherAll: Int32(otherAlls.first ?? -1),
                                 suppresses: rule.category == .suppress, viaAny: viaAny, decidedByOtherAll: decided,
                                 hasOtherConditions: hasOther)
            }.sorted { $0.rank > $1.rank }
            for candidate in ranked {
                (candidates + written).initialize(to: candidate)
                written += 1
            }
        }
        start[phraseCount] = Int32(written)
    }

    deinit {
        start.deallocate()
        candidates.deallocate()
        conditions.deallocate()
        sets.deallocate()
    }

    /// Whether a phrase of list field `field` (see `conditions`) is set in `matched`: its ids, which
    /// follow at `ids`, or its set's bits over the words that `matched`'s summary marks.
    @inline(__always)
    func anyMatched(_ field: Int32, ids: UnsafePointer<Int32>, in matched: UnsafeBufferPointer<UInt64>) -> Bool {
        if field >= 0 {
            for offset in 0..<Int(field) where isSet(matched, Int(ids[offset])) { return true }
            return false
        }
        let bits = sets + Int(-1 - field) * setWords
        for summaryIndex in 0..<((setWords + 63) >> 6) {
            var marks = matched[summaryStart + summaryIndex]
            while marks != 0 {
                let word = summaryIndex << 6 + marks.trailingZeroBitCount
                if word >= setWords { return false }
                if matched[word] & bits[word] != 0 { return true }
                marks &= marks &- 1
            }
        }
        return false
    }
}
