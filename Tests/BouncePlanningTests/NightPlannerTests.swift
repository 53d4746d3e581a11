import BouncePlanning
import Testing

@Suite("The nightly recipient planner and its microsecond clock")
struct NightPlannerTests {
    @Test("MicroTime.text prints what PostgreSQL reads back", arguments: [
        (Int64(0), "1970-01-01 00:00:00.000000+00"),
        (Int64(1_795_737_600_000_001), "2026-11-27 00:00:00.000001+00"),
        (Int64(951_782_400_500_000), "2000-02-29 00:00:00.500000+00"),
        (Int64(-1), "1969-12-31 23:59:59.999999+00"),
    ])
    func microTimeText(micros: Int64, text: String) {
        #expect(MicroTime.text(micros) == text)
    }

    @Test("whole seconds round halves away from zero, as PostgreSQL's numeric cast does", arguments: [
        (Int64(1_499_999), Int64(1)), (Int64(1_500_000), Int64(2)), (Int64(-1_500_000), Int64(-2)), (Int64(-1_499_999), Int64(-1)),
    ])
    func roundedSeconds(micros: Int64, seconds: Int64) {
        #expect(MicroTime.roundedSeconds(micros) == seconds)
    }

    @Test("the microsecond retry schedule agrees with RetryPolicy.nextAttempt on whole seconds", arguments: 1...40)
    func plannedAttemptMatchesNextAttempt(attempt: Int) {
        let policy = RetryPolicy.defaults
        let event = Timestamp(secondsSinceEpoch: 1_795_737_600 + Int64(attempt) * 977)
        let first = Timestamp(secondsSinceEpoch: 1_795_737_600 - Int64(attempt) * 3_600)
        let hold = attempt % 3 == 0 ? event + .seconds(7_200) : nil
        let planned = policy.plannedAttempt(
            lastFailureMicros: event.secondsSinceEpoch * 1_000_000, firstFailureMicros: first.secondsSinceEpoch * 1_000_000,
            attempt: attempt, messageID: "m\(attempt)", recipient: "a@example.com",
            holdUntilMicros: hold.map { $0.secondsSinceEpoch * 1_000_000 })
        switch policy.nextAttempt(eventTime: event, attempt: attempt, messageID: "m\(attempt)", recipient: "a@example.com",
                                  firstFailure: first, holdUntil: hold) {
        case .retry(let at, _):
            #expect(planned.giveUp == nil && planned.atMicros == at.secondsSinceEpoch * 1_000_000)
        case .giveUp(let reason):
            #expect(planned.giveUp == reason)
        }
    }

    static let day: Int64 = 86_400_000_000

    static func event(_ id: Int64, day: Int64, outcome: String, reason: String, message: String = "m1",
                      destination: String = "example.com", reply: Int64? = nil) -> NightEvent {
        let micros = 1_795_737_600_000_000 + day * Self.day
        return NightEvent(eventID: id, occurredMicros: micros, domain: "example.com",
                          destination: destination, source: "192.0.2.1", messageID: message, outcome: outcome, reason: reason,
                          ruleID: "r", smtpCode: outcome == "suppress" ? 550 : 452, jitterText: "0.5", replyFingerprint: reply)
    }

    @Test("a suppression cancels the recipient's scheduled retries and schedules none")
    func suppressionCancelsRetries() {
        let planner = NightPlanner(policy: .defaults, inputs: NightInputs())
        let retry = RetryRow(messageID: "old", destination: "example.com", source: "", attempt: 2, firstFailedMicros: 0,
                             lastFailedMicros: 0, nextAttemptMicros: 0, status: "pending", jitterText: "0.1", category: "retry",
                             reason: "timeout", ruleID: "r", lastEventID: 1)
        let plan = planner.plan(
            recipient: "a@example.com",
            events: [Self.event(3, day: 0, outcome: "retry", reason: "timeout"), Self.event(4, day: 0, outcome: "suppress", reason: "user_unknown")],
            prior: RecipientPrior(retries: ["old": retry]))
        #expect(plan.suppression?.row.status == "active" && plan.suppression?.existed == false)
        #expect(plan.retriesCancelled == ["old"] && plan.retries.isEmpty)
    }

    @Test("three mailbox-full nights over a week escalate; a delivery in between resets the count",
          arguments: [false, true])
    func escalation(deliveredBetween: Bool) {
        let planner = NightPlanner(policy: .defaults, inputs: NightInputs())
        let prior = RecipientPrior(
            lastDeliveryMicros: deliveredBetween ? 1_795_737_600_000_000 - 2 * Self.day : nil,
            softBounces: [
                StoredSoftBounce(eventID: 1, occurredMicros: 1_795_737_600_000_000 - 8 * Self.day, outcome: "retry",
                                 reason: "mailbox_full", ruleID: "r", smtpCode: 452),
                StoredSoftBounce(eventID: 2, occurredMicros: 1_795_737_600_000_000 - 4 * Self.day, outcome: "retry",
                                 reason: "mailbox_full", ruleID: "r", smtpCode: 452),
            ])
        let plan = planner.plan(recipient: "a@example.com",
                                events: [Self.event(3, day: 0, outcome: "retry", reason: "mailbox_full")], prior: prior)
        #expect(plan.escalated == !deliveredBetween)
        #expect(plan.softBounces.map(\.eventID) == [3])
        #expect(plan.retries.isEmpty == !deliveredBetween)
    }

    /// Why the run stores the last delivery of every recipient delivered to, even one with nothing else
    /// stored: events are planned by arrival, not by time, and a later night can bring soft bounces dated
    /// before that delivery (a backlog of bounce messages ingested late). Counted without the delivery,
    /// they would escalate an address that accepted mail after them.
    @Test("a delivery-only night is remembered: soft bounces that arrive later but occurred before it do not escalate",
          arguments: [true, false])
    func lateSoftBouncesBeforeAStoredDelivery(deliveryStored: Bool) {
        let planner = NightPlanner(policy: .defaults, inputs: NightInputs())
        let delivered = Self.event(1, day: 10, outcome: "delivered", reason: "delivered")
        let first = planner.plan(recipient: "a@example.com", events: [delivered], prior: RecipientPrior())
        #expect(first.delivery?.event.eventID == 1 && first.delivery?.existed == false)

        let late = [1, 5, 9].map { Self.event(Int64(1 + $0), day: Int64($0), outcome: "retry", reason: "mailbox_full") }
        let prior = RecipientPrior(lastDeliveryMicros: deliveryStored ? delivered.occurredMicros : nil)
        let second = planner.plan(recipient: "a@example.com", events: late, prior: prior)
        #expect(second.escalated == !deliveryStored)
        #expect((second.suppression != nil) == !deliveryStored)
    }

    @Test("a storm holds a suppression only when it holds every one of tonight's causes")
    func stormHolds() {
        let slot: Int64 = (1_795_737_600 / 600) * 600
        let planner = NightPlanner(policy: .defaults, inputs: NightInputs(heldSlots: ["example.com": [slot: (7, 42)]]))
        let held = planner.plan(recipient: "a@example.com",
                                events: [Self.event(1, day: 0, outcome: "suppress", reason: "user_unknown", reply: 42)],
                                prior: RecipientPrior())
        #expect(held.suppression?.row.status == "pending_review" && held.suppression?.row.stormID == 7)
        let other = planner.plan(recipient: "a@example.com",
                                 events: [Self.event(1, day: 0, outcome: "suppress", reason: "user_unknown", reply: 43)],
                                 prior: RecipientPrior())
        #expect(other.suppression?.row.status == "active" && other.suppression?.row.stormID == nil)
    }
}
