import BounceClassification

/// What one event's decision was under the rules in force and would be under the candidate rules.
public struct DecisionPair: Sendable, Equatable {
    /// The event's outcome (`suppress`, `retry`, …, or `delivered` / `rejected`) and the rule that decided it.
    public var before: (outcome: String, ruleID: String)
    public var after: (outcome: String, ruleID: String)

    public init(before: (outcome: String, ruleID: String), after: (outcome: String, ruleID: String)) {
        self.before = before
        self.after = after
    }

    public static func == (left: DecisionPair, right: DecisionPair) -> Bool {
        left.before == right.before && left.after == right.after
    }
}

/// The counts of `bounceplan rules diff`: how many events change outcome, by transition
/// (`retry → suppress`), with a few sample responses for each; and how many keep their outcome but
/// change rule. Memory is bounded by the number of distinct transitions, never by the events.
public struct RulesDiffTally: Sendable {
    /// One response shown as an example of a transition.
    public struct Sample: Sendable, Equatable {
        public let smtpCode: Int?
        public let enhancedStatus: String?
        public let diagnostic: String
        public let ruleBefore: String
        public let ruleAfter: String

        public init(smtpCode: Int?, enhancedStatus: String?, diagnostic: String, ruleBefore: String, ruleAfter: String) {
            self.smtpCode = smtpCode
            self.enhancedStatus = enhancedStatus
            self.diagnostic = diagnostic
            self.ruleBefore = ruleBefore
            self.ruleAfter = ruleAfter
        }
    }

    /// Events whose outcome moves from one value to another.
    public struct Transition: Sendable, Equatable {
        public let from: String
        public let to: String
        public internal(set) var count: Int
        public internal(set) var samples: [Sample]
    }

    /// How many samples each transition keeps (the first ones seen).
    public let samplesPerTransition: Int
    /// Every event looked at.
    public private(set) var events = 0
    /// Events whose outcome and rule stay the same.
    public private(set) var unchanged = 0
    /// Events that keep their outcome but are decided by another rule.
    public private(set) var ruleChangedOnly = 0
    private var transitionsByKey: [String: Transition] = [:]

    public init(samplesPerTransition: Int = 3) {
        self.samplesPerTransition = max(0, samplesPerTransition)
    }

    /// Events whose outcome changes.
    public var changed: Int { events - unchanged - ruleChangedOnly }

    /// The transitions, most frequent first (ties by name, so the order is stable).
    public var transitions: [Transition] {
        transitionsByKey.values.sorted { left, right in
            if left.count != right.count { return left.count > right.count }
            return (left.from, left.to) < (right.from, right.to)
        }
    }

    /// Counts one event. `sample` is only called when the event becomes a sample, so the caller's
    /// text is not copied for the millions that do not.
    public mutating func record(_ pair: DecisionPair, sample: () -> Sample) {
        events += 1
        if pair.before.outcome == pair.after.outcome {
            if pair.before.ruleID == pair.after.ruleID { unchanged += 1 } else { ruleChangedOnly += 1 }
            return
        }
        let key = pair.before.outcome + "\u{0}" + pair.after.outcome
        var transition = transitionsByKey[key] ?? Transition(from: pair.before.outcome, to: pair.after.outcome, count: 0, samples: [])
        transition.count += 1
        if transition.samples.count < samplesPerTransition { transition.samples.append(sample()) }
        transitionsByKey[key] = transition
    }

    /// Events that become suppressions under the candidate rules and were not before.
    public var newlySuppressedEvents: Int {
        transitionsByKey.values.filter { $0.to == BounceCategory.suppress.rawValue }.reduce(0) { $0 + $1.count }
    }

    /// Whether an event with these decisions turns into a suppression only under the candidate rules.
    public static func becomesSuppression(_ pair: DecisionPair) -> Bool {
        pair.after.outcome == BounceCategory.suppress.rawValue && pair.before.outcome != BounceCategory.suppress.rawValue
    }
}
