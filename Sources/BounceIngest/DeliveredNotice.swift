import Foundation

/// A notice without a delivery-status part saying that a message *was* delivered: MDaemon's optional
/// "inform the sender when previously delayed messages are delivered", a relay's "has been relayed to a
/// messaging system which may not provide a final delivery confirmation" (Sun Java System Messaging
/// Server's `DSN_RELAYED_FORMAT`), a success report pasted as text. It comes from the mailer daemon and
/// names the recipient next to words such as "delayed", so without this check the structural reading
/// would take that recipient for a failed one. A report that also says something failed is not one.
enum DeliveredNotice {
    /// Does the notice's own text (before any copy of the original) say the message was delivered or
    /// relayed, and say nothing of a failure?
    static func says(_ text: BounceText) -> Bool {
        // Most bounces say nothing of a delivery: one search of the already lower-cased text rules them out.
        guard text.mentions(any: deliveredPhrases) else { return false }
        // The notice's opening only: a copy of the original further down may say anything.
        let introduction = text.lines.prefix(40).joined(separator: "\n").lowercased()
        guard deliveredPhrases.contains(where: { introduction.containsBytes(of: $0) }) else { return false }
        return !failurePhrases.contains { introduction.containsBytes(of: $0) }
    }

    /// Lower case. Each says that delivery (or the hand-over to the next system) happened.
    static let deliveredPhrases = [
        "has now been delivered", "have now been delivered", "has finally been delivered", "was finally delivered",
        "delivered after delay", "delivered after a delay", "was delivered successfully", "has been delivered successfully",
        "have been delivered successfully", "was successfully delivered", "has been successfully delivered",
        "relayed successfully", "successfully relayed", "has been relayed to a messaging system",
        "delivery to the following recipients succeeded", "delivery to these recipients or groups is complete",
    ]

    /// Lower case. Any of these means some recipient did fail, or the text negates a delivered phrase.
    static let failurePhrases = [
        "not been delivered", "not delivered", "could not be delivered", "couldn't be delivered", "cannot be delivered",
        "undeliverable", "delivery failed", "delivery has failed", "failed to deliver", "unable to deliver",
        "permanent", "fatal", "rejected", "user unknown", "unknown user", "does not exist", "no such user",
        "not successfully", "unsuccessful", "was not", "has not", "could not", "will retry", "will be retried",
    ]
}
