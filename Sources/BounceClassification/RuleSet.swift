@preconcurrency import Glibc

/// All rules compiled for matching: one phrase automaton, rules in decision order, and indexes
/// from phrase, status subject and reply code to the rules that could match.
struct RuleSet: Sendable {
    /// Rules in decision order: user rules first, then by tier, priority, specificity and file order.
    let rules: [CompiledRule]
    let automaton: PhraseAutomaton
    /// The phrases, by id, as matched (normalized).
    let phrases: [String]
    /// Byte length of each phrase, by id.
    let phraseLengths: [Int]
    /// Phrase ids `0..<rulePhraseCount` belong to rules; the rest are the safety guard's.
    let rulePhraseCount: Int
    /// The first phrase id of the guard's phrases (`guardPhrases`, in order).
    var guardPhraseBase: Int { rulePhraseCount }
    /// Phrase ids of `SafetyGuard.definiteRecipientPhrases` and `SafetyGuard.recipientOwnBlockPhrases`.
    let definiteRange: Range<Int>
    let ownBlockRange: Range<Int>
    /// Phrase ids of `SafetyGuard.recipientNamedPhrases`.
    let recipientNamedRange: Range<Int>
    /// For each rule phrase, the rules using it in `any` or `all`, best rank first.
    let textCandidates: TextCandidates
    /// Non-text rules scoped to a provider, ascending order.
    let providerRules: [Int32]
    /// Whether a user's rule file holds a provider, status or code rule (one may beat a default text rule).
    let hasUserNonTextRules: Bool
    /// Status-tier rules by subject (index 0...999), plus those with a wildcard subject.
    let statusRulesBySubject: [[Int32]]
    let statusRulesAnySubject: [Int32]
    /// Code-tier rules by reply code (index 0...599).
    let codeRules: [[Int32]]
    /// The guard's phrases (ids from `rulePhraseCount`), with what they mean.
    let guardPhrases: [SafetyGuard.Phrase]
    /// Each guard phrase's strength, flat, so the suppression path reads no strings.
    let guardStrengths: [SafetyGuard.Strength]
    /// For each guard phrase, the phrase id of its `unlessAlso` wording, or -1.
    let guardUnlessIDs: [Int32]

    /// Compiles `defaults` and `user` rules; a user rule with a default rule's id replaces it. `automaton`
    /// makes the automaton of the marked phrases (a rules cache may have it ready).
    init(defaults: [RuleDefinition], user: [RuleDefinition],
         automaton makeAutomaton: ([[UInt8]]) -> PhraseAutomaton = { PhraseAutomaton(phrases: $0) }) {
        let replaced = Set(user.map(\.id))
        let ordered = RuleSet.decisionOrder(user) + RuleSet.decisionOrder(defaults.filter { !replaced.contains($0.id) })

        var phraseIDs: [String: Int] = [:]
        var phraseList: [String] = []
        // Phrases are looked up by their bytes first: a String key of a non-ASCII phrase (half of them)
        // is hashed and compared through its normal form, and the rules name some 60,000 phrases, so that
        // cost a sixth of a warm start-up. Bytes seen for the first time still go through `phraseIDs`,
        // so canonically equivalent spellings share an id exactly as before.
        var idsByBytes = PhraseByteIndex(capacity: ordered.reduce(0) {
            $0 + $1.anyPhrases.count + $1.allPhrases.count + $1.nonePhrases.count
        })
        func phraseID(_ phrase: String) -> Int {
            var utf8 = phrase
            return utf8.withUTF8 { bytes in
                let slot = idsByBytes.slot(of: bytes)
                if let id = idsByBytes.id(at: slot) { return id }
                let id: Int
                if let known = phraseIDs[phrase] {
                    id = known
                } else {
                    id = phraseList.count
                    phraseIDs[phrase] = id
                    phraseList.append(phrase)
                }
                idsByBytes.insert(Array(bytes), id: id, at: slot)
                return id
            }
        }
        var compiled: [CompiledRule] = []
        for (order, definition) in ordered.enumerated() {
            compiled.append(CompiledRule(
                definition: definition, order: order,
                anyIDs: definition.anyPhrases.map(phraseID), allIDs: definition.allPhrases.map(phraseID),
                noneIDs: definition.nonePhrases.map(phraseID)))
        }
        rulePhraseCount = phraseList.count
        var guardPhrases: [SafetyGuard.Phrase] = []
        for entry in SafetyGuard.phrases {
            // Guard phrases get their own ids even when a rule uses the same words.
            phraseList.append(String(decoding: PhraseAutomaton.normalize(entry.phrase), as: UTF8.self))
            guardPhrases.append(entry)
        }
        self.guardPhrases = guardPhrases
        guardStrengths = guardPhrases.map(\.strength)
        func appendAll(_ list: [String]) -> Range<Int> {
            let start = phraseList.count
            phraseList += list.map { String(decoding: PhraseAutomaton.normalize($0), as: UTF8.self) }
            return start..<phraseList.count
        }
        definiteRange = appendAll(SafetyGuard.definiteRecipientPhrases)
        ownBlockRange = appendAll(SafetyGuard.recipientOwnBlockPhrases)
        recipientNamedRange = appendAll(SafetyGuard.recipientNamedPhrases)
        var unlessIDs: [Int32] = []
        for entry in guardPhrases {
            if let unless = entry.unlessAlso {
                unlessIDs.append(Int32(phraseList.count))
                phraseList.append(String(decoding: PhraseAutomaton.normalize(unless), as: UTF8.self))
            } else {
                unlessIDs.append(-1)
            }
        }
        guardUnlessIDs = unlessIDs
        phrases = phraseList
        // Ranked by the bytes matched, not by the markers written (`|spam|`, `~virus`).
        phraseLengths = phraseList.map { PhraseAutomaton.boundaryMarkers(Array($0.utf8)).bytes.count }
        automaton = makeAutomaton(phraseList.map { Array($0.utf8) })
        rules = compiled

        var byPhrase = [[Int32]](repeating: [], count: rulePhraseCount)
        var provider: [Int32] = []
        var bySubject = [[Int32]](repeating: [], count: 1000)
        var anySubject: [Int32] = []
        var byCode = [[Int32]](repeating: [], count: 600)
        for rule in compiled {
            let index = Int32(rule.order)
            switch rule.definition.tier {
            case .text:
                for id in Set(rule.anyIDs + rule.allIDs) { byPhrase[id].append(index) }
            case .provider:
                provider.append(index)
            case .status:
                for pattern in rule.definition.statuses {
                    if let subject = pattern.subject {
                        if bySubject[subject].last != index { bySubject[subject].append(index) }
                    } else if anySubject.last != index {
                        anySubject.append(index)
                    }
                }
            case .code:
                for pattern in rule.definition.codes {
                    for code in pattern.codes where byCode[code].last != index { byCode[code].append(index) }
                }
            }
        }
        textCandidates = TextCandidates(rulesByPhrase: byPhrase, rules: compiled, phraseLengths: phraseLengths,
                                        summaryStart: automaton.phraseWords)
        providerRules = provider
        hasUserNonTextRules = compiled.contains { $0.isUserRule && $0.tier != .text }
        statusRulesBySubject = bySubject
        statusRulesAnySubject = anySubject
        codeRules = byCode
    }

    /// Tier first; within a tier higher priority, then (text rules) provider-scoped before general,
    /// then (other tiers) narrower status/code patterns, then the order in the files.
    /// The keys are read once per rule and the positions sorted: comparing the definitions themselves
    /// copied two of them (and counted references to all their arrays) per comparison.
    private static func decisionOrder(_ definitions: [RuleDefinition]) -> [RuleDefinition] {
        let keys = definitions.map { definition in
            (tier: definition.tier, priority: definition.priority,
             scoped: !(definition.domains.isEmpty && definition.mtas.isEmpty),
             width: definition.tier == .text ? 0 : definition.specificityWidth)
        }
        return definitions.indices.sorted { left, right in
            let a = keys[left], b = keys[right]
            if a.tier != b.tier { return a.tier < b.tier }
            if a.priority != b.priority { return a.priority > b.priority }
            if a.scoped != b.scoped { return a.scoped }
            if a.tier != .text, a.width != b.width { return a.width < b.width }
            return left < right
        }.map { definitions[$0] }
    }
}

/// Phrase ids by the phrases' UTF-8 bytes: open addressing, sized once for every phrase the rules
/// name, FNV-1a over the bytes, keys compared with memcmp. (A String key hashes and compares a non-ASCII
/// phrase through its normal form; a wrapper around the bytes in a Dictionary still cost some 680
/// instructions a lookup, and the rules name some 60,000 phrases.)
private struct PhraseByteIndex {
    private var keys: [[UInt8]?]
    private var ids: [Int]
    private let mask: Int

    /// Room for `capacity` distinct phrases at most half full.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: nil, count: size)
        ids = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The slot holding `bytes`, or the empty slot where they belong.
    func slot(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var slot = Int(truncatingIfNeeded: hash ^ hash >> 29) & mask
        while let key = keys[slot] {
            let same = key.count == bytes.count
                && key.withUnsafeBufferPointer { bytes.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            if same { return slot }
            slot = (slot + 1) & mask
        }
        return slot
    }

    func id(at slot: Int) -> Int? { ids[slot] >= 0 ? ids[slot] : nil }

    mutating func insert(_ bytes: [UInt8], id: Int, at slot: Int) {
        keys[slot] = bytes
        ids[slot] = id
    }
}
