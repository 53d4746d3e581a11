import BounceClassification
import Testing

/// Round 16 of issue 12 (helper rules-r16a): missed suppressions. A recipient on a list (blacklisted, suppressed, on a
/// suppression list) in any word order, a reply refusing the address it names, a recipient noun said unavailable under a
/// permanent reply, a recipient not switched on, a recipient mailbox closed for spam: the recipient is gone or banned.
/// The same words naming us, a provider's block, a headline without a copula, or a 4xx stay what they were.
@Suite("Round 16: missed suppressions")
struct RoundSixteenMissedSuppressionTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a recipient on a list, in any word order", arguments: [
        ("550 Recipient blacklisted", BounceCategory.suppress, "mailbox_disabled"),
        ("550 5.7.1 <kim@example.com>: Recipient address rejected: Recipient blacklisted", .suppress, "mailbox_disabled"),
        ("550 Recipient on local blacklist", .suppress, "mailbox_disabled"),
        ("550 blacklisted recipient", .suppress, "mailbox_disabled"),
        ("Recipient was on suppression list at send time.", .suppress, "on_suppression_list"),
        ("Recipient address suppressed", .suppress, "on_suppression_list"),
        ("recipient_suppressed", .suppress, "on_suppression_list"),
    ] as [Case])
    func recipientListed(row: Case) { check(row) }

    @Test("a reply refusing the address it names", arguments: [
        ("550 recipient kim@example.com denied", BounceCategory.suppress, "user_unknown"),
        ("SMTP error from remote mail server after RCPT TO:<kim@example.com>:\n550 recipient kim@example.com denied", .suppress,
         "user_unknown"),
    ] as [Case])
    func namedAddressRefused(row: Case) { check(row) }

    @Test("words of the recipient's condition no rule knew", arguments: [
        // Courier's submit.C: an address whose delivery failed within the last hours.
        ("556 Address unavailable.", BounceCategory.suppress, "user_unknown"),
        ("550 User account not activated", .suppress, "mailbox_disabled"),
        // Coremail: a suspended (挂起) user.
        ("550 User hangup", .suppress, "mailbox_disabled"),
        ("550 Recipient has been suspended due to spam abuse", .suppress, "mailbox_disabled"),
        // The owner reading keeps a quote's closing apostrophe out of the list word.
        ("Remote Server returned '550 User in blacklist'", .suppress, "recipient_refuses_sender"),
    ] as [Case])
    func recipientCondition(row: Case) { check(row) }

    /// Only the category is asserted: which refusal of us the words name is another family's question.
    @Test("the same words naming us, a provider's block or a headline stay a refusal of us", arguments: [
        "Recipient was blocked by provider.",
        "550 Your sending address is blacklisted",
        "550 5.7.1 Recipient blocked",
        "550 5.7.1 recipient kim@example.com rejected: your IP 192.0.2.7 is listed by zen.spamhaus.org",
        "554 IP is Hangup",
        "551 Main account unavailable",
        "550 Your mailbox has been suspended due to spam",
    ])
    func stillUs(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category != .suppress, "\(text): \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("a temporary reply or no code keeps them from suppressing", arguments: [
        ("450 User unavailable", BounceCategory.retry),
        ("456 Address temporarily unavailable.", .retry),
        ("450 Recipient blacklisted", .retry),
        ("Address unavailable", .unknown),
        ("550 5.7.1 Message rejected as spam: mailbox disabled", .content),
    ] as [(String, BounceCategory)])
    func notPermanent(text: String, category: BounceCategory) { TestSupport.expectCategory(text: text, category) }
}
