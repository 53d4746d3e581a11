/// What one night's throttling replies from one (destination, source) looked like, aggregated
/// by the store. A night with no throttling is `nil` (a clean night), not an empty observation.
public struct ThrottleObservation: Sendable, Hashable {
    /// How many `ratelimit` events arrived.
    public var eventCount: Int
    /// When the last of them occurred; stated holds count from it.
    public var lastEventAt: Timestamp
    /// reason → number of events (`rate_limited`, `tenant_threshold`, …).
    public var reasonCounts: [String: Int]
    /// rule id → number of events, for provider-specific signals such as Yahoo TSS04.
    public var ruleCounts: [String: Int]
    /// The longest hold stated in the texts (see `HoldParser`), if any stated one.
    public var statedHold: Duration?

    public init(eventCount: Int, lastEventAt: Timestamp, reasonCounts: [String: Int] = [:],
                ruleCounts: [String: Int] = [:], statedHold: Duration? = nil) {
        self.eventCount = eventCount
        self.lastEventAt = lastEventAt
        self.reasonCounts = reasonCounts
        self.ruleCounts = ruleCounts
        self.statedHold = statedHold
    }
}

extension ThrottleObservation {
    /// An observation of one throttling event, ready to be folded with others by `adding`.
    public init(reason: String, ruleID: String, occurredAt: Timestamp, diagnostic: String) {
        self.init(eventCount: 1, lastEventAt: occurredAt, reasonCounts: [reason: 1], ruleCounts: [ruleID: 1],
                  statedHold: HoldParser.hold(in: diagnostic))
    }

    /// Both observations together: counts added, the later last event, the longer stated hold.
    /// Associative and commutative, so the store can fold events in any order or in parallel.
    public func adding(_ other: ThrottleObservation) -> ThrottleObservation {
        ThrottleObservation(
            eventCount: eventCount + other.eventCount,
            lastEventAt: max(lastEventAt, other.lastEventAt),
            reasonCounts: reasonCounts.merging(other.reasonCounts, uniquingKeysWith: +),
            ruleCounts: ruleCounts.merging(other.ruleCounts, uniquingKeysWith: +),
            statedHold: [statedHold, other.statedHold].compactMap { $0 }.max())
    }
}

/// The rate limit in force for one (destination, source), as stored in `rate_limits`.
public struct RateLimitState: Sendable, Hashable {
    /// Messages per hour allowed; 0 while paused.
    public var maxPerHour: Int
    /// When this limit was first imposed.
    public var since: Timestamp
    /// No retries to the destination before this instant (a stated or default hold, or a pause).
    public var until: Timestamp?
    /// Why: the dominant throttling reason, or the severe reason that paused sending.
    public var reason: String
    /// Throttling events seen since the limit was imposed.
    public var eventCount: Int
    /// Sending is stopped (`maxPerHour` 0) until `until`.
    public var paused: Bool
    /// How the last step came about, for humans.
    public var explanation: String

    public init(maxPerHour: Int, since: Timestamp, until: Timestamp?, reason: String, eventCount: Int,
                paused: Bool, explanation: String = "") {
        self.maxPerHour = maxPerHour
        self.since = since
        self.until = until
        self.reason = reason
        self.eventCount = eventCount
        self.paused = paused
        self.explanation = explanation
    }
}

/// Additive-increase, multiplicative-decrease sending rates per (destination, source), the way
/// TCP finds a link's capacity: halve on throttling, creep back up night by night, lift the limit
/// once it reaches the ceiling. Severe refusals pause sending altogether for a while.
public struct RateLimitPolicy: Sendable, Hashable {
    /// The limit imposed at the first throttling (messages per hour).
    public var initialPerHour: Int
    /// Reaching this by additive increase lifts the limit.
    public var ceilingPerHour: Int
    /// Multiplied in on every throttled night (0 < factor < 1).
    public var decreaseFactor: Double
    /// Never limit below this (except while paused).
    public var floorPerHour: Int
    /// Added on every clean night.
    public var increasePerCleanNight: Int
    /// Hold when the reply states none.
    public var defaultHold: Duration
    /// Longest hold taken from a reply.
    public var maximumHold: Duration
    /// Reasons that pause sending at once (Microsoft `tenant_threshold`, `ip_traffic_refused`).
    public var pauseReasons: Set<String>
    /// How long a pause lasts (at least; a longer stated hold wins).
    public var pauseDuration: Duration
    /// Rule ids containing this (case-insensitive) are Yahoo TSS04-style deferrals…
    public var repeatedRuleFragment: String
    /// …which pause sending when at least this many arrive in one run.
    public var repeatedRuleThreshold: Int

    public init(
        initialPerHour: Int, ceilingPerHour: Int, decreaseFactor: Double, floorPerHour: Int,
        increasePerCleanNight: Int, defaultHold: Duration, maximumHold: Duration, pauseReasons: Set<String>,
        pauseDuration: Duration, repeatedRuleFragment: String, repeatedRuleThreshold: Int
    ) {
        self.initialPerHour = initialPerHour
        self.ceilingPerHour = ceilingPerHour
        self.decreaseFactor = decreaseFactor
        self.floorPerHour = floorPerHour
        self.increasePerCleanNight = increasePerCleanNight
        self.defaultHold = defaultHold
        self.maximumHold = maximumHold
        self.pauseReasons = pauseReasons
        self.pauseDuration = pauseDuration
        self.repeatedRuleFragment = repeatedRuleFragment
        self.repeatedRuleThreshold = repeatedRuleThreshold
    }

    /// Start at 1000/h, halve per throttled night, floor 50/h, +200/h per clean night, lift at 5000/h;
    /// 1 h default hold, at most 24 h; pause 24 h on Microsoft tenant/IP refusals or ≥ 5 Yahoo TSS04.
    public static let defaults = RateLimitPolicy(
        initialPerHour: 1000, ceilingPerHour: 5000, decreaseFactor: 0.5, floorPerHour: 50,
        increasePerCleanNight: 200, defaultHold: .hours(1), maximumHold: .hours(24),
        pauseReasons: ["tenant_threshold", "ip_traffic_refused"], pauseDuration: .hours(24),
        repeatedRuleFragment: "tss04", repeatedRuleThreshold: 5)

    /// The hold a throttling reply asks for: the stated one (capped at `maximumHold`), else `defaultHold`.
    public func hold(statedIn text: String) -> Duration {
        min(HoldParser.hold(in: text) ?? defaultHold, maximumHold)
    }

    /// The limit after tonight. `previous` nil means no limit was in force; a nil result lifts it.
    public func step(previous: RateLimitState?, tonight: ThrottleObservation?, now: Timestamp) -> RateLimitState? {
        guard let tonight, tonight.eventCount > 0 else { return cleanNight(previous: previous, now: now) }
        let events = (previous?.eventCount ?? 0) + tonight.eventCount
        // A limit starts with the throttling that imposed it, not with the run that noticed it hours later;
        // every hold below ends after that event, so `since ≤ until` always holds.
        let since = min(previous?.since ?? now, tonight.lastEventAt)
        let stated = tonight.statedHold.map { min($0, maximumHold) }
        if let severe = severeReason(tonight) {
            let pause = max(pauseDuration, stated ?? .zero)
            let until = later(tonight.lastEventAt + pause, previous?.paused == true ? previous?.until : nil)
            return RateLimitState(
                maxPerHour: 0, since: since, until: until, reason: severe, eventCount: events, paused: true,
                explanation: "\(severe): paused until \(until) (pause \(DurationText.format(pause)))")
        }
        if var paused = previous, paused.paused, let pausedUntil = paused.until, pausedUntil > now {
            paused.eventCount = events
            paused.explanation = "\(tonight.eventCount) more refusals while paused (\(paused.reason)) until \(pausedUntil)"
            return paused
        }
        let reason = dominantReason(tonight)
        let hold = stated ?? defaultHold
        let until = later(tonight.lastEventAt + hold, previous?.until)
        let holdText = "hold \(DurationText.format(hold))\(stated == nil ? " (default)" : " (stated)") until \(until)"
        guard let previous, previous.maxPerHour > 0 else {
            let start = previous == nil ? clamp(initialPerHour) : floorPerHour
            let origin = previous == nil ? "first throttling: start at \(start)/h" : "resume after pause at floor \(start)/h"
            return RateLimitState(
                maxPerHour: start, since: since, until: until, reason: reason, eventCount: events, paused: false,
                explanation: "\(tonight.eventCount) × \(reason): \(origin), \(holdText)")
        }
        let decreased = clamp(Int((Double(previous.maxPerHour) * decreaseFactor).rounded(.down)))
        return RateLimitState(
            maxPerHour: decreased, since: since, until: until, reason: reason, eventCount: events, paused: false,
            explanation: "\(tonight.eventCount) × \(reason): \(previous.maxPerHour)/h × \(decreaseFactor)"
                + " = \(decreased)/h (floor \(floorPerHour)), \(holdText)")
    }

    private func cleanNight(previous: RateLimitState?, now: Timestamp) -> RateLimitState? {
        guard var state = previous else { return nil }
        if state.paused {
            if let until = state.until, until > now {
                state.explanation = "paused (\(state.reason)) until \(until)"
                return state
            }
            state.paused = false
            state.maxPerHour = floorPerHour
            state.until = nil
            state.explanation = "pause over: resume at floor \(floorPerHour)/h"
            return state
        }
        let raised = state.maxPerHour + increasePerCleanNight
        if raised >= ceilingPerHour { return nil }
        state.explanation = "clean night: \(state.maxPerHour)/h + \(increasePerCleanNight) = \(raised)/h"
            + " (lifted at \(ceilingPerHour)/h)"
        state.maxPerHour = clamp(raised)
        if let until = state.until, until <= now { state.until = nil }
        return state
    }

    /// The severe reason that pauses sending, if tonight has one.
    public func severeReason(_ tonight: ThrottleObservation) -> String? {
        if let reason = tonight.reasonCounts.keys.sorted().first(where: { pauseReasons.contains($0) && tonight.reasonCounts[$0, default: 0] > 0 }) {
            return reason
        }
        guard !repeatedRuleFragment.isEmpty else { return nil }
        let fragment = repeatedRuleFragment.lowercased()
        let repeated = tonight.ruleCounts.reduce(0) { sum, entry in
            entry.key.lowercased().contains(fragment) ? sum + max(0, entry.value) : sum
        }
        return repeated >= repeatedRuleThreshold ? "repeated_\(fragment)" : nil
    }

    private func dominantReason(_ tonight: ThrottleObservation) -> String {
        tonight.reasonCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "rate_limited"
    }

    private func clamp(_ perHour: Int) -> Int {
        min(ceilingPerHour, max(floorPerHour, perHour))
    }

    private func later(_ instant: Timestamp, _ other: Timestamp?) -> Timestamp {
        guard let other else { return instant }
        return max(instant, other)
    }
}
