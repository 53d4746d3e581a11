import PropertyBased
import Testing
@testable import BouncePlanning

@Suite struct RateLimitPolicyTests {
    let policy = RateLimitPolicy.defaults

    func throttled(_ count: Int = 10, at time: Timestamp, reason: String = "rate_limited", rule: String = "gmail.rate",
                   hold: Duration? = nil) -> ThrottleObservation {
        ThrottleObservation(eventCount: count, lastEventAt: time, reasonCounts: [reason: count], ruleCounts: [rule: count], statedHold: hold)
    }

    @Test func nothingHappensWithoutThrottling() {
        #expect(policy.step(previous: nil, tonight: nil, now: day(1)) == nil)
        #expect(policy.step(previous: nil, tonight: ThrottleObservation(eventCount: 0, lastEventAt: day(1)), now: day(1)) == nil)
    }

    @Test func firstThrottlingStartsAtTheInitialRateWithTheDefaultHold() throws {
        let state = try #require(policy.step(previous: nil, tonight: throttled(at: day(1, hour: 2)), now: day(1, hour: 3)))
        #expect(state.maxPerHour == 1000)
        #expect(state.until == day(1, hour: 3))
        // Since the throttling, not since the run that noticed it an hour later (issue 14: since ≤ until).
        #expect(state.since == day(1, hour: 2))
        #expect(state.eventCount == 10)
        #expect(!state.paused)
        #expect(state.reason == "rate_limited")
    }

    @Test func statedHoldWins() throws {
        let state = try #require(policy.step(previous: nil, tonight: throttled(at: day(1), hold: .minutes(15)), now: day(1)))
        #expect(state.until == day(1, minute: 15))
        #expect(state.explanation.contains("(stated)"))
    }

    @Test func throttledNightsHalveDownToTheFloor() throws {
        var state: RateLimitState? = nil
        var rates: [Int] = []
        for night in 1...8 {
            state = policy.step(previous: state, tonight: throttled(at: day(Int64(night))), now: day(Int64(night), hour: 3))
            rates.append(try #require(state).maxPerHour)
        }
        #expect(rates == [1000, 500, 250, 125, 62, 50, 50, 50])
        #expect(state?.eventCount == 80)
        #expect(state?.since == day(1))
    }

    @Test func cleanNightsAddUntilTheCeilingLiftsTheLimit() throws {
        var state: RateLimitState? = RateLimitState(maxPerHour: 4500, since: day(0), until: nil, reason: "rate_limited",
                                                    eventCount: 3, paused: false)
        state = policy.step(previous: state, tonight: nil, now: day(1))
        #expect(state?.maxPerHour == 4700)
        state = policy.step(previous: state, tonight: nil, now: day(2))
        #expect(state?.maxPerHour == 4900)
        state = policy.step(previous: state, tonight: nil, now: day(3))
        #expect(state == nil)
    }

    @Test(arguments: ["tenant_threshold", "ip_traffic_refused"])
    func microsoftSevereRefusalsPause(reason: String) throws {
        let state = try #require(policy.step(previous: nil, tonight: throttled(2, at: day(1), reason: reason), now: day(1, hour: 1)))
        #expect(state.paused)
        #expect(state.maxPerHour == 0)
        #expect(state.until == day(2))
        #expect(state.reason == reason)
    }

    @Test func repeatedYahooTSS04Pauses() throws {
        let few = try #require(policy.step(previous: nil, tonight: throttled(4, at: day(1), rule: "yahoo.TSS04"), now: day(1)))
        #expect(!few.paused)
        let many = try #require(policy.step(previous: nil, tonight: throttled(5, at: day(1), rule: "yahoo.TSS04"), now: day(1)))
        #expect(many.paused)
        #expect(many.reason == "repeated_tss04")
    }

    @Test func pauseLastsThenResumesAtTheFloor() throws {
        let paused = try #require(policy.step(previous: nil, tonight: throttled(at: day(1), reason: "tenant_threshold"), now: day(1)))
        let stillPaused = try #require(policy.step(previous: paused, tonight: nil, now: day(1, hour: 12)))
        #expect(stillPaused.paused && stillPaused.maxPerHour == 0)
        let throttledWhilePaused = try #require(policy.step(previous: paused, tonight: throttled(at: day(1, hour: 5)), now: day(1, hour: 6)))
        #expect(throttledWhilePaused.paused)
        let resumed = try #require(policy.step(previous: paused, tonight: nil, now: day(3)))
        #expect(!resumed.paused)
        #expect(resumed.maxPerHour == 50)
    }

    @Test func longerStatedHoldExtendsAPause() throws {
        let state = try #require(policy.step(
            previous: nil, tonight: throttled(at: day(1), reason: "ip_traffic_refused", hold: .hours(48)), now: day(1)))
        #expect(state.until == day(2))  // stated 48 h is capped at max_hold 24 h, equal to the pause
    }
}

@Suite struct ThrottleObservationTests {
    @Test func foldsEventsIntoOneObservation() {
        let first = ThrottleObservation(reason: "rate_limited", ruleID: "yahoo.tss04", occurredAt: day(1, hour: 2),
                                        diagnostic: "421 4.7.0 [TSS04] Messages temporarily deferred; try again in 15 minutes")
        let second = ThrottleObservation(reason: "rate_limited", ruleID: "yahoo.tss04", occurredAt: day(1, hour: 1),
                                         diagnostic: "421 try again in an hour")
        let third = ThrottleObservation(reason: "daily_limit", ruleID: "gmail.5.4.5", occurredAt: day(1), diagnostic: "")
        let folded = first.adding(second).adding(third)
        #expect(folded == third.adding(second).adding(first))
        #expect(folded.eventCount == 3)
        #expect(folded.lastEventAt == day(1, hour: 2))
        #expect(folded.reasonCounts == ["rate_limited": 2, "daily_limit": 1])
        #expect(folded.ruleCounts == ["yahoo.tss04": 2, "gmail.5.4.5": 1])
        #expect(folded.statedHold == .seconds(3600))
    }
}

@Suite struct RateLimitIntervalProperties {
    /// Up to 20 nights, each clean, throttled, throttled with a stated hold or paused by a severe
    /// reason; the run comes 0–30 hours after the night's last event (late runs, catch-ups).
    static let nights = zip(Gen.int(in: 0...3), Gen.int(in: 0...30), Gen.int(in: 0...240))
        .array(of: 1...20)

    @Test func sinceNeverFollowsUntil() async {
        let policy = RateLimitPolicy.defaults
        await propertyCheck(input: Self.nights) { nights in
            var state: RateLimitState?
            for (index, night) in nights.enumerated() {
                let event = day(Int64(index), hour: 1)
                let now = event + .hours(Int64(night.1))
                let tonight: ThrottleObservation? = switch night.0 {
                case 0: nil
                case 1: ThrottleObservation(eventCount: 3, lastEventAt: event, reasonCounts: ["rate_limited": 3])
                case 2: ThrottleObservation(eventCount: 3, lastEventAt: event, reasonCounts: ["rate_limited": 3],
                                            statedHold: .minutes(Int64(night.2)))
                default: ThrottleObservation(eventCount: 1, lastEventAt: event, reasonCounts: ["ip_traffic_refused": 1])
                }
                state = policy.step(previous: state, tonight: tonight, now: now)
                if let state, let until = state.until {
                    #expect(state.since <= until, "\(nights)")
                }
                if let state { #expect(state.paused == (state.maxPerHour == 0)) }
            }
        }
    }
}
