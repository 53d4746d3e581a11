import BounceClassification
import Testing

/// Round 15 of issue 12 (helper rules-r15a): who is refused. A block or list state whose subject is the recipient
/// ("This recipient is blacklisted", "Your recipient address has been blocked by admins") suppresses the address; the
/// same words with our side, a bare "address" or "user", a refusal act or a delivery as their subject stay `sender`,
/// and the guard's words naming us, volume or a temporary fault still withdraw the suppression.
@Suite("Round 15: a block stated of the recipient")
struct RoundFifteenBlockedRecipientTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("the recipient stated blocked or blacklisted is suppressed", arguments: [
        ("554 5.7.1 <user@example.com>: Recipient address rejected: This recipient is blacklisted", BounceCategory.suppress,
         "mailbox_disabled"),
        ("This recipient is blacklisted", .suppress, "mailbox_disabled"),
        ("550 Your recipient address has been blocked by admins", .suppress, "mailbox_disabled"),
        ("550 The recipient is blocked", .suppress, "mailbox_disabled"),
        ("550 this mailbox has been blacklisted", .suppress, "mailbox_disabled"),
        // No rule reads "banned": the block stated of the recipient decides under the bare 5xx.
        ("550 destination address is banned", .suppress, "mailbox_disabled"),
    ] as [Case])
    func recipientBlocked(row: Case) { check(row) }

    /// Only the category is asserted: which refusal of us the words name is another family's question.
    @Test("the same words with another subject, or naming us, stay a refusal of us", arguments: [
        "550 Your sending address has been blocked by admins",
        "550 Address blocked",
        // A mailbox of ours: the noun's qualifier names our side.
        "550 5.7.1 Sending mailbox is blocked",
        "550 Your mailbox is blocked",
        // A headline with no copula: a gateway's verdict on our message (rounds 10 and 12). Round 16 reads a LIST state
        // ("Recipient blacklisted") without a copula as the address's standing: see RoundSixteenMissedSuppressionTests.
        "550 5.7.1 Recipient blocked",
        "550 user is blacklisted",
        "554 5.7.1 <bob@example.org>: Recipient address rejected: Access denied",
        "452 <info@example.com> Mailbox delivery restricted by policy error",
        "554 5.7.1 <bob@example.org>: Recipient address rejected: Client host [192.0.2.7] blocked using zen.spamhaus.org",
        "550 Recipient blocked: your IP 192.0.2.7 is blacklisted",
        // Barracuda's per-recipient listing of its verdict on the message.
        "550 permanent failure for one or more recipients (bob@example.org:blocked)",
    ])
    func notTheRecipient(text: String) { TestSupport.expectCategory(text: text, .sender) }

    @Test("a 4xx keeps the reason and retries")
    func temporaryReply() {
        let result = TestSupport.classifier.classify(
            BounceResponse(smtpCode: 450, enhancedStatus: nil, diagnostic: "450 This recipient is blacklisted"))
        #expect(result.category == .retry && result.reason == "mailbox_disabled", "\(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("relay code tables: our account, a DNS answer with no data", arguments: [
        ("551 Main account unavailable", BounceCategory.sender, "sender_banned"),
        ("526 No data by dns resolve", .suppress, "domain_not_found"),
        ("451 No data by dns resolve, try again later", .retry, "temporary_failure"),
    ] as [Case])
    func relayCodeTables(row: Case) { check(row) }
}
