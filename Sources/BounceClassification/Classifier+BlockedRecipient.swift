/// Round 15 (rules-r15a, issue 12 pattern 6): a block stated of the recipient. A default text rule that reads
/// "blocked" or "blacklisted" as a refusal of us (`generic.policy-rejection`, `generic.ip-blocklisted`) may be reading a
/// sentence whose subject is the address we send to: Postfix's check_recipient_access "REJECT This recipient is
/// blacklisted", a relay's "Your recipient address has been blocked by admins". Mail to that address will not be taken
/// however we fix our side, so the address is suppressed (`mailbox_disabled`).
///
/// The shape is read word by word (`BlockedRecipient.stated`): a noun only the recipient's side uses ("recipient",
/// "recipient address", "mailbox", "addressee") followed by a copula ("is", "has been") and a list or block state
/// ("blocked", "blacklisted", "banned"): a sentence about the recipient. A bare "Address blocked" or "user is blacklisted"
/// may name our sender or our login; the headline "Recipient blocked" is a gateway's verdict on our message to that
/// recipient (rounds 10 and 12 found it so in the blind part, and their tests keep it `sender`); "Mailbox delivery
/// restricted by policy" (Zoho) restricts the delivery, not the mailbox; a refusal act ("Recipient address rejected:
/// Access denied") states nothing. All stay `sender`.
///
/// The suppression stands under the safety guard, except that block-list and vague words do not withdraw it (the
/// words put the recipient on the list and give the reason): our IP, host, a list service, authentication, volume or
/// temporary words still do, a 4xx keeps the reason and retries, and a status about our sender's address withdraws it.
/// Round 10 let a looser reading (any recipient noun before any refusal word) suppress behind every vague refusal and
/// withdrew it after five gateway false suppressions in the blind part.
extension Classifier {
    /// Whether a rule reads a refusal of us from words that may have the recipient as their subject.
    static func mayNameBlockedRecipient(_ rule: CompiledRule) -> Bool {
        guard rule.tier == .text, !rule.isUserRule, rule.category == .sender else { return false }
        return rule.reason == "policy_rejection" || rule.reason == "ip_blocklisted"
    }

    /// A blocked recipient stated in the words, as a suppression the guard lets stand, or nil.
    func blockedRecipientBehindRefusal(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        guard BlockedRecipient.stated(in: facts.text) else { return nil }
        if facts.statusNamesSenderAddress { return nil }
        if SafetyGuard.withdrawingPhrase(reason: .mailboxDisabled, ruleSet: ruleSet, matched: matched, ignoringVague: true,
                                         listHoldsRecipient: true) != nil {
            return nil
        }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: Self.blockedRecipientReason, ruleID: Self.blockedRecipientRuleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        return Classification(category: .suppress, reason: Self.blockedRecipientReason, ruleID: Self.blockedRecipientRuleID,
                              evidence: "the recipient is the one stated blocked or blacklisted")
    }

    static let blockedRecipientRuleID = "family.recipient-blocked"
    static let blockedRecipientReason = "mailbox_disabled"
}

/// "<recipient noun> <is | has been | was …> <blocked | blacklisted | banned …>", word by word (ASCII letters; any other
/// byte separates words).
enum BlockedRecipient {
    static func stated(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 8 else { return false }
        var previous: Kind = .other
        var subject = false, copula = false
        var index = 0
        while index < text.count {
            guard isLetter(text[index]) else { index += 1; continue }
            let start = index
            while index < text.count, isLetter(text[index]) || text[index] == UInt8(ascii: "'") { index += 1 }
            let kind = self.kind(text, start, index)
            switch kind {
            case .recipientNoun:
                // "Sending mailbox is blocked", "your mailbox is banned": a mailbox of ours, not the recipient's.
                subject = previous != .ourQualifier
                copula = false
            case .qualifiedNoun:
                // "address" counts only after "recipient" or "destination": "recipient address is blacklisted".
                subject = previous == .recipientNoun || previous == .qualifier
                copula = false
            case .copula:
                copula = subject
            case .state:
                if subject && copula { return true }
                subject = false
            case .qualifier, .ourQualifier, .other:
                subject = false
            }
            previous = kind
        }
        return false
    }

    private enum Kind { case recipientNoun, qualifiedNoun, qualifier, ourQualifier, copula, state, other }

    /// The words the reading knows, lower-case ASCII; every other word is `.other`. Compared byte by byte: the reading
    /// runs on every refusal verdict and bare 5xx, and builds no string.
    private static let vocabulary: [([String], Kind)] = [
        (["recipient", "recipient's", "mailbox", "addressee", "rcpt"], .recipientNoun),
        (["address", "addr"], .qualifiedNoun),
        (["destination"], .qualifier),
        (["sending", "sender", "sender's", "your", "our", "my", "outgoing", "outbound", "from", "originating"], .ourQualifier),
        (["is", "has", "been", "was", "are", "have", "currently", "now", "permanently", "administratively"], .copula),
        (["blocked", "blacklisted", "blocklisted", "denylisted", "banned", "barred"], .state),
    ]
    private static let words: [(word: [UInt8], kind: Kind)] = vocabulary.flatMap { entry in
        entry.0.map { (word: Array($0.utf8), kind: entry.1) }
    }

    private static func kind(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Kind {
        let length = end - start
        for entry in words where entry.word.count == length {
            var index = 0
            while index < length, text[start + index] | (isUpper(text[start + index]) ? 0x20 : 0) == entry.word[index] { index += 1 }
            if index == length { return entry.kind }
        }
        return .other
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }
    @inline(__always) private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
}
