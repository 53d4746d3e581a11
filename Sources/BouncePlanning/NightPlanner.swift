import BounceClassification

/// One of tonight's classified events of one recipient, as the nightly pass reads it back from staging.
/// Times are microseconds since the epoch (the store's precision).
public struct NightEvent: Sendable, Hashable {
    public var eventID: Int64
    public var occurredMicros: Int64
    public var domain: String
    public var destination: String
    public var source: String
    public var messageID: String
    /// A category, or `delivered` / `rejected`.
    public var outcome: String
    public var reason: String
    public var ruleID: String
    public var smtpCode: Int?
    /// The stored retry jitter fraction (text, written back unchanged).
    public var jitterText: String
    /// The masked reply fingerprint of a suppression, for the storm guard's holds.
    public var replyFingerprint: Int64?

    public init(eventID: Int64, occurredMicros: Int64, domain: String, destination: String,
                source: String, messageID: String, outcome: String, reason: String, ruleID: String, smtpCode: Int?,
                jitterText: String, replyFingerprint: Int64?) {
        self.eventID = eventID
        self.occurredMicros = occurredMicros
        self.domain = domain
        self.destination = destination
        self.source = source
        self.messageID = messageID
        self.outcome = outcome
        self.reason = reason
        self.ruleID = ruleID
        self.smtpCode = smtpCode
        self.jitterText = jitterText
        self.replyFingerprint = replyFingerprint
    }

    /// The event's time as timestamptz text, exactly (built only for the rows that keep it).
    public var occurredText: String { MicroTime.text(occurredMicros) }

    /// The event's time in whole seconds, rounded as PostgreSQL rounds `extract(epoch …)::bigint`.
    public var roundedSeconds: Int64 { MicroTime.roundedSeconds(occurredMicros) }
}

/// A recipient's suppression row as the night finds it, or as the night leaves it.
public struct SuppressionRow: Sendable, Hashable {
    public var domain: String
    /// `active`, `pending_review` or `removed`.
    public var status: String
    public var reason: String
    public var ruleID: String
    public var suppressedAtMicros: Int64
    public var firstEventID: Int64?
    public var lastEventID: Int64?
    /// Most recent first, at most 50.
    public var evidence: [Int64]
    public var stormID: Int64?
    public var removedAtMicros: Int64?

    public init(domain: String, status: String, reason: String, ruleID: String, suppressedAtMicros: Int64,
                firstEventID: Int64?, lastEventID: Int64?, evidence: [Int64], stormID: Int64?, removedAtMicros: Int64?) {
        self.domain = domain
        self.status = status
        self.reason = reason
        self.ruleID = ruleID
        self.suppressedAtMicros = suppressedAtMicros
        self.firstEventID = firstEventID
        self.lastEventID = lastEventID
        self.evidence = evidence
        self.stormID = stormID
        self.removedAtMicros = removedAtMicros
    }
}

/// One scheduled retry of one message, as the night finds it or leaves it.
public struct RetryRow: Sendable, Hashable {
    public var messageID: String
    public var destination: String
    public var source: String
    public var attempt: Int
    public var firstFailedMicros: Int64
    public var lastFailedMicros: Int64
    public var nextAttemptMicros: Int64
    /// `pending`, `given_up` or `held_for_review`.
    public var status: String
    public var jitterText: String
    public var category: String
    public var reason: String
    public var ruleID: String
    public var lastEventID: Int64

    public init(messageID: String, destination: String, source: String, attempt: Int, firstFailedMicros: Int64,
                lastFailedMicros: Int64, nextAttemptMicros: Int64, status: String, jitterText: String, category: String,
                reason: String, ruleID: String, lastEventID: Int64) {
        self.messageID = messageID
        self.destination = destination
        self.source = source
        self.attempt = attempt
        self.firstFailedMicros = firstFailedMicros
        self.lastFailedMicros = lastFailedMicros
        self.nextAttemptMicros = nextAttemptMicros
        self.status = status
        self.jitterText = jitterText
        self.category = category
        self.reason = reason
        self.ruleID = ruleID
        self.lastEventID = lastEventID
    }
}

/// One soft bounce remembered for escalation.
public struct StoredSoftBounce: Sendable, Hashable {
    public var eventID: Int64
    public var occurredMicros: Int64
    public var outcome: String
    public var reason: String
    public var ruleID: String
    public var smtpCode: Int?

    public init(eventID: Int64, occurredMicros: Int64, outcome: String, reason: String, ruleID: String, smtpCode: Int?) {
        self.eventID = eventID
        self.occurredMicros = occurredMicros
        self.outcome = outcome
        self.reason = reason
        self.ruleID = ruleID
        self.smtpCode = smtpCode
    }
}

/// What earlier nights left for one recipient: read by the store in one ordered pass.
public struct RecipientPrior: Sendable {
    public var suppression: SuppressionRow?
    /// The last delivery's time, when one is stored.
    public var lastDeliveryMicros: Int64?
    /// message id → scheduled retry.
    public var retries: [String: RetryRow]
    /// Soft bounces at least as recent as the window before tonight's earliest event (a superset of
    /// what escalation counts is fine: the planner applies the window itself).
    public var softBounces: [StoredSoftBounce]

    public init(suppression: SuppressionRow? = nil, lastDeliveryMicros: Int64? = nil, retries: [String: RetryRow] = [:],
                softBounces: [StoredSoftBounce] = []) {
        self.suppression = suppression
        self.lastDeliveryMicros = lastDeliveryMicros
        self.retries = retries
        self.softBounces = softBounces
    }

    /// Whether earlier nights left nothing for the recipient.
    public var isEmpty: Bool {
        suppression == nil && lastDeliveryMicros == nil && retries.isEmpty && softBounces.isEmpty
    }
}

/// The decisions tonight needs from the whole night, decided before any recipient is planned: the
/// storm guard's held slots and the holds of the rate limits in force after tonight's step.
public struct NightInputs: Sendable {
    /// destination → slot start (seconds) → (storm id, the reply held or nil for every failure).
    public var heldSlots: [String: [Int64: (storm: Int64, reply: Int64?)]]
    /// The storm guard's slot length in seconds.
    public var slotSeconds: Int64
    /// "destination\u{1}source" → end of the hold (microseconds).
    public var holds: [String: Int64]

    public init(heldSlots: [String: [Int64: (storm: Int64, reply: Int64?)]] = [:], slotSeconds: Int64 = 600,
                holds: [String: Int64] = [:]) {
        self.heldSlots = heldSlots
        self.slotSeconds = slotSeconds
        self.holds = holds
    }

    /// The storm holding a suppression at `destination` at this time with this reply, if any.
    public func storm(destination: String, occurredMicros: Int64, reply: Int64?) -> Int64? {
        guard let slots = heldSlots[destination] else { return nil }
        let slotMicros = slotSeconds * 1_000_000
        let slot = MicroTime.floorDivide(occurredMicros, slotMicros) * slotSeconds
        guard let held = slots[slot] else { return nil }
        if let wanted = held.reply, wanted != reply { return nil }
        return held.storm
    }

    /// The hold key of a (destination, source).
    public static func holdKey(destination: String, source: String) -> String { destination + "\u{1}" + source }
}

/// Everything one night decides for one recipient, to be written by the store.
public struct RecipientNightPlan: Sendable {
    /// The suppression row to write, with whether it already existed; nil = unchanged.
    public var suppression: (row: SuppressionRow, existed: Bool)?
    /// Whether tonight's suppress outcomes wrote the suppression (before any escalation).
    public var suppressedOnSight = false
    /// Escalations decided (counted even when an operator's later removal stands).
    public var escalated = false
    /// Tonight's soft bounces, to remember.
    public var softBounces: [NightEvent] = []
    /// The latest delivery tonight, when it is newer than the stored one; with whether one was stored.
    public var delivery: (event: NightEvent, existed: Bool)?
    /// Scheduled retries to delete (message ids), because the recipient is now suppressed or the
    /// message was delivered after its last failure.
    public var retriesCancelled: [String] = []
    public var retriesDelivered: [String] = []
    /// Retries to write, with whether a row for the message exists after the cancellations.
    public var retries: [(row: RetryRow, existed: Bool)] = []
    /// Whether the final suppression is pending review and was touched tonight (for the storm's count).
    public var heldForReview: Bool { suppression.map { $0.row.status == "pending_review" && $0.row.stormID != nil } ?? false }
}

/// Decides one recipient's night from its prior state and tonight's events: suppress (held when a
/// storm holds every cause), record soft bounces and the last delivery, escalate persistent soft
/// bounces, cancel retries that are settled, and schedule tonight's retries after the holds in force.
/// Pure; every recipient is independent of every other given `NightInputs`, so the pass can be split by
/// recipient in any way.
public struct NightPlanner: Sendable {
    public var policy: PlanningPolicy
    public var inputs: NightInputs

    public init(policy: PlanningPolicy, inputs: NightInputs) {
        self.policy = policy
        self.inputs = inputs
    }

    /// The outcomes retried: temporary failures, and 4xx refusals of our setup or the content.
    public static func isRetried(_ event: NightEvent) -> Bool {
        switch event.outcome {
        case "retry", "unknown", "ratelimit": return true
        case "sender", "content": return (400...499).contains(event.smtpCode ?? 0)
        default: return false
        }
    }

    /// Whether escalation counts the event.
    public func isSoft(outcome: String, reason: String, smtpCode: Int?) -> Bool {
        guard outcome == "retry" || outcome == "unknown", let category = BounceCategory(rawValue: outcome) else { return false }
        return policy.escalation.isSoft(category: category, reason: reason, smtpCode: smtpCode)
    }

    /// Plans `recipient` (normalised, as the jitter hashes it); `events` in any order.
    public func plan(recipient: String, events: [NightEvent], prior: RecipientPrior) -> RecipientNightPlan {
        // The commonest recipient of a night: one delivery, nothing stored. Every rule of `planInFull` then
        // leaves only that delivery to remember (no suppress outcome, no soft bounce, no retry, no stored row
        // to settle or compare with), so it is answered without the general path's copies and filters: at
        // 100 k events of the bench mix, 72 k of the 90 k recipients (`NightPlannerTests` checks it against
        // the general path).
        if events.count == 1, events[0].outcome == "delivered", prior.isEmpty {
            var plan = RecipientNightPlan()
            plan.delivery = (events[0], false)
            return plan
        }
        return planInFull(recipient: recipient, events: events, prior: prior)
    }

    /// The general path of `plan(recipient:events:prior:)`, for any recipient.
    func planInFull(recipient: String, events unsorted: [NightEvent], prior: RecipientPrior) -> RecipientNightPlan {
        // Most recipients have one event a night: no sorted copy for them.
        let events = unsorted.count < 2
            ? unsorted : unsorted.sorted { ($0.occurredMicros, $0.eventID) < ($1.occurredMicros, $1.eventID) }
        var plan = RecipientNightPlan()
        var suppression = prior.suppression
        var touched = false

        // Suppressions from tonight's suppress outcomes; held when a storm holds every one of them.
        let causes = events.filter { $0.outcome == BounceCategory.suppress.rawValue }
        if let first = causes.first, let latest = causes.last {
            let storms = causes.map { cause -> Int64? in
                cause.reason == "complaint" ? nil
                    : inputs.storm(destination: cause.destination, occurredMicros: cause.occurredMicros, reply: cause.replyFingerprint)
            }
            let held = storms.allSatisfy { $0 != nil }
            let storm = storms.compactMap { $0 }.max()
            let evidence = causes.reversed().map(\.eventID)
            if var row = suppression {
                // An operator's removal stands against evidence that occurred before it.
                if row.status != "removed" || row.removedAtMicros == nil || latest.occurredMicros > row.removedAtMicros! {
                    if row.status == "removed" {
                        row.status = held ? "pending_review" : "active"
                        row.reason = first.reason
                        row.ruleID = first.ruleID
                        row.suppressedAtMicros = first.occurredMicros
                        row.stormID = held ? storm : nil
                    }
                    row.lastEventID = max(row.lastEventID ?? latest.eventID, latest.eventID)
                    row.evidence = Array((evidence + row.evidence).prefix(50))
                    suppression = row
                    touched = true
                    plan.suppressedOnSight = true
                }
            } else {
                plan.suppressedOnSight = true
                suppression = SuppressionRow(
                    domain: latest.domain, status: held ? "pending_review" : "active", reason: first.reason,
                    ruleID: first.ruleID, suppressedAtMicros: first.occurredMicros, firstEventID: first.eventID,
                    lastEventID: latest.eventID, evidence: Array(evidence.prefix(50)), stormID: held ? storm : nil,
                    removedAtMicros: nil)
                touched = true
            }
        }

        // Tonight's soft bounces and latest delivery are remembered for the nights to come.
        let soft = events.filter { isSoft(outcome: $0.outcome, reason: $0.reason, smtpCode: $0.smtpCode) }
        plan.softBounces = soft
        var lastDeliveryMicros = prior.lastDeliveryMicros
        if let delivery = events.last(where: { $0.outcome == "delivered" }) {
            if prior.lastDeliveryMicros == nil || delivery.occurredMicros > prior.lastDeliveryMicros! {
                plan.delivery = (delivery, prior.lastDeliveryMicros != nil)
                lastDeliveryMicros = delivery.occurredMicros
            }
        }

        // Escalation: persistent soft bounces of a recipient not already suppressed or held.
        if let firstSoft = soft.first?.occurredMicros,
            suppression.map({ $0.status != "active" && $0.status != "pending_review" }) ?? true
        {
            let windowStart = firstSoft - policy.escalation.window.wholeSeconds * 1_000_000
            var history = prior.softBounces.filter { $0.occurredMicros >= windowStart }
            history += soft.map {
                StoredSoftBounce(eventID: $0.eventID, occurredMicros: $0.occurredMicros, outcome: $0.outcome,
                                 reason: $0.reason, ruleID: $0.ruleID, smtpCode: $0.smtpCode)
            }
            if let escalation = escalate(history: history, lastDeliveryMicros: lastDeliveryMicros) {
                plan.escalated = true
                if var row = suppression {
                    if row.removedAtMicros == nil || escalation.decidedSeconds * 1_000_000 > row.removedAtMicros! {
                        row.status = "active"
                        row.reason = escalation.reason
                        row.ruleID = "policy.escalation"
                        row.suppressedAtMicros = escalation.decidedSeconds * 1_000_000
                        row.lastEventID = escalation.ids.last
                        row.evidence = Array(escalation.ids.reversed().prefix(50))
                        suppression = row
                        touched = true
                    }
                } else {
                    suppression = SuppressionRow(
                        domain: soft[0].domain, status: "active", reason: escalation.reason, ruleID: "policy.escalation",
                        suppressedAtMicros: escalation.decidedSeconds * 1_000_000, firstEventID: escalation.ids.first,
                        lastEventID: escalation.ids.last, evidence: Array(escalation.ids.reversed().prefix(50)),
                        stormID: nil, removedAtMicros: nil)
                    touched = true
                }
            }
        }
        if touched, let row = suppression { plan.suppression = (row, prior.suppression != nil) }

        // Settled retries: all of a recipient suppressed tonight, and each message delivered after its last failure.
        var retries = prior.retries
        if touched && suppression?.status == "active" {
            plan.retriesCancelled = retries.keys.sorted()
            retries = [:]
        }
        for delivery in events where !retries.isEmpty && delivery.outcome == "delivered" {
            if let row = retries[delivery.messageID], row.lastFailedMicros <= delivery.occurredMicros {
                plan.retriesDelivered.append(delivery.messageID)
                retries[delivery.messageID] = nil
            }
        }

        // Tonight's temporary failures, one retry per message, continuing earlier attempts; none for a
        // recipient on the suppression list.
        guard suppression?.status != "active" else { return plan }
        var failures: [String: [NightEvent]] = [:]
        var order: [String] = []
        for event in events where Self.isRetried(event) {
            if failures[event.messageID] == nil { order.append(event.messageID) }
            failures[event.messageID, default: []].append(event)
        }
        for messageID in order {
            let group = failures[messageID]!
            let latest = group.last!
            let existing = retries[messageID]
            let attempt = (existing?.attempt ?? 0) + group.count
            let first = min(existing?.firstFailedMicros ?? group[0].occurredMicros, group[0].occurredMicros)
            let last = max(existing?.lastFailedMicros ?? latest.occurredMicros, latest.occurredMicros)
            let hold = inputs.holds[NightInputs.holdKey(destination: latest.destination, source: latest.source)]
            let planned = policy.retry.plannedAttempt(
                lastFailureMicros: last, firstFailureMicros: first, attempt: attempt, messageID: messageID,
                recipient: recipient, holdUntilMicros: hold)
            plan.retries.append((RetryRow(
                messageID: messageID, destination: latest.destination, source: latest.source, attempt: attempt,
                firstFailedMicros: first, lastFailedMicros: last, nextAttemptMicros: planned.atMicros,
                status: planned.giveUp == nil ? "pending" : "given_up", jitterText: existing?.jitterText ?? latest.jitterText,
                category: latest.outcome, reason: latest.reason, ruleID: latest.ruleID,
                lastEventID: max(existing?.lastEventID ?? 0, group.map(\.eventID).max()!)), existing != nil))
        }
        return plan
    }

    /// `EscalationPolicy` over the remembered soft bounces, counted in whole seconds as the policy is.
    private func escalate(history: [StoredSoftBounce], lastDeliveryMicros: Int64?)
        -> (reason: String, ids: [Int64], decidedSeconds: Int64)?
    {
        let escalation = policy.escalation
        guard history.count >= escalation.requiredEvents,
            let earliest = history.map(\.occurredMicros).min(), let latest = history.map(\.occurredMicros).max(),
            latest - earliest >= escalation.minimumSpread.wholeSeconds * 1_000_000
        else { return nil }
        let evidence = history.map {
            SoftBounceEvidence(
                eventID: $0.eventID, occurredAt: Timestamp(secondsSinceEpoch: MicroTime.roundedSeconds($0.occurredMicros)),
                reason: $0.reason, category: BounceCategory(rawValue: $0.outcome) ?? .unknown, ruleID: $0.ruleID,
                smtpCode: $0.smtpCode)
        }
        guard let now = evidence.map(\.occurredAt).max() else { return nil }
        let decision = escalation.evaluate(
            history: evidence, lastDelivery: lastDeliveryMicros.map { Timestamp(secondsSinceEpoch: MicroTime.roundedSeconds($0)) },
            now: now, explain: false)
        guard case .suppress(let reason, let counted, _) = decision, !counted.isEmpty else { return nil }
        let decided = (counted.map(\.occurredAt).max() ?? counted[0].occurredAt).secondsSinceEpoch
        return (reason, counted.compactMap(\.eventID), decided)
    }
}

/// Microseconds since the epoch, the store's precision, and its text form.
public enum MicroTime {
    /// ⌊a / b⌋ for b > 0.
    public static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    /// Whole seconds, halves away from zero (PostgreSQL's numeric-to-bigint cast).
    public static func roundedSeconds(_ micros: Int64) -> Int64 {
        let seconds = micros / 1_000_000, rest = micros % 1_000_000
        if rest >= 500_000 { return seconds + 1 }
        if rest <= -500_000 { return seconds - 1 }
        return seconds
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, which PostgreSQL reads back exactly as a timestamptz.
    public static func text(_ micros: Int64) -> String {
        let seconds = floorDivide(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        let second = seconds - days * 86_400
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        if (0...9999).contains(year) {
            // Every delivery and retry row of a night goes through here: written digit by digit, with no
            // intermediate strings.
            return String(unsafeUninitializedCapacity: 29) { out in
                func put(_ value: Int64, _ width: Int, at start: Int) {
                    var rest = value
                    for offset in stride(from: width - 1, through: 0, by: -1) {
                        out[start + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                }
                put(year, 4, at: 0)
                out[4] = UInt8(ascii: "-")
                put(month, 2, at: 5)
                out[7] = UInt8(ascii: "-")
                put(day, 2, at: 8)
                out[10] = UInt8(ascii: " ")
                put(second / 3600, 2, at: 11)
                out[13] = UInt8(ascii: ":")
                put(second / 60 % 60, 2, at: 14)
                out[16] = UInt8(ascii: ":")
                put(second % 60, 2, at: 17)
                out[19] = UInt8(ascii: ".")
                put(fraction, 6, at: 20)
                out[26] = UInt8(ascii: "+")
                out[27] = UInt8(ascii: "0")
                out[28] = UInt8(ascii: "0")
                return 29
            }
        }
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):"
            + "\(pad(second % 60, 2)).\(pad(fraction, 6))+00"
    }
}
