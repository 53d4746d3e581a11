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
        guard let statement = BlockedRecipient.statement(in: facts.text) else { return nil }
        let reason = switch statement {
        case .suppressionList: Self.listedRecipientReason
        case .refused: Self.refusedAddressReason
        case .blocked: Self.blockedRecipientReason
        }
        if facts.statusNamesSenderAddress { return nil }
        if SafetyGuard.withdrawingPhrase(reason: .mailboxDisabled, ruleSet: ruleSet, matched: matched, ignoringVague: true,
                                         listHoldsRecipient: true) != nil {
            return nil
        }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: reason, ruleID: Self.blockedRecipientRuleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        return Classification(category: .suppress, reason: reason, ruleID: Self.blockedRecipientRuleID,
                              evidence: "the recipient is the one stated blocked, blacklisted or suppressed")
    }

    /// A verdict on the message (spam, content) whose words state the recipient's mailbox disabled or closed: the spam word
    /// says why the account was closed ("Recipient has been suspended due to spam abuse"), as the guard already reads
    /// "Account disabled due to spam". Our IP, host, authentication, volume or temporary words still withdraw it.
    func recipientClosedBehindJudgement(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        guard BlockedRecipient.disabledStated(in: facts.text) else { return nil }
        if facts.statusNamesSenderAddress { return nil }
        if SafetyGuard.withdrawingPhrase(reason: .mailboxDisabled, ruleSet: ruleSet, matched: matched, ignoringVague: true,
                                         recipientStated: true) != nil {
            return nil
        }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: Self.blockedRecipientReason, ruleID: Self.closedRecipientRuleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        return Classification(category: .suppress, reason: Self.blockedRecipientReason, ruleID: Self.closedRecipientRuleID,
                              evidence: "the recipient's mailbox is the one stated disabled or closed")
    }

    static let closedRecipientRuleID = "family.recipient-closed"
    static let blockedRecipientRuleID = "family.recipient-blocked"
    static let blockedRecipientReason = SafetyGuard.mailboxDisabledReason
    /// A sending platform's suppression list holds the address ("Recipient was on suppression list at send time").
    static let listedRecipientReason = SafetyGuard.suppressionListReason
    /// The reply refuses the address it names ("recipient kim@example.com denied"): the address is not taken there.
    static let refusedAddressReason = "user_unknown"
}

/// "<recipient noun> <is | has been | was …> <blocked | blacklisted | banned …>", word by word (ASCII letters; any other
/// byte separates words).
///
/// Round 16 (rules-r16a, issue 12 pattern 6): a LIST state (blacklisted, blocklisted, denylisted, suppressed) says where
/// the address stands whatever the grammar around it: "Recipient blacklisted", "blacklisted recipient", "Recipient was on
/// suppression list at send time", "recipient on local blacklist". It needs no copula and may stand before the noun; a
/// list named after "on" or "in" is such a state too. "Blocked" and "banned" still need the copula ("Recipient blocked"
/// is a gateway's headline about our message), and a block whose agent is a provider, server or filter ("Recipient was
/// blocked by provider") is that party refusing the message, not a state of the address.
enum BlockedRecipient {
    /// What the words put the recipient in: a block or ban, or a sending platform's suppression list.
    enum Statement { case blocked, suppressionList, refused }

    static func stated(in text: UnsafeBufferPointer<UInt8>) -> Bool { statement(in: text) != nil }

    static func statement(in text: UnsafeBufferPointer<UInt8>) -> Statement? {
        withKinds(of: text) { kinds, suppression in
            guard let found = read(kinds) else { return nil }
            if found == .refused { return .refused }
            return suppression ? .suppressionList : .blocked
        } ?? nil
    }

    /// Round 16: the recipient stated disabled, suspended or closed ("Recipient has been suspended due to spam abuse",
    /// "This mailbox has been disabled for spam"): a noun only the recipient's side uses (not after one of our words), a
    /// copula, a state of the account. A spam word beside it says why the account was closed. Without the copula the words
    /// are a headline ("Message rejected as spam: mailbox disabled"), which round 8 keeps a verdict on our message.
    static func disabledStated(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        withKinds(of: text) { kinds, _ in
            func at(_ index: Int) -> Kind { index >= 0 && index < kinds.count ? kinds[index] : .other }
            for index in 0..<kinds.count where kinds[index] == .recipientNoun && at(index - 1) != .ourQualifier {
                var next = index + 1
                if at(next) == .qualifiedNoun || at(next) == .mailAddress { next += 1 }
                var copulas = 0
                while at(next) == .copula { next += 1; copulas += 1 }
                // A copula is needed: "Message rejected as spam: mailbox disabled" is a headline on our message (round 8).
                if copulas > 0, at(next) == .disabledState { return true }
            }
            return false
        } ?? false
    }

    /// `body` over the word kinds of `text`, with whether a "suppress…" word was among the list words; nil for short texts.
    private static func withKinds<Result>(of text: UnsafeBufferPointer<UInt8>,
                                          _ body: (UnsafeBufferPointer<Kind>, Bool) -> Result) -> Result? {
        guard text.count >= 8 else { return nil }
        let capacity = min(text.count / 2 + 1, 4096)
        return withUnsafeTemporaryAllocation(of: Kind.self, capacity: capacity) { buffer in
            var count = 0
            var suppression = false
            var index = 0
            while index < text.count, count < capacity {
                guard isLetter(text[index]) else { index += 1; continue }
                let start = index
                // A mail address ("kim@example.com") is one token: the address a reply names.
                if let end = mailAddressEnd(text, from: start) {
                    buffer[count] = .mailAddress
                    count += 1
                    index = end
                    continue
                }
                while index < text.count, isLetter(text[index]) || text[index] == UInt8(ascii: "'") { index += 1 }
                let kind = self.kind(text, start, index)
                if kind == .listState || kind == .listModifier, isSuppressionWord(text, start, index) { suppression = true }
                buffer[count] = kind
                count += 1
            }
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]), suppression)
        }
    }

    /// The reading over the word kinds: a subject (a recipient noun, or "address" after "recipient" or "destination") with
    /// its state after it, or a list state right before it.
    private static func read(_ kinds: UnsafeBufferPointer<Kind>) -> Statement? {
        func at(_ index: Int) -> Kind { index >= 0 && index < kinds.count ? kinds[index] : .other }
        var index = 0
        while index < kinds.count {
            let kind = kinds[index]
            // "Blacklisted recipient", "suppressed recipient address": the state qualifies the noun.
            if kind == .listState, at(index + 1) == .recipientNoun, at(index - 1) != .ourQualifier, !endsInOtherNoun(at, index + 1) {
                return .blocked
            }
            guard kind == .recipientNoun || kind == .qualifiedNoun && (at(index - 1) == .recipientNoun || at(index - 1) == .qualifier)
            else { index += 1; continue }
            // "Sending mailbox is blocked", "your mailbox is banned": a mailbox of ours, not the recipient's.
            if kind == .recipientNoun && at(index - 1) == .ourQualifier { index += 1; continue }
            var next = index + 1
            if at(next) == .qualifiedNoun { next += 1 }
            // "recipient kim@example.com denied": the reply names the very address it refuses.
            let named = at(next) == .mailAddress
            if named { next += 1 }
            var copulas = 0
            while at(next) == .copula { next += 1; copulas += 1 }
            switch at(next) {
            case .state where copulas > 0:
                if !blockedByAnotherParty(at, after: next) { return .blocked }
            case .listState:
                if !blockedByAnotherParty(at, after: next) { return .blocked }
            case .preposition:
                if listFollows(at, from: next + 1) { return .blocked }
            case .refusalAct where named && kind == .recipientNoun:
                if !blockedByAnotherParty(at, after: next) { return .refused }
            default:
                break
            }
            index = next
        }
        return nil
    }

    /// The end of a mail address starting at `start` (letters, digits and ".-_+%" around one "@", a dot in the domain), or nil.
    private static func mailAddressEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start, at = -1, dotAfterAt = false
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return nil }
                at = index
            } else if byte == UInt8(ascii: ".") {
                if at >= 0 { dotAfterAt = true }
            } else if !(isLetter(byte) || byte >= 0x30 && byte <= 0x39 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "%")) {
                break
            }
            index += 1
        }
        guard at > start, dotAfterAt, index > at + 1 else { return nil }
        return index
    }

    /// Whether the noun at `index` ("recipient") is followed by a noun of another party's thing ("recipient domain",
    /// "recipient server"): not the address.
    private static func endsInOtherNoun(_ at: (Int) -> Kind, _ index: Int) -> Bool {
        at(index + 1) == .otherParty
    }

    /// "… blocked by provider / by the gateway / by spam filter": that party refused the message.
    private static func blockedByAnotherParty(_ at: (Int) -> Kind, after state: Int) -> Bool {
        guard at(state + 1) == .agentMark else { return false }
        for offset in 2...4 {
            let kind = at(state + offset)
            if kind == .otherParty { return true }
            if kind != .listModifier && kind != .ourQualifier && kind != .article { return false }
        }
        return false
    }

    /// "on (the | our | local | suppression …) (blacklist | block list | suppression list)" from `start`.
    private static func listFollows(_ at: (Int) -> Kind, from start: Int) -> Bool {
        var position = start
        var modifiers = 0
        while position < start + 4 {
            switch at(position) {
            case .listNoun: return true
            case .bareList: return modifiers > 0 && at(position - 1) == .listModifier
            case .listModifier, .article, .ourQualifier: modifiers += at(position) == .listModifier ? 1 : 0
            default: return false
            }
            position += 1
        }
        return false
    }

    private enum Kind {
        case recipientNoun, qualifiedNoun, qualifier, ourQualifier, copula, state, listState, preposition, listNoun, bareList,
             listModifier, article, agentMark, otherParty, refusalAct, mailAddress, disabledState, other
    }

    /// The words the reading knows, lower-case ASCII; every other word is `.other`. Compared byte by byte: the reading
    /// runs on every refusal verdict and bare 5xx, and builds no string.
    private static let vocabulary: [([String], Kind)] = [
        (["recipient", "recipient's", "mailbox", "addressee", "rcpt"], .recipientNoun),
        (["address", "addr"], .qualifiedNoun),
        (["destination"], .qualifier),
        (["sending", "sender", "sender's", "your", "our", "my", "outgoing", "outbound", "from", "originating"], .ourQualifier),
        (["is", "has", "been", "was", "are", "have", "currently", "now", "permanently", "administratively"], .copula),
        (["blocked", "banned", "barred"], .state),
        (["blacklisted", "blocklisted", "denylisted", "suppressed"], .listState),
        (["on", "in"], .preposition),
        (["blacklist", "blocklist", "denylist", "blacklists", "blocklists"], .listNoun),
        (["list"], .bareList),
        (["suppression", "black", "block", "deny", "bounce", "local", "global", "internal", "known", "account"], .listModifier),
        (["the", "a", "this"], .article),
        (["by"], .agentMark),
        (["denied", "refused", "rejected"], .refusalAct),
        (["disabled", "suspended", "deactivated", "closed", "terminated", "deleted", "locked", "frozen", "cancelled",
          "canceled"], .disabledState),
        (["provider", "isp", "gateway", "filter", "firewall", "server", "system", "policy", "spam", "antispam", "domain", "host",
          "mta", "relay"], .otherParty),
    ]
    private static let words: [(word: [UInt8], kind: Kind)] = vocabulary.flatMap { entry in
        entry.0.map { (word: Array($0.utf8), kind: entry.1) }
    }
    private static let suppressionStem = Array("suppress".utf8)

    private static func kind(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Kind {
        let length = end - start
        for entry in words where entry.word.count == length {
            var index = 0
            while index < length, text[start + index] | (isUpper(text[start + index]) ? 0x20 : 0) == entry.word[index] { index += 1 }
            if index == length { return entry.kind }
        }
        return .other
    }

    /// Whether the word starts with "suppress" ("suppressed", "suppression").
    private static func isSuppressionWord(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= suppressionStem.count else { return false }
        for offset in 0..<suppressionStem.count where text[start + offset] | 0x20 != suppressionStem[offset] { return false }
        return true
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }
    @inline(__always) private static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
}
