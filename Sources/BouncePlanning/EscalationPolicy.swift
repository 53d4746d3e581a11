import BounceClassification

/// One soft bounce of a recipient, kept as evidence for escalation.
public struct SoftBounceEvidence: Sendable, Hashable {
    /// The `bounce_events.id` it came from, when known.
    public var eventID: Int64?
    public var occurredAt: Timestamp
    /// The classifier's reason (`mailbox_full`, `message_expired`, …).
    public var reason: String
    public var category: BounceCategory
    /// The rule that classified it.
    public var ruleID: String
    /// The SMTP reply code, when recorded.
    public var smtpCode: Int?

    public init(eventID: Int64?, occurredAt: Timestamp, reason: String, category: BounceCategory, ruleID: String, smtpCode: Int?) {
        self.eventID = eventID
        self.occurredAt = occurredAt
        self.reason = reason
        self.category = category
        self.ruleID = ruleID
        self.smtpCode = smtpCode
    }
}

/// When repeated soft bounces of one recipient earn a suppression: at least `requiredEvents`
/// soft bounces, the first and last at least `minimumSpread` apart, all within `window` before now
/// and after the last successful delivery. A single bad week does not cost an address; a mailbox
/// that stays full for a week does.
public struct EscalationPolicy: Sendable, Hashable {
    /// How many soft bounces are needed (default 3).
    public var requiredEvents: Int
    /// How far apart the first and last counted bounce must be (default 7 days).
    public var minimumSpread: Duration
    /// Only bounces this recent count (default 30 days).
    public var window: Duration
    /// Reasons of `retry`-category bounces that count as soft (default mailbox_full, message_expired).
    public var softReasons: Set<String>
    /// Whether `unknown`-category bounces with a 5xx reply count as soft (default true).
    public var countUnknown5xx: Bool
    /// Reasons that suppress at the first sight (default mailbox_full_inactive).
    public var immediateReasons: Set<String>

    public init(
        requiredEvents: Int, minimumSpread: Duration, window: Duration, softReasons: Set<String>,
        countUnknown5xx: Bool, immediateReasons: Set<String>
    ) {
        self.requiredEvents = requiredEvents
        self.minimumSpread = minimumSpread
        self.window = window
        self.softReasons = softReasons
        self.countUnknown5xx = countUnknown5xx
        self.immediateReasons = immediateReasons
    }

    /// 3 soft bounces over at least 7 days within 30 days (the design's "3 times over 7 days").
    public static let defaults = EscalationPolicy(
        requiredEvents: 3, minimumSpread: .days(7), window: .days(30),
        softReasons: ["mailbox_full", "message_expired"], countUnknown5xx: true,
        immediateReasons: ["mailbox_full_inactive"])

    /// Whether a bounce counts towards escalation. Never true for `sender`, `ratelimit`, `content`
    /// or `ignore`: those say nothing about the recipient.
    public func isSoft(category: BounceCategory, reason: String, smtpCode: Int?) -> Bool {
        switch category {
        case .retry: return softReasons.contains(reason)
        case .unknown: return countUnknown5xx && (500...599).contains(smtpCode ?? 0)
        case .suppress, .ratelimit, .sender, .content, .ignore: return false
        }
    }

    /// Whether this evidence counts towards escalation.
    public func isSoft(_ evidence: SoftBounceEvidence) -> Bool {
        isSoft(category: evidence.category, reason: evidence.reason, smtpCode: evidence.smtpCode)
    }

    /// Decides whether `history` (in any order) earns a suppression at `now`.
    /// Bounces at or before `lastDelivery`, after `now`, older than `window`, or not soft are left out.
    /// With `explain` false the explanation is left empty (it costs more than the decision).
    public func evaluate(history: [SoftBounceEvidence], lastDelivery: Timestamp?, now: Timestamp,
                         explain: Bool = true) -> EscalationDecision {
        let windowStart = now - window
        let afterDelivery = { (evidence: SoftBounceEvidence) in lastDelivery.map { evidence.occurredAt > $0 } ?? true }
        let counted = history
            .filter { evidence in
                isSoft(evidence) && evidence.occurredAt <= now && evidence.occurredAt >= windowStart
                    && afterDelivery(evidence)
            }
            .sorted { ($0.occurredAt, $0.eventID ?? .min) < ($1.occurredAt, $1.eventID ?? .min) }
        if let immediate = history.last(where: { evidence in
            evidence.category == .suppress && immediateReasons.contains(evidence.reason)
                && evidence.occurredAt <= now && afterDelivery(evidence)
        }) {
            return .suppress(
                reason: immediate.reason, evidence: [immediate],
                explanation: explain ? "\(immediate.reason) at \(immediate.occurredAt) (rule \(immediate.ruleID)) suppresses at once" : "")
        }
        let spread = counted.count >= 2 ? counted[counted.count - 1].occurredAt - counted[0].occurredAt : .zero
        guard explain else {
            let suppress = counted.count >= requiredEvents && spread >= minimumSpread
            return suppress ? .suppress(reason: escalatedReason(counted), evidence: counted, explanation: "")
                : .keepRetrying(evidence: counted, explanation: "")
        }
        let spreadText = counted.count >= 2 ? " spread over \(DurationText.format(spread))" : ""
        let summary = "\(counted.count) soft bounce\(counted.count == 1 ? "" : "s")\(spreadText)"
            + " in the last \(DurationText.format(window))"
            + (lastDelivery.map { " since the delivery at \($0)" } ?? "")
        let thresholds = "need \(requiredEvents) over at least \(DurationText.format(minimumSpread))"
        if counted.count >= requiredEvents, spread >= minimumSpread {
            return .suppress(reason: escalatedReason(counted), evidence: counted,
                             explanation: "\(summary) (\(thresholds)): escalated to suppression")
        }
        return .keepRetrying(evidence: counted, explanation: "\(summary) (\(thresholds)): keep retrying")
    }

    /// The reason every escalated suppression carries; the evidence lists what was counted.
    private func escalatedReason(_ counted: [SoftBounceEvidence]) -> String {
        "persistent_soft_bounce"
    }
}

/// The outcome of `EscalationPolicy.evaluate`, with the evidence it rests on.
public enum EscalationDecision: Sendable, Hashable {
    /// Suppress the recipient. `reason` is the immediate reason or `persistent_soft_bounce`.
    case suppress(reason: String, evidence: [SoftBounceEvidence], explanation: String)
    /// Not (yet) enough evidence; `evidence` is what counted so far.
    case keepRetrying(evidence: [SoftBounceEvidence], explanation: String)

    /// The bounces that were counted.
    public var evidence: [SoftBounceEvidence] {
        switch self {
        case .suppress(_, let evidence, _), .keepRetrying(let evidence, _): evidence
        }
    }

    /// A sentence for a human.
    public var explanation: String {
        switch self {
        case .suppress(_, _, let text), .keepRetrying(_, let text): text
        }
    }

    /// Whether the recipient is to be suppressed.
    public var suppresses: Bool {
        if case .suppress = self { true } else { false }
    }
}
