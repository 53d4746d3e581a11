import Foundation

/// A message that passed the basic sanity checks, with its MIME tree and bounce text.
struct ParsedMessage {
    let bytes: [UInt8]
    let root: MIMEPart
    let text: BounceText

    /// Parses `bytes`, or explains why they are not a mail message.
    static func make(_ bytes: [UInt8]) -> Result<ParsedMessage, UnreadableMessage> {
        if bytes.allSatisfy({ ASCII.isBlank($0) || $0 == ASCII.lf }) { return .failure(UnreadableMessage("empty message")) }
        let sample = bytes.prefix(8_192)
        let controlBytes = sample.filter { $0 < 32 && $0 != ASCII.tab && $0 != ASCII.lf && $0 != ASCII.cr && $0 != 12 && $0 != 27 }
        if controlBytes.count * 20 > sample.count {
            return .failure(UnreadableMessage("binary data, not a mail message (\(controlBytes.count) control bytes in the first \(sample.count))"))
        }
        let root = MIMEParser.parseMessage(bytes[...])
        if root.headers.isEmpty { return .failure(UnreadableMessage("no header fields at the start of the message")) }
        return .success(ParsedMessage(bytes: bytes, root: root, text: BounceText(root: root)))
    }

    var isFeedbackReport: Bool {
        root.first { $0.mediaType.essence == "message/feedback-report" } != nil || isPlainComplaint
    }

    /// Microsoft's JMRP (Hotmail, Outlook.com) reports a complaint as plain mail with the message
    /// attached, without a message/feedback-report part.
    var isPlainComplaint: Bool {
        let subject = text.subject.lowercased()
        guard subject.containsBytes(of: "complaint about message from") || text.mentions(any: ["this is an email abuse report"])
        else { return false }
        return root.first { $0.isEmbeddedMessage || $0.isHeadersOnly } != nil
    }
}

/// Why a message could not be read.
struct UnreadableMessage: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
