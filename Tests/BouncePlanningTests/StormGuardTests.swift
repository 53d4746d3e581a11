import Testing
import BouncePlanning

@Suite struct StormGuardTests {
    let guardPolicy = StormGuard.defaults

    @Test(arguments: [
        (200, 40, true),    // exactly 20 %: not more than the limit
        (200, 41, false),   // 20.5 %
        (199, 150, true),   // too few recipients to judge
        (10_000, 2001, false),
        (0, 0, true),
    ])
    func holdsOnlyLargeShares(recipients: Int, suppressed: Int, applies: Bool) {
        let verdict = guardPolicy.evaluate(DestinationStats(destination: "google", distinctRecipients: recipients, suppressedRecipients: suppressed))
        #expect((verdict == .apply) == applies)
    }

    @Test func reasonGivesTheNumbers() {
        let verdict = guardPolicy.evaluate(DestinationStats(destination: "microsoft", distinctRecipients: 400, suppressedRecipients: 300))
        guard case .holdForReview(let reason) = verdict else { Issue.record("expected a hold"); return }
        #expect(reason.contains("300 of 400 recipients at microsoft (75.0%)"))
        #expect(reason.contains("20.0%"))
    }
}
