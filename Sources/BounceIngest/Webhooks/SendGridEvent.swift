/// SendGrid event webhook events (a batch is a JSON array of them): `bounce` (type `bounce` or
/// `blocked`), `deferred`, `delivered` and `spamreport`.
enum SendGridEvent {
    static func items(_ root: JSONValue) -> [WebhookItem] {
        guard let type = root["event"]?.string else {
            return [.unusable(reason: "not a SendGrid event (no event field)")]
        }
        let kind: EventKind
        switch type {
        case "bounce": kind = .bounce
        case "deferred": kind = .deferral
        case "delivered": kind = .delivery
        case "spamreport": kind = .complaint
        default: return [.skipped(type: type)]
        }
        let messageID = root.text("sg_message_id")
        let stamp = root.text("timestamp") ?? ""
        var event = WebhookEventBuilder(
            service: .sendgrid, eventID: root.text("sg_event_id") ?? "\(messageID ?? "")/\(type)/\(stamp)",
            kind: kind, recipient: root.text("email"))
        event.occurredAt = WebhookTime.date(root["timestamp"])
        // The id the Mail Send API returned (X-Message-Id) is the part before the first dot.
        event.messageID = messageID.map { id in id.utf8.firstIndex(of: UInt8(ascii: ".")).map { String(id[..<$0]) } ?? id } ?? root.text("smtp-id")
        event.sourceIP = root.text("ip")
        event.campaignID = root.text("category") ?? root["category"]?.elements.first?.text
        switch kind {
        case .bounce:
            event.diagnostic = root.text("reason") ?? ""
            event.enhancedStatus = root.text("status")
            let classification = root.text("bounce_classification").map { ", \($0)" } ?? ""
            event.verdict = "bounce (\(root.text("type") ?? "bounce")\(classification))"
        case .deferral:
            event.diagnostic = root.text("response") ?? root.text("reason") ?? ""
            event.verdict = "deferred" + (root.text("attempt").map { " (attempt \($0))" } ?? "")
        case .delivery:
            event.diagnostic = root.text("response") ?? ""
            event.verdict = "delivered"
        case .complaint:
            event.verdict = "spam report"
        }
        return [event.build()]
    }
}
