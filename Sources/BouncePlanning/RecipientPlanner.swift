import BounceClassification

/// The plan for one recipient: the decisions in event order, and the state to keep for next time.
public struct RecipientPlan: Sendable, Hashable {
    public var recipient: String
    /// The provider group (or domain) the recipient's mail goes to.
    public var destination: String
    public var decisions: [Decision]
    /// What the next run starts from.
    public var state: RecipientState

    public init(recipient: String, destination: String, decisions: [Decision], state: RecipientState) {
        self.recipient = recipient
        self.destination = destination
        self.decisions = decisions
        self.state = state
    }
}

/// Turns one recipient's classified events into decisions, applying every policy in order of
/// occurrence. Pure: the same events, prior state, policy and `now` give the same plan.
///
/// The rules it keeps, from the costliest mistake down:
/// - only `suppress`-category bounces, complaints, and soft bounces escalated by
///   `EscalationPolicy` suppress; `sender`, `ratelimit`, `content`, `ignore` never do;
/// - temporary failures (`retry`, `unknown`, `ratelimit`, and 4xx `sender`/`content`) are retried
///   per `RetryPolicy`, after any hold on the destination;
/// - a delivery resets the soft-bounce count.
public struct RecipientPlanner: Sendable {
    public var policy: PlanningPolicy
    /// Whether decisions carry explanations. Building them is most of the planner's cost
    /// (about 3 µs per event in a release build); the nightly run can leave them out and
    /// `explain` put them back, since the decisions themselves are the same either way.
    public var explains: Bool

    public init(policy: PlanningPolicy, explains: Bool = true) {
        self.policy = policy
        self.explains = explains
    }

    /// Plans `events` (any order; sorted by time, then id) of `recipient`, starting from `prior`.
    /// `now` is the run's clock: history older than the escalation window is dropped from the returned
    /// state. Retry times depend on the events alone (as in the store's SQL), so replanning gives the
    /// same schedule; a retry time already past means "due now".
    public func plan(recipient: String, events: [RecipientEvent], prior: RecipientState = RecipientState(),
                     now: Timestamp) -> RecipientPlan {
        var run = PlanningRun(planner: self, recipient: recipient, state: prior, now: now)
        for event in events.sorted(by: { ($0.occurredAt, $0.eventID) < ($1.occurredAt, $1.eventID) }) {
            run.apply(event)
        }
        let windowStart = now - policy.escalation.window
        run.state.softHistory.removeAll { $0.occurredAt < windowStart }
        return RecipientPlan(recipient: recipient, destination: run.destination, decisions: run.decisions, state: run.state)
    }
}

/// The mutable walk through one recipient's events.
private struct PlanningRun {
    let planner: RecipientPlanner
    let recipient: String
    let destination: String
    var state: RecipientState
    let now: Timestamp
    var decisions: [Decision] = []

    init(planner: RecipientPlanner, recipient: String, state: RecipientState, now: Timestamp) {
        self.planner = planner
        self.recipient = recipient
        self.destination = planner.policy.providers.group(forRecipient: recipient)
        self.state = state
        self.now = now
    }

    var policy: PlanningPolicy { planner.policy }

    /// The text when explanations are wanted, else nothing (without building it).
    func say(_ text: @autoclosure () -> String) -> String {
        planner.explains ? text() : ""
    }

    mutating func apply(_ event: RecipientEvent) {
        if event.kind == .delivery {
            delivered(event)
            return
        }
        if state.suppressed {
            decisions.append(Decision(
                action: .alreadySuppressed, eventID: event.eventID, messageID: event.messageID,
                reason: event.classification?.reason ?? event.kind.rawValue, ruleID: event.classification?.ruleID,
                evidenceEventIDs: [event.eventID], explanation: say("\(recipient) is already suppressed: nothing more to do")))
            return
        }
        if event.kind == .complaint {
            suppress(event, reason: "complaint", ruleID: event.classification?.ruleID, evidence: [event.eventID],
                     explanation: say("complaint at \(event.occurredAt): the recipient asked not to be mailed"))
            return
        }
        guard let classification = event.classification else {
            retry(event, context: say("unclassified \(event.kind.rawValue): retried, never suppressed on first sight"))
            return
        }
        let ruleText = say("\(classification.category.rawValue)/\(classification.reason) (rule \(classification.ruleID))")
        switch classification.category {
        case .suppress:
            suppressOnSight(event, classification)
        case .retry, .unknown:
            softOrTemporary(event, classification, ruleText: ruleText)
        case .ratelimit:
            let hold = holdAfterThrottling(classification.reason, text: event.diagnostic)
            let until = event.occurredAt + hold
            if until > (state.holds[destination] ?? Timestamp(secondsSinceEpoch: .min)) { state.holds[destination] = until }
            retry(event, context: say("\(ruleText): throttled by \(destination), which asks to wait \(DurationText.format(hold))"))
        case .sender:
            issue(.senderIssue, event, classification,
                  text: say("\(ruleText): our setup or reputation was refused; fix it. The recipient is not suppressed"))
        case .content:
            issue(.contentIssue, event, classification,
                  text: say("\(ruleText): the message's content was refused; fix the campaign. The recipient is not suppressed"))
        case .ignore:
            decisions.append(Decision(
                action: .ignore, eventID: event.eventID, messageID: event.messageID, reason: classification.reason,
                ruleID: classification.ruleID, evidenceEventIDs: [event.eventID],
                explanation: say("\(ruleText): not a delivery failure")))
        }
    }

    /// The stated or default hold; a severe refusal (tenant threshold, IP traffic refused) holds
    /// retries at least for the pause the rate-limit policy imposes on the destination.
    private func holdAfterThrottling(_ reason: String, text: String) -> Duration {
        let rateLimit = policy.rateLimit
        let hold = rateLimit.hold(statedIn: text)
        return rateLimit.pauseReasons.contains(reason) ? max(hold, rateLimit.pauseDuration) : hold
    }

    private mutating func delivered(_ event: RecipientEvent) {
        let counted = state.softHistory.count
        state.lastDelivery = max(state.lastDelivery ?? event.occurredAt, event.occurredAt)
        state.softHistory.removeAll { $0.occurredAt <= event.occurredAt }
        if let messageID = event.messageID { state.retries[messageID] = nil }
        decisions.append(Decision(
            action: .delivered, eventID: event.eventID, messageID: event.messageID, reason: "delivery",
            evidenceEventIDs: [event.eventID],
            explanation: say("delivered at \(event.occurredAt): soft-bounce count reset (was \(counted))")))
    }

    private mutating func suppressOnSight(_ event: RecipientEvent, _ classification: Classification) {
        let evidence = classification.evidence.isEmpty ? "" : " on \"\(classification.evidence)\""
        suppress(event, reason: classification.reason, ruleID: classification.ruleID, evidence: [event.eventID],
                 explanation: say("\(classification.reason) at \(event.occurredAt): rule \(classification.ruleID) matched\(evidence);"
                    + " the recipient is gone or refuses mail"))
    }

    private mutating func softOrTemporary(_ event: RecipientEvent, _ classification: Classification, ruleText: String) {
        let escalation = policy.escalation
        guard escalation.isSoft(category: classification.category, reason: classification.reason, smtpCode: event.smtpCode) else {
            let note = classification.category == .unknown ? ": no rule matched; retried, never suppressed on first sight" : ""
            retry(event, context: say(ruleText + note))
            return
        }
        // A rerun over events an earlier run already counted must not count them twice.
        if !state.softHistory.contains(where: { $0.eventID == event.eventID }) {
            state.softHistory.append(SoftBounceEvidence(
                eventID: event.eventID, occurredAt: event.occurredAt, reason: classification.reason,
                category: classification.category, ruleID: classification.ruleID, smtpCode: event.smtpCode))
        }
        let verdict = escalation.evaluate(
            history: state.softHistory, lastDelivery: state.lastDelivery, now: event.occurredAt, explain: planner.explains)
        switch verdict {
        case .suppress(let reason, let evidence, let explanation):
            let times = { evidence.map { "#\($0.eventID.map(String.init) ?? "?") \($0.reason) at \($0.occurredAt)" } }
            suppress(event, reason: reason, ruleID: classification.ruleID, evidence: evidence.compactMap(\.eventID),
                     explanation: say("\(explanation): " + times().joined(separator: ", ")))
        case .keepRetrying(_, let explanation):
            let note = classification.reason == "message_expired"
                ? "; the sending MTA gave up on that attempt, so a fresh one is scheduled and counted" : ""
            retry(event, context: say("\(ruleText) is a soft bounce: \(explanation)\(note)"))
        }
    }

    private mutating func issue(_ action: Decision.Action, _ event: RecipientEvent, _ classification: Classification, text: String) {
        decisions.append(Decision(
            action: action, eventID: event.eventID, messageID: event.messageID, reason: classification.reason,
            ruleID: classification.ruleID, evidenceEventIDs: [event.eventID], explanation: text))
        if isTemporary(event) {
            retry(event, context: say("\(classification.reason) was temporary (\(event.smtpCode.map(String.init) ?? event.kind.rawValue))"))
        }
    }

    /// A 4xx reply, or a deferral without a reply code.
    private func isTemporary(_ event: RecipientEvent) -> Bool {
        if let code = event.smtpCode { return (400...499).contains(code) }
        return event.kind == .deferral
    }

    private mutating func suppress(_ event: RecipientEvent, reason: String, ruleID: String?, evidence: [Int64], explanation: String) {
        state.suppressed = true
        decisions.append(Decision(
            action: .suppress, eventID: event.eventID, messageID: event.messageID, reason: reason, ruleID: ruleID,
            evidenceEventIDs: evidence, explanation: explanation))
    }

    private mutating func retry(_ event: RecipientEvent, context: String) {
        let ruleID = event.classification?.ruleID
        let reason = event.classification?.reason ?? event.kind.rawValue
        guard let messageID = event.messageID, !messageID.isEmpty else {
            decisions.append(Decision(
                action: .unschedulable, eventID: event.eventID, reason: reason, ruleID: ruleID,
                evidenceEventIDs: [event.eventID], explanation: say("\(context); no message id, so no retry can be scheduled")))
            return
        }
        let retryPolicy = policy.retry
        let progress = state.retries[messageID]
        let attempt = (progress?.attempts ?? 0) + 1
        let firstFailure = min(progress?.firstFailure ?? event.occurredAt, event.occurredAt)
        let hold = state.holds[destination].flatMap { $0 > event.occurredAt ? $0 : nil }
        let decision = retryPolicy.nextAttempt(
            eventTime: event.occurredAt, attempt: attempt, messageID: messageID, recipient: recipient,
            firstFailure: firstFailure, holdUntil: hold)
        switch decision {
        case .retry(let at, let attempt):
            state.retries[messageID] = RetryProgress(attempts: attempt, firstFailure: firstFailure)
            decisions.append(Decision(
                action: .retry, eventID: event.eventID, messageID: messageID, at: at, attempt: attempt, reason: reason,
                ruleID: ruleID, evidenceEventIDs: [event.eventID],
                explanation: say("\(context). " + retryExplanation(at: at, attempt: attempt, event: event, messageID: messageID, hold: hold))))
        case .giveUp(let why):
            state.retries[messageID] = nil
            let detail = why == .maxAttempts
                ? "\(retryPolicy.maxAttempts) retries already made (max_attempts)"
                : "the next retry would fall more than \(DurationText.format(retryPolicy.maxAge)) after the first failure at \(firstFailure) (max_age)"
            decisions.append(Decision(
                action: .giveUp, eventID: event.eventID, messageID: messageID, attempt: attempt, reason: why.rawValue,
                ruleID: ruleID, evidenceEventIDs: [event.eventID], explanation: say("\(context). Give up on \(messageID): \(detail)")))
        }
    }

    /// "retry attempt 3 at T = failure at E + min(cap 4h, 5m×2^2) = 20m + jitter 1m37s".
    private func retryExplanation(at: Timestamp, attempt: Int, event: RecipientEvent, messageID: String, hold: Timestamp?) -> String {
        let retryPolicy = policy.retry
        let delay = retryPolicy.delay(attempt: attempt)
        let jitter = retryPolicy.jitterDelay(delay, messageID: messageID, recipient: recipient)
        var start = "failure at \(event.occurredAt) + \(retryPolicy.describeDelay(attempt: attempt))"
        let planned = event.occurredAt + delay
        if let hold, hold > planned {
            start = "end of the hold on \(destination) at \(hold) (later than \(start))"
        }
        return "Retry attempt \(attempt) at \(at) = \(start) + jitter \(DurationText.format(jitter))"
    }
}
