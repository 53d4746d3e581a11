import BouncePlanning
import Postgres

/// What pass 1 gathers per destination while the reader classifies, so that rate limits and sender
/// issues need no aggregate over the staging table: throttles per (destination, source, reason, rule),
/// counted here (one entry per key among tonight's throttling events, a few thousand), and sender or
/// content refusals as one row each in `run_refusals`, which SQL aggregates per (source,
/// destination, reason). Kept in memory, the refusals' keys with their samples grew with the night
/// (118,542 keys at 5 M events of the bench mix, most of the run's 147 MB peak); as rows they cost
/// nothing here. Each row carries its event's reply fields as read (the text in hand), from which SQL
/// makes the sample, instead of looking the sample up in `bounce_events` by event id.
struct DestinationTally: Sendable {
    /// Which events count as throttling: the same test `RateLimitPolicy` is applied to.
    struct ThrottleFilter: Sendable {
        var pauseReasons: Set<String>
        /// `repeatedRuleFragment` lower-cased; empty matches nothing.
        var ruleFragment: String

        init(_ policy: RateLimitPolicy) {
            pauseReasons = policy.pauseReasons
            ruleFragment = policy.repeatedRuleFragment.lowercased()
        }
    }

    struct ThrottleKey: Hashable, Sendable {
        var destination: String
        var source: String
        var reason: String
        var ruleID: String
    }

    /// One throttle key's night.
    struct Throttle: Sendable {
        var events = 0
        var lastMicros = Int64.min
        /// The longest hold a reply stated, nil when none did.
        var hold: Int?
        var lastEventID = Int.min
    }

    let filter: ThrottleFilter
    private(set) var throttles: [ThrottleKey: Throttle] = [:]
    /// Rows of `run_refusals`, one per sender or content refusal.
    var refusals = CopyTextEncoder()
    /// The columns of `run_refusals`, in the order `addRefusal` encodes them.
    static let refusalColumns =
        "source, destination, reason, recipient, event_id, occurred_at, category, rule_id, smtp_code, enhanced_status, diagnostic"

    init(filter: ThrottleFilter) {
        self.filter = filter
    }

    mutating func addThrottle(
        _ key: ThrottleKey, eventID: Int, occurredMicros: Int64, hold: Int?
    ) {
        var entry = throttles[key] ?? Throttle()
        entry.events += 1
        entry.lastMicros = max(entry.lastMicros, occurredMicros)
        if let hold { entry.hold = max(entry.hold ?? hold, hold) }
        entry.lastEventID = max(entry.lastEventID, eventID)
        throttles[key] = entry
    }

    /// Records one sender or content refusal as a row of `run_refusals`; `event` is the event's row as
    /// the reader received it, whose time and reply fields (code, enhanced status, text) are copied as
    /// they are.
    mutating func addRefusal(
        source: String, destination: String, reason: String, recipient: String, eventID: Int,
        category: String, ruleID: String, event: CopyTextRow
    ) {
        refusals.field(source)
        refusals.field(destination)
        refusals.field(reason)
        refusals.field(recipient)
        refusals.field(eventID)
        event.withBytes(EventColumn.occurredAt.rawValue) { refusals.field(bytes: $0) }
        refusals.field(category)
        refusals.field(ruleID)
        for column in [EventColumn.smtpCode, .enhancedStatus, .diagnostic] {
            event.withBytes(column.rawValue) { refusals.field(bytes: $0) }
        }
        refusals.endRow()
    }
}
