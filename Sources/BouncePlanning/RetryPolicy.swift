import Digest

/// When to try a (message, recipient) again after a temporary failure: capped exponential backoff
/// with a deterministic per-message jitter, a maximum age and a maximum number of attempts.
///
/// Defaults sit between the two established MTAs: Postfix starts at `minimal_backoff_time` 300 s,
/// doubles, caps at `maximal_backoff_time` 4000 s and gives up after `maximal_queue_lifetime` 5 d;
/// Exim's default rule (`F,2h,15m; G,16h,1h,1.5; F,4d,6h`) grows to 6 h intervals and gives up
/// after 4 d. A bulk sender should knock less often than Postfix, so the cap is 4 h; the 5 d lifetime
/// is Postfix's.
public struct RetryPolicy: Sendable, Hashable {
    /// Delay before the first retry (Postfix `minimal_backoff_time`: 300 s).
    public var base: Duration
    /// Growth per attempt (≥ 1; Postfix doubles).
    public var factor: Double
    /// Longest delay between two attempts, before jitter.
    public var cap: Duration
    /// Jitter is a fraction in [0, jitterFraction) of the delay, added to it (0 ≤ value < 1).
    public var jitterFraction: Double
    /// Give up when the retry would fall later than this after the first failure.
    public var maxAge: Duration
    /// Give up rather than schedule retry number `maxAttempts + 1`.
    public var maxAttempts: Int

    public init(base: Duration, factor: Double, cap: Duration, jitterFraction: Double, maxAge: Duration, maxAttempts: Int) {
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitterFraction = jitterFraction
        self.maxAge = maxAge
        self.maxAttempts = maxAttempts
    }

    /// 5 min base, ×2, 4 h cap, 10 % jitter, 5 days, 30 attempts.
    public static let defaults = RetryPolicy(
        base: .minutes(5), factor: 2, cap: .hours(4), jitterFraction: 0.1, maxAge: .days(5), maxAttempts: 30)

    /// The delay before retry number `attempt` (1 = first retry): min(cap, base × factor^(attempt−1)),
    /// in whole seconds. Never decreases with `attempt` and never exceeds `cap`.
    public func delay(attempt: Int) -> Duration {
        let capSeconds = Double(max(0, cap.wholeSeconds))
        var seconds = Double(max(0, base.wholeSeconds))
        // Multiplying step by step (no Foundation `pow`) stops as soon as the cap is reached, so a
        // huge attempt number costs at most log(cap/base)/log(factor) steps and never overflows.
        if factor > 1, seconds > 0 {
            var remaining = max(0, attempt - 1)
            while remaining > 0, seconds < capSeconds {
                seconds *= factor
                remaining -= 1
            }
        }
        seconds = min(seconds, capSeconds)
        return .seconds(Int64(seconds.rounded(.down)))
    }

    /// The fraction of the delay added as jitter for this (message, recipient), in [0, jitterFraction):
    /// `jitterFraction × (FNV-1a 64(messageID + "\n" + recipient) >> 11) / 2^53`.
    /// Deterministic, so that two runs over the same events plan the same instants, while the
    /// retries of one campaign spread out instead of arriving together.
    public func jitter(messageID: String, recipient: String) -> Double {
        guard jitterFraction > 0 else { return 0 }
        let value = jitterFraction * StableHash.unitFraction(Self.jitterHash(messageID: messageID, recipient: recipient))
        // The product can round up to jitterFraction itself; the interval is half-open.
        return value < jitterFraction ? value : jitterFraction.nextDown
    }

    /// The hash behind `jitter`: FNV-1a 64 over the UTF-8 bytes of messageID, a line feed, recipient.
    public static func jitterHash(messageID: String, recipient: String) -> UInt64 {
        // The three parts folded in turn: the same hash as of their concatenation, without building it.
        var hasher = FNV1a64()
        hasher.add(messageID.utf8)
        hasher.add(CollectionOfOne(UInt8(ascii: "\n")))
        hasher.add(recipient.utf8)
        return hasher.value
    }

    /// The jitter for this (message, recipient) at `delay`, in whole seconds: ⌊delay × jitter⌋.
    public func jitterDelay(_ delay: Duration, messageID: String, recipient: String) -> Duration {
        .seconds(Int64((Double(delay.wholeSeconds) * jitter(messageID: messageID, recipient: recipient)).rounded(.down)))
    }

    /// What to do after failed attempt number `attempt` (≥ 1) of this (message, recipient),
    /// which failed at `eventTime`.
    ///
    /// - Parameters:
    ///   - firstFailure: when this (message, recipient) first failed; `maxAge` counts from it.
    ///   - holdUntil: the end of a rate-limit hold on the destination, if one is in force; the
    ///     retry is scheduled after it.
    ///   - notBefore: the earliest instant worth planning (the run's "now"), so a nightly run does
    ///     not plan retries in the past; nil to plan from `eventTime` alone.
    /// A `4.4.7 message expired` is one such failure: the sending MTA gave up on that attempt,
    /// so the planner schedules a fresh one and counts it.
    public func nextAttempt(
        eventTime: Timestamp, attempt: Int, messageID: String, recipient: String,
        firstFailure: Timestamp? = nil, holdUntil: Timestamp? = nil, notBefore: Timestamp? = nil
    ) -> RetryDecision {
        let micros = { (instant: Timestamp) in instant.secondsSinceEpoch * 1_000_000 }
        let planned = plannedAttempt(
            lastFailureMicros: micros(eventTime), firstFailureMicros: micros(firstFailure ?? eventTime), attempt: attempt,
            messageID: messageID, recipient: recipient, holdUntilMicros: holdUntil.map(micros),
            notBeforeMicros: notBefore.map(micros))
        if let reason = planned.giveUp { return .giveUp(reason: reason) }
        return .retry(at: Timestamp(secondsSinceEpoch: planned.atMicros / 1_000_000), attempt: max(1, attempt))
    }

    /// ``nextAttempt(eventTime:attempt:messageID:recipient:firstFailure:holdUntil:notBefore:)`` at the
    /// store's precision (microseconds since the epoch), with the instant planned even when the answer
    /// is to give up (the schedule keeps a given-up row's last planned time). Delay and jitter are whole
    /// seconds; the later of the failure plus the delay and the hold is where they start.
    public func plannedAttempt(
        lastFailureMicros: Int64, firstFailureMicros: Int64, attempt: Int, messageID: String, recipient: String,
        holdUntilMicros: Int64? = nil, notBeforeMicros: Int64? = nil
    ) -> (atMicros: Int64, giveUp: GiveUpReason?) {
        let attempt = max(1, attempt)
        let delay = delay(attempt: attempt)
        var earliest = lastFailureMicros + delay.wholeSeconds * 1_000_000
        if let holdUntilMicros, holdUntilMicros > earliest { earliest = holdUntilMicros }
        if let notBeforeMicros, notBeforeMicros > earliest { earliest = notBeforeMicros }
        let at = earliest + jitterDelay(delay, messageID: messageID, recipient: recipient).wholeSeconds * 1_000_000
        if attempt > maxAttempts { return (at, .maxAttempts) }
        if at - min(firstFailureMicros, lastFailureMicros) > maxAge.wholeSeconds * 1_000_000 { return (at, .maxAge) }
        return (at, nil)
    }

    /// "min(cap 4h, 5m×2^2) = 20m": how `delay(attempt:)` came about, for explanations.
    public func describeDelay(attempt: Int) -> String {
        let attempt = max(1, attempt)
        let factorText = factor == factor.rounded() && abs(factor) < 1e15 ? "\(Int64(factor))" : "\(factor)"
        return "min(cap \(DurationText.format(cap)), \(DurationText.format(base))×\(factorText)^\(attempt - 1))"
            + " = \(DurationText.format(delay(attempt: attempt)))"
    }
}

/// The outcome of `RetryPolicy.nextAttempt`.
public enum RetryDecision: Sendable, Hashable {
    /// Send again at `at`; this will be retry number `attempt`.
    case retry(at: Timestamp, attempt: Int)
    /// Stop retrying this (message, recipient).
    case giveUp(reason: GiveUpReason)
}

/// Why retrying stopped; the raw value is what the store writes.
public enum GiveUpReason: String, Sendable, Hashable, CaseIterable {
    /// The retry would fall after `maxAge` since the first failure.
    case maxAge = "max_age"
    /// `maxAttempts` retries were already scheduled.
    case maxAttempts = "max_attempts"
}
