/// Round 16 (rules-r16c): the cause a text names beside a status that would suppress by itself.
///
/// The default status rules suppress from a bare 5.1.1, 5.1.2, 5.1.3, 5.1.6, 5.1.10, 5.2.1 or 5.4.4 when no text
/// rule read the words (issue 12, pattern 7: "a bare 5.1.1 means the address is bad"). A status is only a number a
/// server chose; when the words beside it name another cause, the words are the better signal (DESIGN.md: "the text
/// is the best signal, the enhanced status code second"). ZeptoMail answers a mail without a subject with
/// "5.2.1 Subject is Mandatory.": no mailbox is disabled. So the words are read by their families first: when they
/// support the suppression (a recipient or domain that is gone) the status stands; when they name a limit, a full
/// mailbox, a size, a relay refusal, words about us, content, a TLS fault or an expiry, that cause decides; and a
/// part of the message said to be required or missing is the message's fault (`content`). Temporary wording is left
/// to the safety guard, and a bare refusal that names no party ("rejected", "access denied") leaves the status.
extension WordCues {
    private static let messagePartDemanded = Cue(.content, "content_policy", "family.content-words",
                                                 "a part of the message (subject, header, body) said to be required or missing")

    /// The cause other than the suppressing status that the words name, or nil when they name none or support it.
    static func causeOtherThanStatus(_ text: UnsafeBufferPointer<UInt8>) -> Cue? {
        withWords(of: text, orIfTooShort: nil) { words in
            if suppression(words) != nil { return nil }
            if let limit = limitStatement(words) { return limit }
            if demandsMessagePart(words) { return messagePartDemanded }
            guard let other = otherCue(words), !other.isTemporaryWording, !other.needsNoPermanentCode else { return nil }
            let definite = ["family.rate-words", "family.full-words", "family.size-words", "family.expiry-words",
                            "family.relay-words", "family.sender-words", "family.content-words", "family.tls-words"]
            return definite.contains(other.ruleID) || other == refusedUs ? other : nil
        }
    }

    /// A part of the message (subject, header, body …) within three words of a word that demands it or says it is
    /// missing ("Subject is Mandatory.", "missing Date header", "the body must not be empty"); not a recipient noun
    /// in between ("the address in the To header is missing" is about the address).
    private static func demandsMessagePart(_ words: Words) -> Bool {
        let all = words.all
        guard !all.isDisjoint(with: [.required, .absent]), !all.isDisjoint(with: [.messagePart, .contentNoun]) else { return false }
        for index in 0..<words.count where !words.at(index).isDisjoint(with: [.messagePart, .contentNoun]) {
            if words.near(index, -3...3, [.required, .absent]), !words.near(index, -3...3, .recipientNoun) { return true }
        }
        return false
    }
}

extension WordFamilies {
    /// Round 16 (rules-r16c): the parts of a message a destination may demand, and the words saying one is not there.
    static let statusCauseVocabulary: [(String, WordClass)] = [
        ("subject", .messagePart), ("date", .messagePart),
        ("missing", .absent), ("empty", .absent), ("blank", .absent), ("absent", .absent),
    ]
}
