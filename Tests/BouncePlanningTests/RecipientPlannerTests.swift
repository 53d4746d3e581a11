import BounceClassification
import Testing
@testable import BouncePlanning

@Suite struct RecipientPlannerTests {
    let planner = RecipientPlanner(policy: .defaults)
    let recipient = "ann@gmail.com"

    @Test func userUnknownSuppressesAtOnceWithItsRule() throws {
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(0), .suppress, "user_unknown")], now: day(1))
        let decision = try #require(plan.decisions.first)
        #expect(plan.decisions.count == 1)
        #expect(decision.action == .suppress)
        #expect(decision.reason == "user_unknown")
        #expect(decision.ruleID == "test.user_unknown")
        #expect(decision.evidenceEventIDs == [1])
        #expect(decision.explanation.contains("rule test.user_unknown matched on \"user_unknown\""))
        #expect(plan.state.suppressed)
        #expect(plan.destination == "google")
    }

    @Test func senderProblemsNeverSuppressAndFiveHundredsAreNotRetried() {
        let events = (1...6).map { bounce(Int64($0), at: day(Int64($0) * 3), .sender, "ip_blocklisted", message: "m\($0)") }
        let plan = planner.plan(recipient: recipient, events: events, now: day(20))
        #expect(plan.decisions.map(\.action) == Array(repeating: .senderIssue, count: 6))
        #expect(!plan.state.suppressed)
        #expect(plan.decisions[0].explanation.contains("The recipient is not suppressed"))
    }

    @Test func temporarySenderProblemsAreRetried() {
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(0), .sender, "ip_blocklisted", code: 451)], now: day(0))
        #expect(plan.decisions.map(\.action) == [.senderIssue, .retry])
    }

    @Test func mailboxFullEscalatesOnTheThirdBounceOverAWeek() throws {
        let events = [
            bounce(1, at: day(0), .retry, "mailbox_full", code: 452, message: "a"),
            bounce(2, at: day(4), .retry, "mailbox_full", code: 452, message: "b"),
            bounce(3, at: day(8), .retry, "mailbox_full", code: 552, message: "c"),
        ]
        let plan = planner.plan(recipient: recipient, events: events, now: day(8))
        // Retry times come from the events alone, so message "a" is retried 5 minutes after its failure.
        #expect(plan.decisions.map(\.action) == [.retry, .retry, .suppress])
        let suppression = try #require(plan.decisions.last)
        #expect(suppression.reason == "persistent_soft_bounce")
        #expect(suppression.evidenceEventIDs == [1, 2, 3])
        #expect(suppression.explanation.hasPrefix("3 soft bounces spread over 8d in the last 30d (need 3 over at least 7d): escalated"))
        #expect(plan.decisions[1].explanation.contains("2 soft bounces spread over 4d in the last 30d"))
    }

    @Test func aDeliveryBetweenBouncesResetsTheCount() {
        let events = [
            bounce(1, at: day(0), .retry, "mailbox_full", code: 452, message: "a"),
            bounce(2, at: day(4), .retry, "mailbox_full", code: 452, message: "b"),
            delivery(3, at: day(5), message: "b"),
            bounce(4, at: day(8), .retry, "mailbox_full", code: 452, message: "b"),
        ]
        let plan = planner.plan(recipient: recipient, events: events, now: day(8))
        // Without the delivery, three bounces over 8 days would suppress.
        #expect(plan.decisions.map(\.action) == [.retry, .retry, .delivered, .retry])
        #expect(!plan.state.suppressed)
        #expect(plan.decisions[2].explanation.contains("soft-bounce count reset (was 2)"))
        #expect(plan.decisions[3].attempt == 1)  // the delivery also ended b's retries
        #expect(plan.state.softHistory.map(\.eventID) == [4])
    }

    @Test func messageExpiredIsCountedAndRetriedWithGrowingAttempts() {
        let events = [
            bounce(1, at: day(0), .retry, "message_expired", code: 550),
            bounce(2, at: day(0, hour: 1), .retry, "message_expired", code: 550),
        ]
        let plan = planner.plan(recipient: recipient, events: events, now: day(0, hour: 1))
        #expect(plan.decisions.map(\.attempt) == [1, 2])
        #expect(plan.decisions[0].explanation.contains("the sending MTA gave up on that attempt"))
        #expect(plan.state.retries["m1"]?.attempts == 2)
        #expect(plan.state.softHistory.count == 2)
    }

    @Test func retryExplanationShowsThePolicyArithmetic() throws {
        let prior = RecipientState(retries: ["m1": RetryProgress(attempts: 2, firstFailure: day(0))])
        let plan = planner.plan(recipient: recipient, events: [bounce(7, at: day(0, hour: 1), .retry, "connection_refused", code: 421)],
                                prior: prior, now: day(0, hour: 1))
        let decision = try #require(plan.decisions.first)
        let jitter = RetryPolicy.defaults.jitterDelay(.minutes(20), messageID: "m1", recipient: recipient)
        let at = day(0, hour: 1, minute: 20) + jitter
        #expect(decision.at == at)
        #expect(decision.attempt == 3)
        #expect(decision.explanation == "retry/connection_refused (rule test.connection_refused). Retry attempt 3 at \(at)"
            + " = failure at 2026-11-01T01:00:00Z + min(cap 4h, 5m×2^2) = 20m + jitter \(DurationText.format(jitter))")
    }

    @Test func throttlingHoldsRetriesUntilTheStatedTime() throws {
        let events = [
            bounce(1, at: day(0), .ratelimit, "rate_limited", code: 421, message: "a", text: "421 4.7.0 Try again in an hour"),
            bounce(2, at: day(0, minute: 10), .retry, "connection_refused", code: 421, message: "b"),
        ]
        let plan = planner.plan(recipient: recipient, events: events, now: day(0, minute: 10))
        let first = try #require(plan.decisions.first?.at)
        let second = try #require(plan.decisions.last?.at)
        #expect(first >= day(0, hour: 1))
        #expect(second >= day(0, hour: 1))
        #expect(plan.decisions[1].explanation.contains("end of the hold on google at 2026-11-01T01:00:00Z"))
        #expect(plan.state.holds["google"] == day(0, hour: 1))
    }

    @Test func retryTimesDoNotDependOnTheRunsClock() throws {
        let event = bounce(1, at: day(0), .retry, "greylisted", code: 451)
        let early = try #require(planner.plan(recipient: recipient, events: [event], now: day(0)).decisions.first)
        let late = try #require(planner.plan(recipient: recipient, events: [event], now: day(1)).decisions.first)
        #expect(early.at == late.at)
        #expect(try #require(late.at) < day(1))
        #expect(late.explanation.contains("failure at 2026-11-01T00:00:00Z + min(cap 4h, 5m×2^0) = 5m"))
    }

    @Test func givesUpOnOldMessages() throws {
        let prior = RecipientState(retries: ["m1": RetryProgress(attempts: 12, firstFailure: day(0))])
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(5), .retry, "greylisted", code: 451)],
                                prior: prior, now: day(5))
        let decision = try #require(plan.decisions.first)
        #expect(decision.action == .giveUp)
        #expect(decision.reason == "max_age")
        #expect(plan.state.retries["m1"] == nil)
    }

    @Test func eventsWithoutAMessageIDCannotBeRetried() {
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(0), .retry, "greylisted", code: 451, message: nil)], now: day(0))
        #expect(plan.decisions.map(\.action) == [.unschedulable])
    }

    @Test func alreadySuppressedRecipientsGetNoMoreDecisions() {
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(0), .retry, "greylisted", code: 451)],
                                prior: RecipientState(suppressed: true), now: day(0))
        #expect(plan.decisions.map(\.action) == [.alreadySuppressed])
    }

    @Test func complaintsSuppress() {
        let complaint = RecipientEvent(eventID: 1, occurredAt: day(0), kind: .complaint, messageID: "m1", smtpCode: nil,
                                       diagnostic: "", classification: nil)
        let plan = planner.plan(recipient: recipient, events: [complaint], now: day(0))
        #expect(plan.decisions.map(\.action) == [.suppress])
        #expect(plan.decisions[0].reason == "complaint")
    }

    @Test func softHistoryOutsideTheWindowIsDroppedFromTheState() {
        let prior = RecipientState(softHistory: [soft(1, at: day(0)), soft(2, at: day(20))])
        let plan = planner.plan(recipient: recipient, events: [], prior: prior, now: day(35))
        #expect(plan.state.softHistory.map(\.eventID) == [2])
    }

    @Test func priorSoftBouncesCountTowardsEscalation() {
        let prior = RecipientState(softHistory: [soft(1, at: day(0)), soft(2, at: day(3))])
        let plan = planner.plan(recipient: recipient, events: [bounce(3, at: day(9), .retry, "mailbox_full", code: 452)], prior: prior, now: day(9))
        #expect(plan.decisions.map(\.action) == [.suppress])
        #expect(plan.decisions[0].evidenceEventIDs == [1, 2, 3])
    }

    @Test func rerunningOverAlreadyCountedEventsDoesNotCountThemTwice() {
        let prior = RecipientState(softHistory: [soft(1, at: day(0)), soft(2, at: day(8))])
        let plan = planner.plan(recipient: recipient, events: [bounce(2, at: day(8), .retry, "mailbox_full", code: 452)],
                                prior: prior, now: day(8))
        #expect(plan.decisions.map(\.action) == [.retry])
        #expect(plan.state.softHistory.count == 2)
    }

    @Test func contentRefusalsAreReportedNotSuppressed() {
        let plan = planner.plan(recipient: recipient, events: [bounce(1, at: day(0), .content, "spam_content", code: 554)], now: day(0))
        #expect(plan.decisions.map(\.action) == [.contentIssue])
    }
}

@Suite struct SevereThrottlingTests {
    @Test func tenantThresholdHoldsRetriesForThePause() throws {
        let planner = RecipientPlanner(policy: .defaults)
        let event = bounce(1, at: day(0), .ratelimit, "tenant_threshold", code: 550, text: "550 5.7.233 tenant threshold exceeded")
        let plan = planner.plan(recipient: "bob@outlook.com", events: [event], now: day(0))
        let at = try #require(plan.decisions.first?.at)
        #expect(at >= day(1))
        #expect(plan.state.holds["microsoft"] == day(1))
    }
}
