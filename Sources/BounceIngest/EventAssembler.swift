import Digest
import Foundation

/// Fills the message-level parts of each event (ids, sender, campaign, dates, source key).
struct EventAssembler {
    let original: OriginalMessage?
    let bounceMessageID: String?
    let bounceDate: Date?
    let bytes: [UInt8]

    init(root: MIMEPart, original: OriginalMessage?, bytes: [UInt8]) {
        self.original = original
        bounceMessageID = root.headers["Message-ID"].map(AddressText.stripAngles).flatMap { $0.isEmpty ? nil : $0 }
        bounceDate = root.headers["Date"].flatMap(MailDate.parse)
        self.bytes = bytes
    }

    /// What identifies this message for idempotency: both Message-IDs when present (so two warnings
    /// about one message stay distinct), else a hash of the whole file.
    private var basis: String {
        let ids = [original?.messageID, bounceMessageID].compactMap { $0 }
        return ids.isEmpty ? "sha256:" + SHA256.hex(Array(bytes)) : "ids:" + ids.joined(separator: "|")
    }

    func makeEvents(_ drafts: [EventDraft]) -> [IngestedEvent] {
        guard !drafts.isEmpty else { return [] }
        let basis = basis
        return drafts.map { draft in
            // A failure has no 2xx/3xx reply: a notice that quotes the server's last good answer (masqmail
            // after a timeout: "the server replied 250 2.1.5 Ok") gives no code.
            // Looked for only when the report left the code or the status out.
            let embedded = draft.enhancedStatus == nil || draft.smtpCode == nil ? EmbeddedReply.reply(in: draft.diagnostic) : nil
            let status = (draft.enhancedStatus ?? embedded?.status ?? ReplyText.enhancedStatus(in: draft.diagnostic)).flatMap { $0.hasPrefix("2") ? nil : $0 }
            let code = (draft.smtpCode ?? ReplyText.leadingCode(draft.diagnostic) ?? embedded?.code).flatMap { $0 < 400 ? nil : $0 }
            return IngestedEvent(
                sourceKey: SourceKey.make(basis: basis, recipient: draft.recipient, kind: draft.kind, status: status, code: code),
                occurredAt: draft.occurredAt ?? bounceDate,
                recipient: draft.recipient,
                sender: draft.sender ?? original?.sender,
                messageID: original?.messageID,
                campaignID: original?.campaignID,
                smtpCode: code,
                enhancedStatus: status,
                diagnostic: draft.diagnostic,
                remoteMTA: draft.remoteMTA,
                kind: draft.kind)
        }
    }
}

/// The recipient-level facts a parser found, before message-level context is added.
struct EventDraft {
    var recipient: String
    var diagnostic: String
    var kind: EventKind
    var enhancedStatus: String? = nil
    var smtpCode: Int? = nil
    var remoteMTA: String? = nil
    var occurredAt: Date? = nil
    var sender: String? = nil
}
