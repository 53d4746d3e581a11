@testable import BouncePlanning
import Testing

/// `NightPlanner.plan` answers a recipient with one delivery and no stored state without its general
/// path: the answer must be the general path's, field by field.
@Suite("The night planner's one-delivery shortcut")
struct NightPlannerShortcutTests {
    static let planner = NightPlanner(
        policy: .defaults, inputs: NightInputs(holds: [NightInputs.holdKey(destination: "example.com", source: "192.0.2.1"): 1]))

    static func delivery(_ id: Int64, micros: Int64, message: String = "m1", code: Int? = 250) -> NightEvent {
        NightEvent(eventID: id, occurredMicros: micros, domain: "example.com", destination: "example.com",
                   source: "192.0.2.1", messageID: message, outcome: "delivered", reason: "delivered", ruleID: "input.kind.delivery",
                   smtpCode: code, jitterText: "0", replyFingerprint: nil)
    }

    static let retry = RetryRow(messageID: "m1", destination: "example.com", source: "192.0.2.1", attempt: 1,
                                firstFailedMicros: 1_795_000_000_000_000, lastFailedMicros: 1_795_000_000_000_000,
                                nextAttemptMicros: 1_795_000_300_000_000, status: "pending", jitterText: "0.5",
                                category: "retry", reason: "timeout", ruleID: "r", lastEventID: 1)

    /// One delivered event each, with no prior state and with each kind of prior state (where the general path answers).
    static let cases: [(NightEvent, RecipientPrior)] = [
        (delivery(10, micros: 1_795_737_600_000_000), RecipientPrior()),
        (delivery(11, micros: -1, message: ""), RecipientPrior()),
        (delivery(12, micros: Int64.max, code: nil), RecipientPrior()),
        (delivery(13, micros: 1_795_737_600_000_000), RecipientPrior(lastDeliveryMicros: 1_795_737_600_000_001)),
        (delivery(14, micros: 1_795_737_600_000_000), RecipientPrior(lastDeliveryMicros: 1_795_000_000_000_000)),
        (delivery(15, micros: 1_795_737_600_000_000), RecipientPrior(retries: ["m1": retry])),
        (delivery(16, micros: 1_795_737_600_000_000), RecipientPrior(softBounces: [
            StoredSoftBounce(eventID: 2, occurredMicros: 1_795_000_000_000_000, outcome: "retry", reason: "mailbox_full",
                             ruleID: "r", smtpCode: 452)])),
        (delivery(17, micros: 1_795_737_600_000_000), RecipientPrior(suppression: SuppressionRow(
            domain: "example.com", status: "removed", reason: "user_unknown", ruleID: "r", suppressedAtMicros: 0,
            firstEventID: 1, lastEventID: 1, evidence: [1], stormID: nil, removedAtMicros: 5))),
    ]

    @Test("the shortcut's plan is the general path's", arguments: cases)
    func sameAsGeneralPath(event: NightEvent, prior: RecipientPrior) {
        let fast = Self.planner.plan(recipient: "a@example.com", events: [event], prior: prior)
        let full = Self.planner.planInFull(recipient: "a@example.com", events: [event], prior: prior)
        #expect(fast.suppression?.row == full.suppression?.row && fast.suppression?.existed == full.suppression?.existed)
        #expect(fast.suppressedOnSight == full.suppressedOnSight && fast.escalated == full.escalated)
        #expect(fast.softBounces == full.softBounces)
        #expect(fast.delivery?.event == full.delivery?.event && fast.delivery?.existed == full.delivery?.existed)
        #expect(fast.retriesCancelled == full.retriesCancelled && fast.retriesDelivered == full.retriesDelivered)
        #expect(fast.retries.map(\.row) == full.retries.map(\.row) && fast.retries.map(\.existed) == full.retries.map(\.existed))
    }

    @Test("only a recipient with nothing stored and one delivery takes the shortcut")
    func emptiness() {
        #expect(RecipientPrior().isEmpty)
        #expect(!RecipientPrior(lastDeliveryMicros: 0).isEmpty)
        #expect(!RecipientPrior(retries: ["m1": Self.retry]).isEmpty)
    }
}

