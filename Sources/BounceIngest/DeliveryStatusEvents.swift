import Foundation

/// Turns an RFC 3464 report into drafts: one per failed or delayed recipient.
enum DeliveryStatusEvents {
    static func drafts(from report: DeliveryStatusReport, textual: [TextualFailure]) -> [EventDraft] {
        let arrival = report.perMessage["Arrival-Date"].flatMap(MailDate.parse)
        let envelopeSender = report.perMessage["X-Postfix-Sender"].map(AddressText.fromTypedField)
            .flatMap { $0.contains("@") ? $0 : nil }
        return report.recipients.compactMap { group in
            guard let recipient = recipient(of: group) else { return nil }
            let status = group["Status"].flatMap(ReplyText.enhancedStatus)
            guard let kind = kind(action: group["Action"], status: status) else { return nil }
            let fromText = textual.first { $0.recipient.lowercased() == recipient.lowercased() }
            let diagnostic = group["Diagnostic-Code"].map(untyped).flatMap { $0.isEmpty ? nil : $0 }
                ?? fromText?.diagnostic
                ?? "\(group["Action"] ?? "failed") (status \(status ?? "unknown"))"
            return EventDraft(
                recipient: recipient, diagnostic: diagnostic, kind: kind, enhancedStatus: status,
                remoteMTA: group["Remote-MTA"].map(untyped).flatMap { $0.isEmpty ? nil : $0 } ?? fromText?.remoteMTA,
                occurredAt: group["Last-Attempt-Date"].flatMap(MailDate.parse) ?? arrival,
                sender: envelopeSender)
        }
    }

    /// Original-Recipient is what the sender addressed (before aliasing), so it is preferred when usable.
    private static func recipient(of group: HeaderFields) -> String? {
        if let original = group["Original-Recipient"].map(AddressText.fromTypedField), original.contains("@") {
            return original
        }
        let final = group["Final-Recipient"].map(AddressText.fromTypedField)
        return final.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// failed → bounce, delayed → deferral, delivered/relayed/expanded → nothing to record.
    private static func kind(action: String?, status: String?) -> EventKind? {
        let word = action?.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "(" }).first.map(String.init)
        switch word {
        case "failed": return .bounce
        case "delayed": return .deferral
        case "delivered", "relayed", "expanded": return nil
        default:
            switch status?.first {
            case "2": return nil
            case "4": return .deferral
            default: return .bounce
            }
        }
    }

    /// `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`; a field without a type is kept whole.
    static func untyped(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmed }
        let type = value[..<semicolon]
        guard !type.isEmpty, type.count <= 24, !type.contains(" ") else { return value.trimmed }
        return value[value.index(after: semicolon)...].trimmed
    }
}
