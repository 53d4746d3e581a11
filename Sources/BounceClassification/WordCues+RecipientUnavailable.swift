/// Round 16 (rules-r16a, issue 12 pattern 2): RFC 5321's 550 text says "mailbox unavailable" of a recipient that is
/// not there; MTAs shorten it to their own noun ("556 Address unavailable.", Courier's reply for an address whose
/// delivery failed within the last hours; "550 User unavailable"). A recipient noun right before "unavailable", under
/// a permanent reply, is that text: the recipient is gone. The same words under a 4xx ("450 User unavailable",
/// Courier's "456 Address temporarily unavailable.") stay a retry, and with no code at all they say nothing: the caller
/// asks for a permanent code first and applies the safety guard.
///
/// Only "address", "user", "recipient", "addressee" and "rcpt", right before the word: "mailbox unavailable" has rules
/// of its own that step aside inside client wrappers on purpose (round 8), "account unavailable" may be ours (a relay's
/// "Main account unavailable"), and a word between ("the following address: … Service unavailable") is another subject.
/// Not after one of our words ("sender address unavailable", "your address").
extension WordCues {
    static let recipientUnavailable = Cue(.suppress, "user_unknown", "family.recipient-unavailable",
                                          "a recipient noun said unavailable under a permanent reply (RFC 5321's 550 text)")

    private static let unavailableNouns: [[UInt8]] = ["address", "user", "recipient", "addressee", "rcpt"].map { Array($0.utf8) }
    private static let ourWords: [[UInt8]] = ["sender", "sender's", "your", "our", "from", "sending", "ip", "originator"].map { Array($0.utf8) }
    private static let unavailableWord = Array("unavailable".utf8)

    /// Whether "unavailable" follows one of the recipient nouns directly (ASCII letters; other bytes separate words,
    /// but only spaces may stand between the two words).
    static func namesRecipientUnavailable(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 12 else { return false }
        var before: Range<Int>? = nil, previous: Range<Int>? = nil
        var index = 0
        while index < text.count {
            guard isWordByte(text[index]) else { index += 1; continue }
            let start = index
            while index < text.count, isWordByte(text[index]) { index += 1 }
            let word = start..<index
            if let noun = previous, equals(text, word, unavailableWord), onlySpaces(text, noun.upperBound, start),
               unavailableNouns.contains(where: { equals(text, noun, $0) }),
               !(before.map { range in ourWords.contains { equals(text, range, $0) } } ?? false) {
                return true
            }
            before = previous
            previous = word
        }
        return false
    }

    @inline(__always) private static func isWordByte(_ byte: UInt8) -> Bool {
        byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A || byte == UInt8(ascii: "'")
    }

    private static func onlySpaces(_ text: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        for index in from..<to where text[index] != 0x20 { return false }
        return true
    }

    private static func equals(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: [UInt8]) -> Bool {
        guard range.count == word.count else { return false }
        for (offset, byte) in word.enumerated() where text[range.lowerBound + offset] | 0x20 != byte { return false }
        return true
    }
}
