import Testing
import BouncePlanning

@Suite struct SenderIssuePolicyTests {
    let policy = SenderIssuePolicy.defaults

    @Test(arguments: [
        ("auth_dmarc", 1, 1, SenderIssueSeverity.high),
        ("auth_spf", 5000, 2000, .critical),
        ("ip_blocklisted", 3, 3, .high),
        ("helo_invalid", 2, 2, .low),
        ("helo_invalid", 50, 12, .medium),
        ("relay_denied", 500, 150, .high),
        ("auth_dkim", 0, 0, .low),
    ])
    func grades(reason: String, events: Int, recipients: Int, expected: SenderIssueSeverity) {
        #expect(policy.severity(reason: reason, eventCount: events, distinctRecipients: recipients) == expected)
    }

    @Test func severitiesAreOrdered() {
        #expect(SenderIssueSeverity.low < .medium && SenderIssueSeverity.medium < .high && SenderIssueSeverity.high < .critical)
    }
}
