import Foundation

/// What kind of delivery event an ingested record describes; raw values match `bounce_events.kind`.
public enum EventKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A permanent failure (`Action: failed`, `status=bounced`).
    case bounce
    /// A temporary failure the sending MTA still retries (`Action: delayed`, `status=deferred`).
    case deferral
    /// A recipient's complaint (an RFC 5965 feedback report).
    case complaint
    /// A successful delivery notice; the parsers never emit it today.
    case delivery
}

/// One failed (or complained-about) recipient, ready to become a `bounce_events` row.
public struct IngestedEvent: Sendable, Hashable {
    /// Stable idempotency key: ingesting the same message or log line twice gives the same key.
    public var sourceKey: String
    /// When the failure happened: Last-Attempt-Date, Arrival-Date, the Date header, or the log timestamp.
    public var occurredAt: Date?
    /// The failed recipient as found (only an address type such as `rfc822;` and angle brackets removed).
    public var recipient: String
    /// The original envelope sender, or the From address of the original message.
    public var sender: String?
    /// The Message-ID of the original (bounced) message, without angle brackets.
    public var messageID: String?
    /// The value of the first caller-named campaign header found in the original message.
    public var campaignID: String?
    /// The SMTP reply code, when the server's text carries one.
    public var smtpCode: Int?
    /// The enhanced status code (`"5.1.1"`), from the report's Status field or the server's text.
    public var enhancedStatus: String?
    /// The server's text, unfolded, or the best human-readable reason.
    public var diagnostic: String
    /// The remote MTA's host name (or address), without its type prefix.
    public var remoteMTA: String?
    /// Bounce, deferral or complaint.
    public var kind: EventKind

    public init(
        sourceKey: String, occurredAt: Date? = nil, recipient: String, sender: String? = nil,
        messageID: String? = nil, campaignID: String? = nil, smtpCode: Int? = nil,
        enhancedStatus: String? = nil, diagnostic: String, remoteMTA: String? = nil, kind: EventKind
    ) {
        self.sourceKey = sourceKey
        self.occurredAt = occurredAt
        self.recipient = recipient
        self.sender = sender
        self.messageID = messageID
        self.campaignID = campaignID
        self.smtpCode = smtpCode
        self.enhancedStatus = enhancedStatus
        self.diagnostic = diagnostic
        self.remoteMTA = remoteMTA
        self.kind = kind
    }
}
