import BouncePlanning
import Postgres

/// What pass 1 gathers per destination while the reader classifies, so that rate limits and sender
/// issues need no aggregate over the staging table: throttles per (destination, source, reason, rule)
/// and sender or content refusals per (source, destination, reason), each with the figures the
/// policies and the plan rows take. Memory: one entry per key among tonight's throttling and refused
/// events (a refusal key keeps its latest reply, at most 400 characters, as the sample). The distinct
/// recipients of each refusal key are not kept: each refused event becomes one narrow row of
/// `run_refusals` (source, destination, reason, recipient), counted by SQL, so memory does not grow
/// with the night.
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

    struct IssueKey: Hashable, Sendable {
        var source: String
        var destination: String
        var reason: String
    }

    /// One sender issue's night; category, rule and sample are those of its latest event (highest id).
    struct Issue: Sendable {
        var events = 0
        var firstMicros = Int64.max
        var lastMicros = Int64.min
        var lastEventID = Int.min
        var category = ""
        var ruleID = ""
        var sample = ""
    }

    /// The sample of a sender issue: the start of the latest event's reply.
    static let sampleCharacters = 400

    let filter: ThrottleFilter
    private(set) var throttles: [ThrottleKey: Throttle] = [:]
    private(set) var issues: [IssueKey: Issue] = [:]
    /// Rows of `run_refusals`, one per refused event.
    var refusals = CopyTextEncoder()
    /// The columns of `run_refusals`, in the order the rows are encoded.
    static let refusalColumns = "source, destination, reason, recipient"

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

    /// Whether `eventID` would be the latest of `key`'s events, whose reply becomes the sample.
    func isLatest(_ key: IssueKey, eventID: Int) -> Bool {
        eventID > (issues[key]?.lastEventID ?? Int.min)
    }

    /// Counts a refused event; `sample` is its reply when `isLatest` said so, else nil.
    mutating func addIssue(
        _ key: IssueKey, recipient: String, eventID: Int, occurredMicros: Int64, category: String, ruleID: String,
        sample: String?
    ) {
        issues[key, default: Issue()].add(
            eventID: eventID, occurredMicros: occurredMicros, category: category, ruleID: ruleID, sample: sample)
        refusals.field(key.source)
        refusals.field(key.destination)
        refusals.field(key.reason)
        refusals.field(recipient)
        refusals.endRow()
    }

    /// `left(concat_ws(' ', code, status unless empty, diagnostic), 400)`, as the sender issue's sample
    /// response reads (characters are code points), built from the event's bytes in hand.
    static func sample(
        smtpCode: UnsafeRawBufferPointer?, enhancedStatus: UnsafeRawBufferPointer?, diagnostic: UnsafeRawBufferPointer?
    ) -> String {
        var bytes: [UInt8] = []
        var characters = 0
        for part in [smtpCode, enhancedStatus.flatMap { $0.isEmpty ? nil : $0 }, diagnostic] {
            guard let part, characters < sampleCharacters else { continue }
            if !bytes.isEmpty {
                bytes.append(UInt8(ascii: " "))
                characters += 1
            }
            for byte in part {
                // A UTF-8 continuation byte belongs to the character before it.
                let starts = byte & 0xC0 != 0x80
                if starts && characters == sampleCharacters { break }
                if starts { characters += 1 }
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension DestinationTally.Issue {
    mutating func add(
        eventID: Int, occurredMicros: Int64, category: String, ruleID: String, sample: String?
    ) {
        events += 1
        firstMicros = min(firstMicros, occurredMicros)
        lastMicros = max(lastMicros, occurredMicros)
        if eventID > lastEventID {
            lastEventID = eventID
            self.category = category
            self.ruleID = ruleID
            self.sample = sample ?? ""
        }
    }
}
