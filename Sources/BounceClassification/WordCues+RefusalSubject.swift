/// Whether a refusal word states the recipient's own condition, read from word families: "Recipient blocked",
/// "this recipient is not allowed to receive mail", "user has been banned", "your envelope recipient has been
/// denied". Round 10 (issue 12, pattern 6): the same refusal verbs serve every party; the subject of the verb
/// tells the recipient's own refusal from a refusal of us. Used by the safety guard
/// (`statesRecipientCondition`): with it, "policy" in the text says why the recipient is refused.
///
/// Tried and withdrawn in round 10: letting this reading turn a vague refusal verdict (generic.policy-rejection)
/// into a suppression by itself. It fixed no row of the blind part and falsely suppressed five there (gateway
/// wordings), so a recipient noun before "blocked" or "denied" is not enough on its own to suppress.
extension WordCues {
    /// A refusal of the recipient: `stated` when the words describe the recipient's condition (blocked,
    /// banned, suspended, not allowed to receive) rather than an act of refusing it ("recipient denied").
    struct RecipientRefusal: Sendable, Equatable {
        let reason: String
        let stated: Bool
    }

    private static let predicates: WordClass = [.refusal, .blocked, .permission, .disabled]

    /// The recipient refusal the words support, or nil when no refusal word has a recipient noun as its
    /// subject, or when one of them names us (our IP, host, domain, the sender, a relay).
    static func recipientRefusal(_ words: Words) -> RecipientRefusal? {
        let all = words.all
        guard !all.isDisjoint(with: predicates) else { return nil }
        // A relay refusal names the recipient as one we may not reach through that server: it is about us.
        if all.contains(.relay) { return nil }
        var found: RecipientRefusal? = nil
        for index in 0..<words.count {
            let word = words.at(index)
            guard !word.isDisjoint(with: predicates) else { continue }
            let negatedPermission = word.contains(.permission) && words.near(index, -2 ... -1, .negation)
            let state = word.contains(.blocked) || word.contains(.disabled) || negatedPermission
            // "Rejected" is every server's word for any refusal: after "Recipient address rejected:" comes the
            // reason, whose own subject may be us ("… rejected: Not authorized").
            let act = word.contains(.refusal) && !word.contains(.rejected)
            guard state || act else { continue }
            // "Not allowed": the subject stands before the negation.
            let verb = negatedPermission ? (words.at(index - 1).contains(.negation) ? index - 1 : index - 2) : index
            switch subject(words, before: verb, within: state ? 4 : 3) {
            case .us?: return nil
            case .recipient?:
                // Our side named right after the verb ("… not allowed to receive mail from your domain").
                if words.near(index, 1...5, [.senderMark, .ourNoun]) { return nil }
                if found == nil || state && found?.stated == false {
                    found = RecipientRefusal(reason: state ? "mailbox_disabled" : "user_unknown", stated: state)
                }
            case nil: continue
            }
        }
        return found
    }

    private enum Subject { case recipient, us }

    /// The nearest noun in the `within` words before `verb`: a recipient noun (unless one of our words
    /// qualifies it: "sender address", "your account", "IP address"), or one of our nouns. Another refusal
    /// word on the way ends the search: the noun before it is that word's subject.
    private static func subject(_ words: Words, before verb: Int, within: Int) -> Subject? {
        var position = verb - 1
        while position >= max(0, verb - within) {
            let word = words.at(position)
            if !word.isDisjoint(with: [.senderMark, .ourNoun, .domainNoun, .relay]) { return .us }
            if word.contains(.recipientNoun) {
                // "Your envelope recipient" is the recipient our envelope names.
                if words.at(position - 1).contains(.envelope) { return .recipient }
                return words.near(position, -2 ... -1, [.senderMark, .ourNoun]) ? .us : .recipient
            }
            if !word.isDisjoint(with: predicates) { return nil }
            position -= 1
        }
        return nil
    }
}

extension WordCues {
    /// Whether the words state the recipient's own condition: a recipient noun with a word saying it is
    /// unknown, invalid, disabled, suspended or closed (`suppression`'s recipient families), or a refusal word
    /// stating its condition ("user has been banned", "recipient blocked"). With it, "policy" or "content"
    /// elsewhere says why the recipient is refused, as the guard's definite recipient phrases do.
    static func statesRecipientCondition(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        withWords(of: text, orIfTooShort: false) { words in
            if let cue = suppression(words), cue.reason != "domain_not_found" { return true }
            return recipientRefusal(words)?.stated == true
        }
    }
}
