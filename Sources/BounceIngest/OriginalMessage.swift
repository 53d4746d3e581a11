import Foundation

/// What the bounce tells us about the message that bounced: its id, sender and campaign.
struct OriginalMessage: Sendable {
    var messageID: String?
    var sender: String?
    var campaignID: String?
    var recipients: [String]
    /// The Cc addresses: with them, the returned message had more than one recipient.
    var copyRecipients: [String]
    var date: Date?

    init(headers: HeaderFields, options: IngestOptions) {
        messageID = headers["Message-ID"].map { AddressText.stripAngles($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let returnPath = headers["Return-Path"].map(AddressText.stripAngles).flatMap { $0.utf8.contains(UInt8(ascii: "@")) ? $0 : nil }
        sender = returnPath ?? headers["From"].flatMap(AddressText.mailbox)
        campaignID = options.campaignHeaders.lazy.compactMap { headers[$0] }.first
        // Hotmail's feedback loop names the complainant in its own header.
        recipients = (headers.values("X-HmXmrOriginalRecipient") + headers.values("To")).flatMap(AddressText.mailboxes)
        copyRecipients = headers.values("Cc").flatMap(AddressText.mailboxes)
        date = headers["Date"].flatMap(MailDate.parse)
    }

    /// The returned headers: a message/rfc822 part's header or a text/rfc822-headers part, anywhere
    /// in the bounce's own structure; else a header block pasted after a "copy of the message" marker.
    static func find(in root: MIMEPart, text: BounceText, options: IngestOptions) -> OriginalMessage? {
        if let part = root.first(where: { $0.isEmbeddedMessage || $0.isHeadersOnly }) {
            if let embedded = part.embedded.first, !embedded.headers.isEmpty {
                return OriginalMessage(headers: embedded.headers, options: options)
            }
            let headers = HeaderParser.parse(part.decodedBody).fields
            if !headers.isEmpty { return OriginalMessage(headers: headers, options: options) }
        }
        guard let copy = text.originalCopy else { return nil }
        let trimmedCopy = copy.drop(while: { $0.isWhitespace })
        let headers = HeaderParser.parse(Array(trimmedCopy.utf8)[...]).fields
        return headers.isEmpty ? nil : OriginalMessage(headers: headers, options: options)
    }
}
