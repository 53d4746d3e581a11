import Foundation

/// MDaemon's (and SecurityGateway's) "--- Session Transcript ---": every line carries a timestamp
/// (` Mon 2026-11-30 07:49:58: `) before the event. `*  To: bob@…` names the envelope recipient,
/// `--> RCPT To:<…>` answered by `<-- 550 …` is the conversation, and a `*` line such as
/// `*  Socket connection failed …` says what went wrong when no server answered.
enum SessionTranscript {
    static let start = "--- session transcript ---"
    static let end = "--- end transcript ---"

    /// The event after the timestamp (`hh:mm:ss: `), or nil when the line has none.
    static func event(_ line: Substring) -> Substring? {
        var search = line.startIndex
        while let colon = line[search...].firstIndex(of: ":") {
            let after = line.index(after: colon)
            if after < line.endIndex, line[after] == " ", isClock(line[..<colon].suffix(8)) {
                return line[after...].drop(while: { $0 == " " })
            }
            search = after
        }
        return nil
    }

    /// `…12:22:04: *  To: ` (lower-cased text before an address): MDaemon's record of the envelope
    /// recipient. Transcripts without timestamps count only inside a notice that has a transcript.
    static func isEnvelopeRecipientLead(_ before: String, inTranscript: Bool) -> Bool {
        let stamped = event(Substring(before))
        guard stamped != nil || inTranscript else { return false }
        let text = stamped ?? Substring(before.trimmed)
        guard text.hasPrefix("*") else { return false }
        return text.dropFirst().trimmed == "to:"
    }

    static func hasTranscript(_ lines: [Substring]) -> Bool {
        lines.contains { $0.utf8.first == UInt8(ascii: "-") && $0.trimmed.lowercased() == start }
    }

    /// What went wrong: the last 4xx/5xx reply in the transcript, else its last `*` line with failure wording.
    static func failure(in lines: [Substring]) -> String? {
        guard let first = lines.firstIndex(where: { $0.utf8.first == UInt8(ascii: "-") && $0.trimmed.lowercased() == start }) else { return nil }
        var reply: String?
        var note: String?
        for line in lines[(first + 1)...] {
            if line.trimmed.lowercased() == end { break }
            // Older releases write the events without timestamps.
            let event = event(line) ?? line.drop(while: { $0 == " " || $0 == "\t" })
            if event.hasPrefix("<--") {
                let text = event.dropFirst(3).trimmed
                if let code = ReplyText.leadingCode(text), code >= 400 { reply = text }
            } else if event.hasPrefix("*"), StructuralBounceText.hasFailureWording(String(event)) {
                note = event.dropFirst().trimmed
            }
        }
        return reply ?? note
    }

    private static func isClock(_ text: Substring) -> Bool {
        let chars = Array(text)
        guard chars.count == 8 else { return false }
        for (offset, char) in chars.enumerated() {
            if offset == 2 || offset == 5 { if char != ":" { return false } } else if !(char.isASCII && char.isNumber) { return false }
        }
        return true
    }

    /// Sendmail follows the remote reply (`<<< 550 <bob@…>... User unknown`) with its own line for the
    /// recipient, which carries the enhanced status the reply lacked (`550 5.1.1 bob@…... User unknown`):
    /// that line, when it has the same code, names the address and gives a status.
    static func summaryLine(after index: Int, code: Int, address: String, in lines: [Substring]) -> String? {
        for line in lines[(index + 1)...].prefix(2) {
            let trimmed = line.trimmed
            guard !trimmed.hasPrefix("<<<"), !trimmed.hasPrefix(">>>"), ReplyText.leadingCode(trimmed) == code,
                ReplyText.enhancedStatus(in: trimmed) != nil, trimmed.lowercased().containsBytes(of: address.lowercased())
            else { continue }
            return trimmed
        }
        return nil
    }
}
