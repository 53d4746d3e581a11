import BounceClassification
import Testing

/// The guard tells who is refused from the subject of the refusal: our side named in general words
/// (the sending server, an IP address, our account) or a volume limit withdraws a suppression; the
/// recipient named plainly gone keeps it, also when the reply says "policy", names the gateway's
/// vendor, or is a Sendmail transcript whose MAIL FROM was accepted.
@Suite("Safety guard: who is refused, and volume")
struct RefusalBoundaryGuardTests {
    @Test("our side or a volume limit as the subject withdraws a suppression", arguments: [
        (text: "550 5.1.1 <bob@example.net> rejected: sending server 192.0.2.4 is not permitted", category: BounceCategory.sender),
        (text: "550 5.1.1 Rejected: the IP address 198.51.100.7 has a poor history", category: .sender),
        (text: "550 5.1.1 Your account has been suspended for sending spam", category: .sender),
        (text: "550 5.2.1 mailbox receiving too much mail, rejected", category: .ratelimit),
        (text: "550 5.1.1 Receiving limit exceeded for this mailbox", category: .ratelimit),
        (text: "550 5.2.1 The mailbox received too many messages in a short period", category: .ratelimit),
        (text: "550 5.1.1 Message rejected: more than 30 messages per hour from 203.0.113.4", category: .ratelimit),
    ])
    func withdraws(row: (text: String, category: BounceCategory)) {
        TestSupport.expectCategory(text: row.text, row.category)
    }

    @Test("the recipient plainly gone keeps its suppression", arguments: [
        (text: "550 5.1.1 User unknown; rejecting mail from IP address 192.0.2.1", reason: "user_unknown"),
        (text: "550 5.1.1 <bob@example.net>: Recipient address rejected: blocked by policy: address unknown", reason: "user_unknown"),
        (text: "550 5.7.1 Delivery not authorized, message refused: user unknown", reason: "user_unknown"),
        (text: "550 Administrative prohibition - unknown user", reason: "user_unknown"),
        (text: "550 5.7.1 Rejected by policy: recipient inactive", reason: "mailbox_disabled"),
        (text: "554 5.7.1 <bob@example.net>: Recipient address rejected: This account has been suspended for policy violation",
         reason: "mailbox_disabled"),
        (text: "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown (Barracuda)", reason: "user_unknown"),
        (text: "... while talking to mx.example.net.:\n>>> MAIL From:<news@example.com> SIZE=2345\n<<< 250 2.1.0 <news@example.com>... Sender ok\n>>> RCPT To:<bob@example.net>\n<<< 550 5.1.1 <bob@example.net>... User unknown",
         reason: "user_unknown"),
        (text: "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", reason: "domain_not_found"),
        (text: "550 5.7.1 Recipient rejects mail from you", reason: "recipient_refuses_sender"),
        (text: "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: bob@example.net. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.",
         reason: "on_suppression_list"),
    ])
    func keeps(row: (text: String, reason: String)) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: row.text))
        #expect(result.category == .suppress, "\(row.text) -> \(result.ruleID)")
        #expect(result.reason == row.reason, "\(row.text) -> \(result.reason)")
    }

    @Test("a Sendmail transcript refused at MAIL FROM stays a sender problem")
    func mailFromRefusal() {
        let text = "... while talking to mx.example.net.:\n>>> MAIL From:<news@example.com> SIZE=2345\n<<< 550 5.1.1 <news@example.com>... User unknown"
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category == .sender, "\(result.ruleID)")
    }
}
