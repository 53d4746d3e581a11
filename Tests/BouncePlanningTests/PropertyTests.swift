import BounceClassification
import PropertyBased
import Synchronization
import Testing
@testable import BouncePlanning

private let nonSuppressingCategories: [BounceCategory] = [.sender, .ratelimit, .content, .retry, .unknown]
private let reasons = ["mailbox_full", "message_expired", "rate_limited", "auth_dmarc", "spam_content", "unclassified",
                       "connection_refused", "mailbox_full_inactive", "user_unknown", "tenant_threshold"]
private let codes: [Int?] = [421, 450, 451, 452, 550, 552, 554, nil]

/// Events of one recipient over two months, drawn from every non-suppressing category.
private let nonSuppressingEvents = zip(
    Gen.int(in: 0...(nonSuppressingCategories.count - 1)), Gen.int(in: 0...(reasons.count - 1)),
    Gen.int(in: 0...(codes.count - 1)), Gen.int(in: 0...(60 * 24 * 60)), Gen.int(in: 0...3)
).map { category, reason, code, minute, message in
    (nonSuppressingCategories[category], reasons[reason], codes[code], minute, message)
}.array(of: 0...25).map { drawn in
    drawn.enumerated().map { index, event in
        bounce(Int64(index + 1), at: day(0, minute: Int64(event.3)), event.0, event.1, code: event.2, message: "m\(event.4)")
    }
}

/// Events of one recipient in the 30 days before day 61, mostly soft (full mailboxes, expiries,
/// unknown 5xx), so that escalation to a suppression, the branch the escalation property is about,
/// is reached often; still from non-suppressing categories only.
private let softLeaningCategories: [BounceCategory] = [.retry, .retry, .retry, .unknown, .sender, .ratelimit]
private let softLeaningReasons = ["mailbox_full", "mailbox_full", "message_expired", "unclassified", "rate_limited"]
private let softLeaningEvents = zip(
    Gen.int(in: 0...(softLeaningCategories.count - 1)), Gen.int(in: 0...(softLeaningReasons.count - 1)),
    Gen.int(in: 0...(codes.count - 1)), Gen.int(in: (31 * 24 * 60)...(61 * 24 * 60)), Gen.int(in: 0...3)
).map { category, reason, code, minute, message in
    (softLeaningCategories[category], softLeaningReasons[reason], codes[code], minute, message)
}.array(of: 0...25).map { drawn in
    drawn.enumerated().map { index, event in
        bounce(Int64(index + 1), at: day(0, minute: Int64(event.3)), event.0, event.1, code: event.2, message: "m\(event.4)")
    }
}

/// How often each side of a property's branch was taken, so a test can show its generator reaches it.
final class Tally: Sendable {
    private let counts = Mutex<[Bool: Int]>([:])
    func count(_ taken: Bool) { counts.withLock { $0[taken, default: 0] += 1 } }
    subscript(taken: Bool) -> Int { counts.withLock { $0[taken] ?? 0 } }
}

@Suite struct PlanningProperties {
    @Test func nothingButEscalationSuppressesNonSuppressingEvents() async {
        let policy = PlanningPolicy.defaults
        let escalated = Tally()
        await propertyCheck(count: 200, input: softLeaningEvents) { events in
            let plan = RecipientPlanner(policy: policy).plan(recipient: "p@example.org", events: events, now: day(61))
            escalated.count(plan.decisions.contains { $0.action == .suppress })
            let byID = Dictionary(uniqueKeysWithValues: events.map { ($0.eventID, $0) })
            for decision in plan.decisions where decision.action == .suppress {
                let evidence = decision.evidenceEventIDs.compactMap { byID[$0] }
                #expect(evidence.count == decision.evidenceEventIDs.count)
                #expect(evidence.count >= policy.escalation.requiredEvents)
                #expect(evidence.allSatisfy {
                    policy.escalation.isSoft(category: $0.classification!.category, reason: $0.classification!.reason, smtpCode: $0.smtpCode)
                })
                let times = evidence.map(\.occurredAt)
                if let first = times.min(), let last = times.max() {
                    #expect(last - first >= policy.escalation.minimumSpread)
                    #expect(last - first <= policy.escalation.window)
                }
            }
        }
        #expect(escalated[true] >= 20, "the generator should often earn an escalation: \(escalated[true]) of 200")
        #expect(escalated[false] >= 20, "and often not: \(escalated[false]) of 200")
    }

    @Test func eventsThatCannotBeSoftNeverSuppress() async {
        let policy = PlanningPolicy.defaults
        await propertyCheck(input: nonSuppressingEvents) { events in
            let hard = events.filter {
                !policy.escalation.isSoft(category: $0.classification!.category, reason: $0.classification!.reason, smtpCode: $0.smtpCode)
            }
            let plan = RecipientPlanner(policy: policy).plan(recipient: "p@example.org", events: hard, now: day(61))
            #expect(!plan.decisions.contains { $0.action == .suppress })
            #expect(!plan.state.suppressed)
        }
    }

    @Test func planningTwiceGivesTheSamePlanWhateverTheInputOrder() async {
        let planner = RecipientPlanner(policy: .defaults)
        await propertyCheck(input: nonSuppressingEvents) { events in
            let first = planner.plan(recipient: "p@gmail.com", events: events, now: day(61))
            #expect(first == planner.plan(recipient: "p@gmail.com", events: events, now: day(61)))
            #expect(first == planner.plan(recipient: "p@gmail.com", events: events.reversed(), now: day(61)))
        }
    }

    @Test func leavingExplanationsOutChangesNothingElse() async {
        let explaining = RecipientPlanner(policy: .defaults)
        let silent = RecipientPlanner(policy: .defaults, explains: false)
        await propertyCheck(input: nonSuppressingEvents) { events in
            let full = explaining.plan(recipient: "p@yahoo.fr", events: events, now: day(30))
            var bare = silent.plan(recipient: "p@yahoo.fr", events: events, now: day(30))
            #expect(bare.decisions.allSatisfy { $0.explanation.isEmpty })
            guard bare.decisions.count == full.decisions.count else {
                Issue.record("\(bare.decisions.count) decisions without explanations, \(full.decisions.count) with")
                return
            }
            for index in bare.decisions.indices { bare.decisions[index].explanation = full.decisions[index].explanation }
            #expect(bare == full)
        }
    }

    /// Retry times depend on the events only, never on the run's clock, so that replanning the same
    /// events gives the same schedule; a time already past means "due now".
    @Test func retryTimesFollowTheirEventAndIgnoreTheClock() async {
        let planner = RecipientPlanner(policy: .defaults)
        await propertyCheck(input: nonSuppressingEvents, Gen.int(in: 0...(70 * 24 * 60))) { events, nowMinute in
            let now = day(0, minute: Int64(nowMinute))
            let byID = Dictionary(uniqueKeysWithValues: events.map { ($0.eventID, $0.occurredAt) })
            let later = planner.plan(recipient: "p@x.org", events: events, now: now + .seconds(86_400)).decisions
            let decisions = planner.plan(recipient: "p@x.org", events: events, now: now).decisions
            #expect(decisions.filter { $0.action == .retry }.map(\.at) == later.filter { $0.action == .retry }.map(\.at))
            for decision in decisions where decision.action == .retry {
                #expect(decision.at! > byID[decision.eventID]!)
            }
        }
    }

    @Test func backoffNeverDecreasesAndNeverExceedsTheCap() async {
        await propertyCheck(
            input: Gen.int(in: 1...3600), Gen<Double>.value(in: 1.0...5.0), Gen.int(in: 0...200_000), Gen.int(in: 1...300)
        ) { base, factor, extraCap, attempts in
            let policy = RetryPolicy(base: .seconds(Int64(base)), factor: factor, cap: .seconds(Int64(base + extraCap)),
                                     jitterFraction: 0.1, maxAge: .days(5), maxAttempts: 30)
            var previous = Duration.zero
            for attempt in 1...attempts {
                let delay = policy.delay(attempt: attempt)
                #expect(delay >= previous)
                #expect(delay <= policy.cap)
                previous = delay
            }
        }
    }

    @Test func jitterIsDeterministicAndWithinBounds() async {
        let text = Gen.letterOrNumber.string(of: 0...40)
        await propertyCheck(input: text, text, Gen<Double>.value(in: 0.0...0.99)) { messageID, recipient, fraction in
            let policy = RetryPolicy(base: .minutes(5), factor: 2, cap: .hours(4), jitterFraction: fraction, maxAge: .days(5), maxAttempts: 30)
            let jitter = policy.jitter(messageID: messageID, recipient: recipient)
            #expect(jitter == policy.jitter(messageID: messageID, recipient: recipient))
            #expect(jitter >= 0)
            #expect(jitter < fraction || (fraction == 0 && jitter == 0))
            let seconds = policy.jitterDelay(.hours(4), messageID: messageID, recipient: recipient)
            #expect(seconds >= .zero && (seconds < .hours(4) * fraction || fraction == 0))
        }
    }

    @Test func aimdStaysBetweenFloorAndCeiling() async {
        let night = zip(Gen.int(in: 0...3), Gen.int(in: 0...40), Gen.int(in: 0...2)).map { kind, count, reason in
            (kind, count, ["rate_limited", "tenant_threshold", "daily_limit"][reason])
        }
        await propertyCheck(input: night.array(of: 1...40), Gen.int(in: 1...500), Gen.int(in: 0...4000)) { nights, floor, span in
            let policy = RateLimitPolicy(
                initialPerHour: floor + span / 2, ceilingPerHour: floor + span, decreaseFactor: 0.5, floorPerHour: floor,
                increasePerCleanNight: 100, defaultHold: .hours(1), maximumHold: .hours(24), pauseReasons: ["tenant_threshold"],
                pauseDuration: .hours(24), repeatedRuleFragment: "tss04", repeatedRuleThreshold: 5)
            var state: RateLimitState? = nil
            for (index, drawn) in nights.enumerated() {
                let now = day(Int64(index), hour: 3)
                let observation = drawn.0 == 0 ? nil : ThrottleObservation(
                    eventCount: drawn.1, lastEventAt: day(Int64(index), hour: 1), reasonCounts: [drawn.2: drawn.1],
                    ruleCounts: [drawn.0 == 3 ? "yahoo.tss04" : "rule": drawn.1])
                state = policy.step(previous: state, tonight: observation, now: now)
                guard let state else { continue }
                if state.paused {
                    #expect(state.maxPerHour == 0)
                    #expect(state.until != nil)
                } else {
                    #expect(state.maxPerHour >= policy.floorPerHour)
                    #expect(state.maxPerHour <= policy.ceilingPerHour)
                }
            }
        }
    }

    /// A number and a unit (the shapes servers write) followed by random text, so that most inputs
    /// parse and the bounds are checked on real answers; random ASCII alone almost never parses.
    @Test func holdParserNeverCrashesAndStaysBelievable() async {
        let units = ["seconds", "second", "secs", "minutes", "minute", "mins", "hours", "hour", "hrs", "days", "day", "", "fortnights"]
        let input = zip(Gen.int(in: 0...300), Gen.element(of: units), Gen.ascii.string(of: 0...40))
            .map { number, unit, tail in "\(number) \(unit ?? "") \(tail)" }
        let parsed = Tally()
        await propertyCheck(count: 300, input: input) { text in
            let hold = HoldParser.hold(in: "try again in " + text)
            parsed.count(hold != nil)
            if let hold {
                #expect(hold > .zero && hold <= HoldParser.longestBelievable)
            }
        }
        #expect(parsed[true] >= 60, "the generator should often give a hold: \(parsed[true]) of 300")
        #expect(parsed[false] >= 10, "and sometimes none: \(parsed[false]) of 300")
    }
}
