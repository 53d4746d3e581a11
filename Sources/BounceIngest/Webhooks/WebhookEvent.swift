import Foundation

/// The sending services whose notifications `bounceplan ingest webhook` reads.
public enum WebhookService: String, Sendable, Hashable, CaseIterable {
    /// Amazon SES notifications (bare, in an SNS envelope, or as the body of an email).
    case ses
    /// SendGrid event webhook batches.
    case sendgrid
    /// Mailgun webhooks (`event-data`) and Events API pages (`items`).
    case mailgun
    /// Postmark bounce, spam complaint and delivery webhooks.
    case postmark
    /// SparkPost (Bird) event webhook batches (`msys`).
    case sparkpost
}

/// One bounce, deferral, complaint or delivery a service reported, ready for `bounce_events`.
public struct WebhookEvent: Sendable, Hashable {
    /// The event; `sourceKey` is derived from the service's own event id.
    public var event: IngestedEvent
    /// The IP address the service sent from, when it says.
    public var sourceIP: String?
    /// The service's own verdict (`ses: Permanent/General`), shown by `explain`. Never used to
    /// classify: the server's reply is the evidence, the service's label is a second opinion.
    public var verdict: String
}

/// What one notification held.
public enum WebhookItem: Sendable, Hashable {
    /// A bounce, deferral, complaint or delivery.
    case event(WebhookEvent)
    /// Another kind of event (open, click, send, …): counted, not stored.
    case skipped(type: String)
    /// A notification that cannot be used: not this service's format, or no recipient.
    case unusable(reason: String)
}

/// Turns the fields a service reported into a `WebhookEvent`: reply code and enhanced status from
/// their own fields when given, else from the text.
struct WebhookEventBuilder {
    let service: WebhookService
    /// The service's id of this notification or event, unique per event.
    var eventID: String
    var kind: EventKind
    var recipient: String?
    var diagnostic = ""
    var smtpCode: Int? = nil
    var enhancedStatus: String? = nil
    var verdict = ""
    var occurredAt: Date? = nil
    var sender: String? = nil
    var messageID: String? = nil
    var campaignID: String? = nil
    var remoteMTA: String? = nil
    var sourceIP: String? = nil

    init(service: WebhookService, eventID: String, kind: EventKind, recipient: String?) {
        self.service = service
        self.eventID = eventID
        self.kind = kind
        self.recipient = recipient
    }

    func build() -> WebhookItem {
        // Services give a bare address, but SES copies the To header's form (`"Name" <addr>`) when that is how it was sent.
        let address = recipient.flatMap { $0.utf8.contains(UInt8(ascii: "<")) ? AddressText.mailbox($0) : WebhookText.stripAngles($0) }
        guard let address = address.flatMap({ $0.isEmpty ? nil : $0 }) else {
            return .unusable(reason: "a \(service.rawValue) \(kind.rawValue) without a recipient address")
        }
        // A number, a pipe command or a bare user name is no mailbox: it must never reach the suppression list.
        let recipient: String
        switch Self.validRecipient(address) {
        case .success(let valid): recipient = valid
        case .failure(let rejection): return .unusable(reason: "a \(service.rawValue) \(kind.rawValue) whose recipient \(rejection.reason)")
        }
        let text = WebhookText.untyped(diagnostic)
        let code = smtpCode.flatMap { (200...599).contains($0) ? $0 : nil } ?? ReplyText.leadingCode(text)
        let status = enhancedStatus.flatMap(Self.validStatus) ?? (text.isEmpty ? nil : WebhookText.enhancedStatus(in: String(text.utf8.prefix(200)) ?? text))
        let event = IngestedEvent(
            sourceKey: SourceKey.make(basis: "\(service.rawValue):\(eventID)", recipient: recipient, kind: kind, status: nil, code: nil),
            occurredAt: occurredAt, recipient: recipient, sender: sender.flatMap(Self.nonEmpty),
            messageID: messageID.map(WebhookText.stripAngles).flatMap(Self.nonEmpty),
            campaignID: campaignID.flatMap(Self.nonEmpty), smtpCode: code, enhancedStatus: status,
            diagnostic: text.isEmpty ? verdict : text, remoteMTA: remoteMTA.flatMap(Self.nonEmpty), kind: kind)
        return .event(WebhookEvent(event: event, sourceIP: sourceIP.flatMap(Self.nonEmpty), verdict: "\(service.rawValue): \(verdict)"))
    }

    /// The address, or why it is none. Services send bare, valid addresses, so the byte-level shape
    /// check settles almost every event; only a refusal pays for `RecipientAddress`'s reasons.
    static func validRecipient(_ address: String) -> Result<String, RecipientAddress.Rejection> {
        if let first = address.utf8.first, first != UInt8(ascii: "|"), first != UInt8(ascii: "/"), first != UInt8(ascii: "@"),
           AddressText.looksLikeAddress(address) {
            return .success(address)
        }
        return RecipientAddress.validate(address)
    }

    /// `5.1.1` as given, or nil for anything that is not an RFC 3463 status (`""`, `"bounce"`).
    static func validStatus(_ text: String) -> String? {
        let trimmed = WebhookText.trimmed(text)
        guard trimmed.utf8.count <= 11, let status = WebhookText.enhancedStatus(in: trimmed), status == trimmed else { return nil }
        return status
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = WebhookText.trimmed(text)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension JSONValue {
    /// The text of a member that should be a string (numbers accepted; objects, arrays, null ignored).
    func text(_ key: String) -> String? { self[key]?.text }
}
