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
        let suppresses: Bool
        /// The phrase is one of the rule's `any` phrases (not only an `all` one).
        let viaAny: Bool
    }

    /// `candidates[start[phrase] ..< start[phrase + 1]]`, rank descending.
    let start: UnsafeMutablePointer<Int32>
    let candidates: UnsafeMutablePointer<Candidate>
    private let phraseCount: Int

    /// `rulesByPhrase[phrase]`: the text rules using the phrase in `any` or `all`.
    init(rulesByPhrase: [[Int32]], rules: [CompiledRule], phraseLengths: [Int]) {
        phraseCount = rulesByPhrase.count
        start = .allocate(capacity: phraseCount + 1)
        let total = rulesByPhrase.reduce(0) { $0 + $1.count }
        candidates = .allocate(capacity: max(total, 1))
        var written = 0
        for (phrase, ruleIndexes) in rulesByPhrase.enumerated() {
            start[phrase] = Int32(written)
            let ranked = ruleIndexes.map { index in
                let rule = rules[Int(index)]
                return Candidate(rank: rule.rank(phraseLength: phraseLengths[phrase]), rule: index,
                                 suppresses: rule.category == .suppress, viaAny: rule.anyIDs.contains(phrase))
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
    }
}
