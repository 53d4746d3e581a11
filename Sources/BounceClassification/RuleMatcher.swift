/// Whether one compiled rule's conditions all hold for a response.
enum RuleMatcher {
    /// `anyHolds`: the caller knows one of the rule's `any` phrases matched (it reached the rule
    /// through it), so the list, long in some rules, need not be searched.
    @inline(__always)
    static func matches(_ rule: CompiledRule, _ facts: Classifier.Facts, _ matched: UnsafeBufferPointer<UInt64>,
                        anyHolds: Bool = false) -> Bool {
        // `all` first: short lists that fail fast, as a rule reached through one phrase often lacks another.
        for id in rule.allIDs where !isSet(matched, id) { return false }
        if !anyHolds, !rule.anyIDs.isEmpty, !rule.anyIDs.contains(where: { isSet(matched, $0) }) { return false }
        for id in rule.noneIDs where isSet(matched, id) { return false }
        return otherConditionsHold(rule, facts)
    }

    /// `matches` for a rule whose phrase conditions are the block at `conditions` (see
    /// `TextCandidates.conditions`); the rule itself is read only when it has other conditions.
    @inline(__always)
    static func matches(_ rule: @autoclosure () -> CompiledRule, conditions: UnsafePointer<Int32>, in index: TextCandidates,
                        hasOtherConditions: Bool, _ facts: Classifier.Facts, _ matched: UnsafeBufferPointer<UInt64>,
                        anyHolds: Bool) -> Bool {
        let allCount = Int(conditions[0]), anyField = conditions[1], noneField = conditions[2]
        var ids = conditions + 3
        for offset in 0..<allCount where !isSet(matched, Int(ids[offset])) { return false }
        ids += allCount
        // An empty `any` list holds; a set is never empty.
        if !anyHolds, anyField != 0, !index.anyMatched(anyField, ids: ids, in: matched) { return false }
        ids += max(Int(anyField), 0)
        if noneField != 0, index.anyMatched(noneField, ids: ids, in: matched) { return false }
        return !hasOtherConditions || otherConditionsHold(rule(), facts)
    }

    /// The conditions of a rule other than its phrases: codes, statuses, provider scope.
    @inline(__always)
    static func otherConditionsHold(_ rule: CompiledRule, _ facts: Classifier.Facts) -> Bool {
        if !rule.codes.isEmpty {
            guard let code = facts.code, rule.codes.contains(where: { $0.matches(code) }) else { return false }
        }
        if !rule.statuses.isEmpty {
            guard let status = facts.status, rule.statuses.contains(where: { $0.matches(status) }) else { return false }
        }
        if !rule.domains.isEmpty || !rule.mtas.isEmpty {
            let domainHit = facts.recipientDomain.map { domain in rule.domains.contains { hostHasSuffix(domain, $0) } } ?? false
            let mtaHit = facts.remoteMTA.map { host in rule.mtas.contains { hostHasSuffix(host, $0) } } ?? false
            if !domainHit && !mtaHit { return false }
        }
        return true
    }

    /// `host` equals `suffix` or ends with `.suffix`, ASCII case-insensitively (`suffix` is lower case).
    static func hostHasSuffix(_ host: String, _ suffix: String) -> Bool {
        let hostBytes = host.utf8, suffixBytes = suffix.utf8
        guard hostBytes.count >= suffixBytes.count else { return false }
        var hostIndex = hostBytes.endIndex
        var suffixIndex = suffixBytes.endIndex
        while suffixIndex > suffixBytes.startIndex {
            hostBytes.formIndex(before: &hostIndex)
            suffixBytes.formIndex(before: &suffixIndex)
            if PhraseAutomaton.lowercase(hostBytes[hostIndex]) != suffixBytes[suffixIndex] { return false }
        }
        if hostIndex == hostBytes.startIndex { return true }
        hostBytes.formIndex(before: &hostIndex)
        return hostBytes[hostIndex] == 0x2E
    }
}
