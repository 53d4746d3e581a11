/// Looks into transcripts that carry several replies (a Sendmail session, an Exim or qmail report,
/// a busy reply followed by the recipient's reply): is there a permanent reply about the recipient
/// (`550 5.1.1`, `550-5.2.1`) anywhere in the text? Used only on the rare path where a 4xx found in
/// the text would otherwise turn a suppression into a retry; allocation-free.
enum TranscriptReplies {
    /// Whether the text holds a reply `5dd` followed by a space or `-` and a `5.1.x` or `5.2.x` status,
    /// not glued to a preceding word or number, or a Sendmail transcript line `<<< 5dd ` (old servers
    /// give no status).
    static func containsPermanentRecipientReply(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = text.count
        var index = 0
        while index + 4 <= count {
            if text[index] == 0x35, isDigit(text[index + 1]), isDigit(text[index + 2]),
               text[index + 3] == 0x20 || text[index + 3] == 0x2D {
                if index + 9 <= count, text[index + 4] == 0x35, text[index + 5] == 0x2E,
                   text[index + 6] == 0x31 || text[index + 6] == 0x32, text[index + 7] == 0x2E, isDigit(text[index + 8]),
                   index == 0 || !PhraseAutomaton.isWordByte(text[index - 1]) && text[index - 1] != 0x2E {
                    return true
                }
                if index >= 4, text[index - 1] == 0x20, text[index - 2] == 0x3C, text[index - 3] == 0x3C, text[index - 4] == 0x3C {
                    return true
                }
            }
            index += 1
        }
        return false
    }
}
