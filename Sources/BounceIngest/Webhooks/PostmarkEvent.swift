/// Postmark webhooks: `Bounce` (by bounce `Type`), `SpamComplaint` and `Delivery`.
/// Bounce records without `RecordType` (older webhooks, the bounces API) are read as bounces.
enum PostmarkEvent {
    static func items(_ root: JSONValue) -> [WebhookItem] {
        let record = root["RecordType"]?.string ?? (root["TypeCode"] != nil && root["Email"] != nil ? "Bounce" : nil)
        guard let record else { return [.unusable(reason: "not a Postmark webhook (no RecordType field)")] }
        let kind: EventKind
        let type = root.text("Type") ?? ""
        switch record {
        case "Bounce":
            guard let bounceKind = kindOfBounce(type) else { return [.skipped(type: "Bounce \(type)")] }
            kind = bounceKind
        case "SpamComplaint": kind = .complaint
        case "Delivery": kind = .delivery
        default: return [.skipped(type: record)]
        }
        let messageID = root.text("MessageID")
        let recipient = kind == .delivery ? root.text("Recipient") : root.text("Email")
        var event = WebhookEventBuilder(
            service: .postmark, eventID: root.text("ID").map { "\(record)/\($0)" } ?? "\(messageID ?? "")/\(record)",
            kind: kind, recipient: recipient ?? root.text("Email"))
        event.messageID = messageID
        event.sender = root.text("From")
        event.campaignID = root.text("Tag")
        event.occurredAt = WebhookTime.date(root["BouncedAt"] ?? root["DeliveredAt"])
        event.diagnostic = nonEmpty(root.text("Details")) ?? (kind == .delivery ? "" : root.text("Description") ?? "")
        switch kind {
        case .delivery:
            event.verdict = "delivered"
        default:
            let code = root.text("TypeCode").map { " \($0)" } ?? ""
            let inactive = root["Inactive"]?.bool == true ? ", address deactivated by Postmark" : ""
            event.verdict = "\(type.isEmpty ? record : type)\(code)\(inactive)"
        }
        return [event.build()]
    }

    /// Postmark's bounce types: failures become bounces or deferrals; replies that are not delivery
    /// failures (auto-responders, subscription requests, challenge mails) are skipped.
    private static func kindOfBounce(_ type: String) -> EventKind? {
        switch type {
        case "Transient", "DnsError": return .deferral
        case "SpamComplaint": return .complaint
        case "AutoResponder", "Subscribe", "Unsubscribe", "AddressChange", "ChallengeVerification", "OpenRelayTest": return nil
        default: return .bounce
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.trimmed.isEmpty else { return nil }
        return text
    }
}
