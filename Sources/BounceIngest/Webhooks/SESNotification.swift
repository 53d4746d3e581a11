/// Amazon SES notifications (`notificationType`) and event-publishing records (`eventType`):
/// Bounce, Complaint, Delivery and DeliveryDelay, bare or inside an SNS envelope whose `Message` is
/// the notification as a JSON string.
enum SESNotification {
    static func items(_ root: JSONValue) -> [WebhookItem] {
        if let envelopeType = root["Type"]?.string, root["TopicArn"] != nil || root["Message"] != nil {
            return envelope(root, type: envelopeType)
        }
        return notification(root, snsMessageID: nil)
    }

    /// An SNS envelope: only `Notification` carries an SES notification.
    private static func envelope(_ root: JSONValue, type: String) -> [WebhookItem] {
        guard type == "Notification" else { return [.skipped(type: "SNS \(type)")] }
        guard let message = root["Message"]?.stringBytes else {
            return [.unusable(reason: "an SNS notification without a Message string")]
        }
        var reader = JSONStreamReader(bytes: message, maximumValueBytes: message.count + 1)
        do {
            switch try reader.next() {
            case .value(let document, _)?: return notification(document.root, snsMessageID: root.text("MessageId"))
            case .malformed(_, let problem)?:
                // SES also posts plain-text messages to a topic ("Successfully validated SNS topic …").
                let first = message.first { !WebhookText.isSpace($0) }
                return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? [.unusable(reason: "the SNS Message is not valid JSON: \(problem)")] : [.skipped(type: "SNS text message")]
            case nil: return [.skipped(type: "SNS empty message")]
            }
        } catch {
            return [.unusable(reason: "the SNS Message cannot be read: \(error)")]
        }
    }

    private static func notification(_ root: JSONValue, snsMessageID: String?) -> [WebhookItem] {
        guard let type = root["notificationType"]?.string ?? root["eventType"]?.string else {
            return [.unusable(reason: "not an Amazon SES notification (no notificationType or eventType)")]
        }
        let mail = root["mail"]
        let messageID = mail?.text("messageId")
        func builder(_ id: String?, _ kind: EventKind, _ recipient: String?) -> WebhookEventBuilder {
            var builder = WebhookEventBuilder(
                service: .ses, eventID: id ?? snsMessageID ?? "\(messageID ?? "")/\(type)", kind: kind, recipient: recipient)
            builder.messageID = messageID
            builder.sender = mail?.text("source")
            return builder
        }
        switch type {
        case "Bounce":
            guard let bounce = root["bounce"], bounce.isObject else { return [.unusable(reason: "an SES Bounce without a bounce object")] }
            let bounceType = bounce.text("bounceType") ?? "Undetermined"
            let subType = bounce.text("bounceSubType") ?? "Undetermined"
            let recipients = bounce["bouncedRecipients"]?.elements ?? []
            guard !recipients.isEmpty else { return [.unusable(reason: "an SES Bounce without bouncedRecipients")] }
            return recipients.map { recipient in
                var event = builder(bounce.text("feedbackId"), .bounce, recipient.text("emailAddress"))
                event.diagnostic = recipient.text("diagnosticCode") ?? ""
                event.enhancedStatus = recipient.text("status")
                event.verdict = "\(bounceType) bounce (\(subType))"
                event.occurredAt = WebhookTime.date(bounce["timestamp"])
                event.remoteMTA = bounce.text("remoteMtaIp")
                return event.build()
            }
        case "Complaint":
            guard let complaint = root["complaint"], complaint.isObject else { return [.unusable(reason: "an SES Complaint without a complaint object")] }
            let feedbackType = complaint.text("complaintFeedbackType")
            // "not-spam": the recipient's provider says the message is wanted; nothing to act on.
            if feedbackType == "not-spam" { return [.skipped(type: "Complaint not-spam")] }
            let recipients = complaint["complainedRecipients"]?.elements ?? []
            guard !recipients.isEmpty else { return [.unusable(reason: "an SES Complaint without complainedRecipients")] }
            return recipients.map { recipient in
                var event = builder(complaint.text("feedbackId"), .complaint, recipient.text("emailAddress"))
                let subType = complaint.text("complaintSubType").map { ", \($0)" } ?? ""
                let agent = complaint.text("userAgent").map { " from \($0)" } ?? ""
                event.verdict = "complaint (\(feedbackType ?? "no feedback type")\(subType))\(agent)"
                event.occurredAt = WebhookTime.date(complaint["timestamp"])
                return event.build()
            }
        case "Delivery":
            guard let delivery = root["delivery"], delivery.isObject else { return [.unusable(reason: "an SES Delivery without a delivery object")] }
            let recipients = delivery["recipients"]?.elements ?? []
            guard !recipients.isEmpty else { return [.unusable(reason: "an SES Delivery without recipients")] }
            return recipients.map { recipient in
                var event = builder(messageID.map { "\($0)/delivery" }, .delivery, recipient.string)
                event.diagnostic = delivery.text("smtpResponse") ?? ""
                event.verdict = "delivered"
                event.occurredAt = WebhookTime.date(delivery["timestamp"])
                event.remoteMTA = delivery.text("remoteMtaIp")
                return event.build()
            }
        case "DeliveryDelay":
            guard let delay = root["deliveryDelay"], delay.isObject else { return [.unusable(reason: "an SES DeliveryDelay without a deliveryDelay object")] }
            let recipients = delay["delayedRecipients"]?.elements ?? []
            guard !recipients.isEmpty else { return [.unusable(reason: "an SES DeliveryDelay without delayedRecipients")] }
            let stamp = delay.text("timestamp") ?? ""
            return recipients.map { recipient in
                var event = builder(messageID.map { "\($0)/delay/\(stamp)" }, .deferral, recipient.text("emailAddress"))
                event.diagnostic = recipient.text("diagnosticCode") ?? ""
                event.enhancedStatus = recipient.text("status")
                event.verdict = "delivery delayed (\(delay.text("delayType") ?? "Undetermined"))"
                event.occurredAt = WebhookTime.date(delay["timestamp"])
                return event.build()
            }
        default:
            return [.skipped(type: type)]
        }
    }
}
