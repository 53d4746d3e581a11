extension Classifier {
    /// Round 13 (rules-r13b): a generic syntax or protocol complaint (`generic.protocol-error`: "syntax error",
    /// "invalid command") whose words make the recipient address its subject ("Recipient syntax error", "syntax
    /// error in recipient address", "malformed recipient") says the address itself is malformed: `suppress` /
    /// `invalid_address` (RFC 3463 x.1.3), under the same safety rules as any suppression read from words. A
    /// complaint with no recipient noun ("Syntax error in parameters or arguments", "MAIL FROM syntax error")
    /// stays a protocol error of ours.
    ///
    /// This is the decision's only reading of the words: the text rule was chosen from the phrase automaton's matches,
    /// and a generic syntax complaint has no other role (`CompiledRule.Roles`), so no limit statement, owner reading,
    /// word cue or word model read the text before it, and the guard below reads phrases only. There are no words to
    /// take over; the tokenization runs only for texts whose chosen rule is `generic.protocol-error`-like.
    func recipientSyntaxComplaint(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        guard WordCues.withWords(of: facts.text, orIfTooShort: false, WordCues.recipientIsSyntaxSubject) else { return nil }
        let verdict = guardWordSuppression(WordCues.recipientSyntaxCue, facts: facts, matched: matched)
        return verdict.category == .suppress ? verdict : nil
    }
}

extension WordCues {
    static let recipientSyntaxCue = Cue(.suppress, "invalid_address", "family.recipient-syntax",
                                        "a syntax complaint whose subject is the recipient address")

    /// Whether a syntax word ("syntax", "malformed") has a recipient noun as its subject: the noun within three
    /// words before it, or after it behind "in" / "of" ("syntax error in the recipient address"); not a noun of
    /// ours (a sender word or "your" in the four words before it), and not when the text names our sender at all.
    static func recipientIsSyntaxSubject(_ words: Words) -> Bool {
        let all = words.all
        guard all.contains(.syntax), all.contains(.recipientNoun), !all.contains(.senderMark) else { return false }
        for index in 0..<words.count where words.at(index).contains(.syntax) {
            for before in max(0, index - 3)..<index where words.at(before).contains(.recipientNoun) {
                if !words.near(before, -4 ... -1, .senderMark) { return true }
            }
            var after = index + 1
            var sawPreposition = false
            while after <= index + 5, after < words.count {
                let word = words.at(after)
                if word.contains(.listPreposition) { sawPreposition = true }
                if word.contains(.recipientNoun) { return sawPreposition }
                after += 1
            }
        }
        return false
    }
}
