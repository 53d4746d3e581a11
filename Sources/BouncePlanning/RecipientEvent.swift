import BounceClassification

/// What the mailer recorded, as in `bounce_events.kind`.
public enum EventKind: String, Sendable, Hashable, CaseIterable {
    /// A permanent failure reported by the mailer.
    case bounce
    /// A temporary failure; the mailer may still be retrying.
    case deferral
    /// A feedback-loop complaint: suppress.
    case complaint
    /// A successful delivery: resets the soft-bounce count.
    case delivery
}

/// One event of one recipient, classified, as the planner consumes it.
public struct RecipientEvent: Sendable, Hashable {
    /// `bounce_events.id`: ever increasing, breaks ties between events of the same second.
    public var eventID: Int64
    public var occurredAt: Timestamp
    public var kind: EventKind
    /// The message the event is about; without it no retry can be scheduled.
    public var messageID: String?
    public var smtpCode: Int?
    /// The server's text; holds are read from it.
    public var diagnostic: String
    /// The classifier's verdict; nil for deliveries and complaints, which need none.
    public var classification: Classification?

    public init(eventID: Int64, occurredAt: Timestamp, kind: EventKind, messageID: String?, smtpCode: Int?,
                diagnostic: String, classification: Classification?) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.kind = kind
        self.messageID = messageID
        self.smtpCode = smtpCode
        self.diagnostic = diagnostic
        self.classification = classification
    }
}

/// How far the retries of one message to this recipient have gone.
public struct RetryProgress: Sendable, Hashable {
    /// Retries scheduled so far.
    public var attempts: Int
    /// The first failure; `max_age` counts from it.
    public var firstFailure: Timestamp

    public init(attempts: Int, firstFailure: Timestamp) {
        self.attempts = attempts
        self.firstFailure = firstFailure
    }
}

/// What earlier runs left behind for one recipient, and what this run leaves for the next.
public struct RecipientState: Sendable, Hashable {
    /// Already on the suppression list.
    public var suppressed: Bool
    /// Soft bounces still inside the escalation window.
    public var softHistory: [SoftBounceEvidence]
    /// The last successful delivery.
    public var lastDelivery: Timestamp?
    /// message id → retry progress.
    public var retries: [String: RetryProgress]
    /// destination → end of its rate-limit hold (from `rate_limits.until`).
    public var holds: [String: Timestamp]

    public init(suppressed: Bool = false, softHistory: [SoftBounceEvidence] = [], lastDelivery: Timestamp? = nil,
                retries: [String: RetryProgress] = [:], holds: [String: Timestamp] = [:]) {
        self.suppressed = suppressed
        self.softHistory = softHistory
        self.lastDelivery = lastDelivery
        self.retries = retries
        self.holds = holds
    }
}
