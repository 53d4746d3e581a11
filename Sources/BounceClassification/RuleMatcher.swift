/// Whether one compiled rule's conditions all hold for a response.
enum RuleMatcher {
    @inline(__always)
    static func matches(_ rule: CompiledRule, _ facts: Classifier.Facts, _ matched: UnsafeBufferPointer<UInt64>) -> Bool {
        if !rule.anyIDs.isEmpty, !rule.anyIDs.contains(where: { isSet(matched, $0) }) { return false }
        for id in rule.allIDs where !isSet(matched, id) { return false }
        for id in rule.noneIDs where isSet(matched, id) { return false }
        let definition = rule.definition
        if !definition.codes.isEmpty {
            guard let code = facts.code, definition.codes.contains(where: { $0.matches(code) }) else { return false }
        }
        if !definition.statuses.isEmpty {
            guard let status = facts.status, definition.statuses.contains(where: { $0.matches(status) }) else { return false }
        }
        if !definition.domains.isEmpty || !definition.mtas.isEmpty {
            let domainHit = facts.recipientDomain.map { domain in definition.domains.contains { hostHasSuffix(domain, $0) } } ?? false
            let mtaHit = facts.remoteMTA.map { host in definition.mtas.contains { hostHasSuffix(host, $0) } } ?? false
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
