/// Mailgun webhooks (`{"signature": …, "event-data": {…}}`), bare event objects, and Events API
/// pages (`{"items": […]}`): `failed` (severity permanent or temporary), `delivered`, `complained`.
enum MailgunEvent {
    static func items(_ root: JSONValue) -> [WebhookItem] {
        if let page = root["items"], page.isArray { return page.elements.flatMap(items) }
        let data = root["event-data"] ?? root
        guard let type = data["event"]?.string else {
            return [.unusable(reason: "not a Mailgun event (no event-data.event field)")]
        }
        let severity = data.text("severity")
        let kind: EventKind
        switch type {
        case "failed": kind = severity == "temporary" ? .deferral : .bounce
        case "delivered": kind = .delivery
        case "complained": kind = .complaint
        default: return [.skipped(type: type)]
        }
        let headers = data["message", "headers"]
        let messageID = headers?.text("message-id")
        let stamp = data.text("timestamp") ?? ""
        var event = WebhookEventBuilder(
            service: .mailgun, eventID: data.text("id") ?? "\(messageID ?? "")/\(type)/\(stamp)", kind: kind,
            recipient: data.text("recipient"))
        event.occurredAt = WebhookTime.date(data["timestamp"])
        event.messageID = messageID
        event.sender = data["envelope"]?.text("sender")
        event.sourceIP = data["envelope"]?.text("sending-ip")
        event.campaignID = data["tags"]?.elements.first?.text
        if let status = data["delivery-status"] {
            event.smtpCode = status["code"]?.integer
            event.enhancedStatus = status.text("enhanced-code")
            event.remoteMTA = status.text("mx-host")
            // `message` is the server's reply; `description` is Mailgun's own wording (or the reply
            // again). Both are kept when they differ: either may be the only readable one.
            let parts = [status.text("message"), status.text("description")].compactMap { $0?.trimmed }.filter { !$0.isEmpty }
            event.diagnostic = parts.count == 2 && parts[0] == parts[1] ? parts[0] : parts.joined(separator: " ")
        }
        switch kind {
        case .bounce, .deferral:
            event.verdict = "failed \(severity ?? "")" + (data.text("reason").map { " (reason \($0))" } ?? "")
        case .delivery: event.verdict = "delivered"
        case .complaint: event.verdict = "complained"
        }
        return [event.build()]
    }
}
