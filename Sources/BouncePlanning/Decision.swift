/// One thing the plan says to do, with the values that drove it and a sentence for a human.
public struct Decision: Sendable, Hashable, CustomStringConvertible {
    /// What to do; the raw value is what the store writes.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Put the recipient on the suppression list.
        case suppress
        /// Send the message again at `at`.
        case retry
        /// Stop retrying the message (`reason` is `max_age` or `max_attempts`).
        case giveUp = "give_up"
        /// A retry was due but the event names no message.
        case unschedulable
        /// Our setup or reputation was refused: report it, never suppress.
        case senderIssue = "sender_issue"
        /// The message's content was refused: fix the campaign.
        case contentIssue = "content_issue"
        /// A delivery reset the soft-bounce count.
        case delivered
        /// Not a delivery failure.
        case ignore
        /// The recipient is already suppressed; nothing more to do.
        case alreadySuppressed = "already_suppressed"
    }

    public var action: Action
    /// The event that led to it.
    public var eventID: Int64
    public var messageID: String?
    /// For `.retry`: when.
    public var at: Timestamp?
    /// For `.retry`: which retry this is (1 = first).
    public var attempt: Int?
    /// The classifier's or policy's reason (`user_unknown`, `persistent_soft_bounce`, `max_age`…).
    public var reason: String
    /// The rule that classified the deciding event, when there is one.
    public var ruleID: String?
    /// The events this decision rests on (for an escalation, every counted soft bounce).
    public var evidenceEventIDs: [Int64]
    /// "retry attempt 3 at … = …": why, with the policy values.
    public var explanation: String

    public init(action: Action, eventID: Int64, messageID: String? = nil, at: Timestamp? = nil, attempt: Int? = nil,
                reason: String, ruleID: String? = nil, evidenceEventIDs: [Int64], explanation: String) {
        self.action = action
        self.eventID = eventID
        self.messageID = messageID
        self.at = at
        self.attempt = attempt
        self.reason = reason
        self.ruleID = ruleID
        self.evidenceEventIDs = evidenceEventIDs
        self.explanation = explanation
    }

    /// `#1234 retry: <explanation>`.
    public var description: String {
        "#\(eventID) \(action.rawValue): \(explanation)"
    }
}
