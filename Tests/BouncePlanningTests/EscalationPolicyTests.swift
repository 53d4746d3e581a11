import BounceClassification
import Testing
@testable import BouncePlanning

@Suite struct EscalationPolicyTests {
    let policy = EscalationPolicy.defaults

    @Test func threeMailboxFullOverSevenDaysSuppress() {
        let history = [soft(1, at: day(0)), soft(2, at: day(3)), soft(3, at: day(7))]
        let decision = policy.evaluate(history: history, lastDelivery: nil, now: day(7))
        #expect(decision.suppresses)
        #expect(decision.evidence.map(\.eventID) == [1, 2, 3])
        #expect(decision == .suppress(reason: "persistent_soft_bounce", evidence: history,
                                      explanation: decision.explanation))
    }

    @Test func threeWithinSixDaysKeepRetrying() {
        let history = [soft(1, at: day(0)), soft(2, at: day(3)), soft(3, at: day(6, hour: 23))]
        let decision = policy.evaluate(history: history, lastDelivery: nil, now: day(7))
        #expect(!decision.suppresses)
        #expect(decision.evidence.count == 3)
        #expect(decision.explanation.contains("keep retrying"))
    }

    @Test func twoOverTwentyDaysKeepRetrying() {
        let decision = policy.evaluate(history: [soft(1, at: day(0)), soft(2, at: day(20))], lastDelivery: nil, now: day(20))
        #expect(!decision.suppresses)
    }

    @Test func eventsOutsideTheWindowDoNotCount() {
        let history = [soft(1, at: day(0)), soft(2, at: day(25)), soft(3, at: day(40))]
        let decision = policy.evaluate(history: history, lastDelivery: nil, now: day(40))
        #expect(!decision.suppresses)
        #expect(decision.evidence.map(\.eventID) == [2, 3])
    }

    @Test func aDeliveryAfterTheBouncesResetsTheCount() {
        let history = [soft(1, at: day(0)), soft(2, at: day(3)), soft(3, at: day(8))]
        let decision = policy.evaluate(history: history, lastDelivery: day(4), now: day(8))
        #expect(!decision.suppresses)
        #expect(decision.evidence.map(\.eventID) == [3])
    }

    @Test func unknownFiveHundredsCountButFourHundredsDoNot() {
        let unknown5xx = [1, 2, 3].map { soft(Int64($0), at: day(Int64($0) * 4), "unclassified", category: .unknown, code: 550) }
        #expect(policy.evaluate(history: unknown5xx, lastDelivery: nil, now: day(12)).suppresses)
        let unknown4xx = [1, 2, 3].map { soft(Int64($0), at: day(Int64($0) * 4), "unclassified", category: .unknown, code: 451) }
        #expect(!policy.evaluate(history: unknown4xx, lastDelivery: nil, now: day(12)).suppresses)
    }

    @Test(arguments: [BounceCategory.sender, .ratelimit, .content, .ignore])
    func otherCategoriesNeverCount(category: BounceCategory) {
        let history = (1...10).map { soft(Int64($0), at: day(Int64($0) * 2), "mailbox_full", category: category, code: 550) }
        let decision = policy.evaluate(history: history, lastDelivery: nil, now: day(20))
        #expect(!decision.suppresses)
        #expect(decision.evidence.isEmpty)
    }

    @Test func mailboxFullInactiveSuppressesAtOnce() {
        let inactive = soft(9, at: day(1), "mailbox_full_inactive", category: .suppress, code: 550)
        let decision = policy.evaluate(history: [inactive], lastDelivery: nil, now: day(1))
        #expect(decision == .suppress(reason: "mailbox_full_inactive", evidence: [inactive], explanation: decision.explanation))
    }

    @Test func futureEventsAreIgnored() {
        let history = [soft(1, at: day(0)), soft(2, at: day(3)), soft(3, at: day(9))]
        #expect(!policy.evaluate(history: history, lastDelivery: nil, now: day(8)).suppresses)
    }
}
