import Foundation

/// The two report formats a mail message can carry.
public enum IngestFormat: String, Sendable, Hashable, CaseIterable {
    /// A bounce: an RFC 3464 delivery status notification or a non-standard bounce text.
    case dsn
    /// An RFC 5965 abuse feedback report (a complaint).
    case arf
}

/// What one message turned out to be.
public enum MessageOutcome: Sendable, Hashable {
    /// One event per failed recipient (never empty).
    case events([IngestedEvent])
    /// An automatic reply (out of office, vacation): not a delivery failure.
    case autoReply
    /// A readable message that is neither a bounce nor a complaint.
    case notABounce(reason: String)
    /// The bytes could not be understood as a message, or a bounce without a usable recipient.
    case unreadable(reason: String)

    /// The events, or an empty list for every other outcome.
    public var events: [IngestedEvent] {
        if case .events(let events) = self { return events }
        return []
    }
}
