import Foundation

/// RFC 5965 abuse reports: one `.complaint` event per original recipient.
enum FeedbackReportReader {
    static func outcome(_ message: ParsedMessage, options: IngestOptions) -> MessageOutcome {
        let reportPart = message.root.first(where: { $0.mediaType.essence == "message/feedback-report" })
        guard reportPart != nil || message.isPlainComplaint else {
            return .notABounce(reason: "no message/feedback-report part")
        }
        let fields = reportPart.map { HeaderParser.parse($0.decodedBody).fields } ?? HeaderFields()
        let feedbackType = fields["Feedback-Type"]?.lowercased() ?? "abuse"
        switch feedbackType {
        case "not-spam": return .notABounce(reason: "feedback report of type not-spam")
        case "auth-failure": return .notABounce(reason: "authentication failure report (RFC 6591), not a recipient complaint")
        default: break
        }
        let original = OriginalMessage.find(in: message.root, text: message.text, options: options)
        var recipients = fields.values("Original-Rcpt-To").map(AddressText.fromTypedField).compactMap(usable)
        if recipients.isEmpty { recipients = (original?.recipients ?? []).compactMap(usable) }
        var seen: Set<String> = []
        recipients = recipients.filter { seen.insert($0.lowercased()).inserted }
        guard !recipients.isEmpty else {
            let id = original?.messageID.map { " (original Message-ID \($0))" } ?? ""
            return .unreadable(reason: "feedback report names no usable recipient: none given, or redacted\(id)")
        }
        let agent = fields["User-Agent"].map { ", reported by \($0)" } ?? ""
        let occurredAt = (fields["Arrival-Date"] ?? fields["Received-Date"]).flatMap(MailDate.parse) ?? original?.date
        let sender = fields["Original-Mail-From"].map(AddressText.fromTypedField).flatMap { $0.contains("@") ? $0 : nil }
        let remote = fields["Reporting-MTA"].map(DeliveryStatusEvents.untyped)
        let drafts = recipients.map {
            EventDraft(
                recipient: $0, diagnostic: "complaint: feedback type \(feedbackType)\(agent)", kind: .complaint,
                remoteMTA: remote, occurredAt: occurredAt, sender: sender)
        }
        let assembler = EventAssembler(root: message.root, original: original, bytes: message.bytes)
        return .events(assembler.makeEvents(drafts))
    }

    /// The complainant's address, or nil when the field holds no address (a damaged header runs on
    /// into the next field) or a redacted one.
    static func usable(_ address: String) -> String? {
        guard case .success(let valid) = RecipientAddress.validate(address), isUsable(valid) else { return nil }
        return valid
    }

    /// Providers often redact the complainant (`redacted@example.com`, `xxxxxxxx@example.com`);
    /// such a placeholder must never reach the suppression list.
    static func isUsable(_ address: String) -> Bool {
        guard let at = address.firstIndex(of: "@") else { return false }
        let local = address[..<at].lowercased()
        if local.isEmpty || local.contains("redacted") { return false }
        return !local.allSatisfy { $0 == "x" || $0 == "*" }
    }
}
