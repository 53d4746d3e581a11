extension Classifier {
    /// Whether a default text rule refuses with no cause of its own (`sender` / `policy_rejection`): a
    /// client's or gateway's translation of the status ("You do not have permission to send to this
    /// recipient", "Delivery not authorized") rather than the remote server's reason.
    static func isUnexplainedRefusal(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.unexplainedRefusal)
    }

    /// Round 11 (issue 12, pattern 6): behind such a refusal, the remote server's own words may state the
    /// recipient's condition ("< server #5.7.1 smtp;554 5.7.1 rejected: Inactive user>"): a recipient noun
    /// with a word saying it is unknown, disabled or closed (`WordCues.suppression`, not a refusal verb: round
    /// 10 found "recipient blocked" alone too weak). The words of the refusal itself are left out first
    /// (`refusal`, the phrase its rule matched): they tell who is refused, and "a closed user group system"
    /// refuses us however its words read. What remains stands under the same safety rules as a rule's
    /// suppression: words naming us or a temporary fault withdraw it (the vague "policy" does not, the
    /// condition being stated), a 4xx keeps the reason but retries, and a domain reading never replaces the
    /// refusal. When the phrase cannot be found again in the text, the refusal stands.
    func recipientConditionBehindRefusal(_ facts: Facts, refusal: String, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        let text = facts.text
        guard text.count >= 4, let range = Self.occurrence(of: Array(refusal.utf8), in: text) else { return nil }
        let cue: WordCues.Cue? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { copy in
            _ = copy.initialize(from: text)
            for index in range { copy[index] = 0x20 }
            return WordCues.read(UnsafeBufferPointer(copy)).suppress
        }
        guard let cue, cue.reason != "domain_not_found" else { return nil }
        if withdrawal(SafetyGuard.ReasonKind(reason: cue.reason), facts: facts, matched: matched) != nil { return nil }
        if facts.statusNamesSenderAddress { return nil }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: SafetyGuard.temporaryReason(for: cue.reason), ruleID: cue.ruleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }

    /// Where `phrase` (lower-case ASCII, one space between words) first occurs in `text`, ignoring ASCII case
    /// and reading any run of whitespace as one space; nil when it does not (other foldings, markers).
    static func occurrence(of phrase: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let first = phrase.first else { return nil }
        let count = text.count
        var start = 0
        while start < count {
            if PhraseAutomaton.lowercase(text[start]) == first {
                var position = start, index = 0
                while index < phrase.count, position < count {
                    let expected = phrase[index]
                    if expected == 0x20, isSpace(text[position]) {
                        while position < count, isSpace(text[position]) { position += 1 }
                        index += 1
                    } else if PhraseAutomaton.lowercase(text[position]) == expected {
                        position += 1
                        index += 1
                    } else {
                        break
                    }
                }
                if index == phrase.count { return start..<position }
            }
            start += 1
        }
        return nil
    }

    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
