@preconcurrency import Glibc

/// Looks into transcripts that carry several replies (a Sendmail session, an Exim or qmail report,
/// a busy reply followed by the recipient's reply): is there a permanent reply about the recipient
/// (`550 5.1.1`, `550-5.2.1`) anywhere in the text? Used only on the rare path where a 4xx found in
/// the text would otherwise turn a suppression into a retry; allocation-free.
enum TranscriptReplies {
    /// Whether the text holds a reply `5dd` followed by a space or `-` and a `5.1.x` or `5.2.x` status,
    /// not glued to a preceding word or number (a line break written as the two characters `\n`, as
    /// pipelines that store one response per line do, counts as a break), or a Sendmail transcript line `<<< 5dd ` or a
    /// qmail-remote "Remote host said: 5dd " (old servers give no status).
    static func containsPermanentRecipientReply(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        lastPermanentRecipientReply(text) != nil
    }

    /// Where the last such reply starts (its reply code), or nil.
    static func lastPermanentRecipientReply(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = text.baseAddress else { return nil }
        let count = text.count
        var from = 0
        var last: Int? = nil
        // Only the `5`s are visited: memchr skips the rest many bytes at a time.
        while from + 4 <= count, let found = memchr(base + from, 0x35, count - 3 - from) {
            let index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            from = index + 1
            if isDigit(text[index + 1]), isDigit(text[index + 2]), text[index + 3] == 0x20 || text[index + 3] == 0x2D {
                if index + 9 <= count, text[index + 4] == 0x35, text[index + 5] == 0x2E,
                   text[index + 6] == 0x31 || text[index + 6] == 0x32, text[index + 7] == 0x2E, isDigit(text[index + 8]),
                   index == 0 || !PhraseAutomaton.isWordByte(text[index - 1]) && text[index - 1] != 0x2E
                    || index >= 2 && text[index - 1] == 0x6E && text[index - 2] == 0x5C {
                    last = index
                } else if index >= 4, text[index - 1] == 0x20, text[index - 2] == 0x3C, text[index - 3] == 0x3C, text[index - 4] == 0x3C {
                    last = index
                } else if PhraseAutomaton.text(text, has: remoteHostSaid, endingAt: index) {
                    last = index
                }
            }
        }
        return last
    }

    /// qmail-remote's "Remote host said: " introduces each reply it quotes, also the status-less ones of
    /// older servers ("550 Account closed") after "does not like recipient" (round 9, family 3).
    private static let remoteHostSaid: [UInt8] = Array("remote host said: ".utf8)

    /// Whether the reply at `start` is the last line of a multi-line reply begun earlier (`550-5.2.1 …`
    /// before `550 5.2.1 …`): the same code followed by `-` occurs before it.
    static func continues(_ text: UnsafeBufferPointer<UInt8>, replyAt start: Int) -> Bool {
        guard start >= 4, start + 3 <= text.count else { return false }
        let first = text[start], second = text[start + 1], third = text[start + 2]
        var index = 0
        while index + 4 <= start {
            if text[index] == first, text[index + 1] == second, text[index + 2] == third, text[index + 3] == 0x2D { return true }
            index += 1
        }
        return false
    }

    private static let mailFromCommand: [UInt8] = Array(">>> mail from:".utf8)

    /// Whether a Sendmail transcript's last `>>> MAIL From:` was answered by `<<< 2dd` (accepted): then
    /// the failure came at a later command, and the MAIL FROM line names no refusal of us.
    static func mailFromAccepted(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let pattern = mailFromCommand
        let count = text.count
        var last = -1
        var index = 0
        while index + pattern.count <= count {
            var matches = true
            for offset in 0..<pattern.count where PhraseAutomaton.lowercase(text[index + offset]) != pattern[offset] {
                matches = false
                break
            }
            if matches { last = index }
            index += 1
        }
        guard last >= 0 else { return false }
        index = last + pattern.count
        while index + 4 < count {
            if text[index] == 0x3C, text[index + 1] == 0x3C, text[index + 2] == 0x3C, text[index + 3] == 0x20 {
                return text[index + 4] == 0x32
            }
            index += 1
        }
        return false
    }
}
