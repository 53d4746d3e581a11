/// SparkPost event webhook batches (arrays of `{"msys": {"message_event": {…}}}`) and bare events:
/// `bounce` and `out_of_band` (by bounce class), `delay`, `delivery` and `spam_complaint`.
enum SparkPostEvent {
    static func items(_ root: JSONValue) -> [WebhookItem] {
        if let results = root["results"], results.isArray { return results.elements.flatMap(items) }
        let event: JSONValue
        if let msys = root["msys"] {
            guard let (category, inner) = msys.members.first else { return [.skipped(type: "empty msys")] }
            guard category == "message_event" else { return [.skipped(type: inner.text("type") ?? category)] }
            event = inner
        } else {
            event = root
        }
        guard let type = event["type"]?.string else {
            return [.unusable(reason: "not a SparkPost event (no msys.message_event.type field)")]
        }
        let bounceClass = event["bounce_class"]?.integer
        let kind: EventKind
        switch type {
        case "bounce", "out_of_band":
            // Auto-replies, subscription requests and challenge mails are classed as bounces but are not failures.
            if let bounceClass, [60, 80, 100].contains(bounceClass) { return [.skipped(type: "\(type) class \(bounceClass)")] }
            kind = .bounce
        case "delay": kind = .deferral
        case "delivery": kind = .delivery
        case "spam_complaint": kind = .complaint
        default: return [.skipped(type: type)]
        }
        let messageID = event.text("message_id")
        var builder = WebhookEventBuilder(
            service: .sparkpost, eventID: event.text("event_id") ?? "\(messageID ?? "")/\(type)/\(event.text("timestamp") ?? "")",
            kind: kind, recipient: event.text("rcpt_to") ?? event.text("raw_rcpt_to"))
        builder.occurredAt = WebhookTime.date(event["timestamp"])
        builder.messageID = messageID
        builder.sender = event.text("msg_from")
        builder.campaignID = event.text("campaign_id")
        builder.sourceIP = event.text("sending_ip")
        builder.smtpCode = event["error_code"]?.integer
        builder.diagnostic = event.text("raw_reason") ?? event.text("reason") ?? ""
        switch kind {
        case .bounce, .deferral:
            let label = bounceClass.map { " class \($0)" + (className[$0].map { " (\($0))" } ?? "") } ?? ""
            builder.verdict = "\(type)\(label)"
        case .delivery: builder.verdict = "delivered"
        case .complaint: builder.verdict = "spam complaint" + (event.text("fbtype").map { " (\($0))" } ?? "")
        }
        return [builder.build()]
    }

    /// SparkPost's bounce classification codes.
    static let className: [Int: String] = [
        1: "Undetermined", 10: "Invalid Recipient", 20: "Soft Bounce", 21: "DNS Failure", 22: "Mailbox Full",
        23: "Too Large", 24: "Timeout", 25: "Admin Failure", 26: "Smart Send Suppression", 30: "Generic Bounce: No RCPT",
        40: "Generic Bounce", 50: "Mail Block", 51: "Spam Block", 52: "Spam Content", 53: "Prohibited Attachment",
        54: "Relaying Denied", 60: "Auto-Reply", 70: "Transient Failure", 80: "Subscribe", 90: "Unsubscribe",
        100: "Challenge-Response",
    ]
}
