import BounceClassification
import Testing

/// Round 10 (helper rules-r10a): who is refused, read from the words. A suppression whose words state the
/// recipient's own condition keeps it when the text also says "policy"; "your hosting provider" names no host of
/// ours; Postfix's "Client host rejected:" names our host whatever reason follows; a vague refusal with a
/// recipient noun before "blocked" or "denied" still does not suppress on its own (tried, and it falsely
/// suppressed blind gateway rows).
@Suite("Round 10: who is refused")
struct RoundTenRefusedPartyTests {
    @Test("the recipient's stated condition keeps the suppression beside 'policy'", arguments: [
        (text: "550 5.7.1 The user has been suspended due to policy violation", reason: "mailbox_disabled"),
        (text: "550 5.7.1 Mailbox disabled by administrator (policy)", reason: "mailbox_disabled"),
        (text: "550 User account is locked: security policy", reason: "mailbox_disabled"),
    ])
    func keeps(row: (text: String, reason: String)) {
        TestSupport.expectVerdict(text: row.text, .suppress, row.reason)
    }

    @Test("'policy' still withdraws where the words state no condition of the recipient", arguments: [
        "550 5.7.1 Recipient address rejected: Access denied by policy",
        "554 5.7.1 <lucan@example.com.mx>: Recipient address rejected: Recipient address rejected for policy reasons",
        "554 5.7.1 <f.costa@example.com>: Recipient address rejected: Not authorized",
    ])
    func policyWithdraws(text: String) {
        TestSupport.expectCategory(text: text, .sender)
    }

    @Test("a hosting provider named as whom to ask does not withdraw a gone recipient")
    func hostingProvider() {
        TestSupport.expectVerdict(text: "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown. If you think this is an error, please contact your hosting provider.",
                                  .suppress, "user_unknown")
        let ours = TestSupport.classifier.classify(BounceResponse(diagnostic: "550 5.1.1 User unknown; your host 192.0.2.5 is not allowed"))
        #expect(ours.category == .sender)
    }

    @Test("the refused party named in the words", arguments: [
        (text: "550 5.7.1 <gw.example.com[192.0.2.2]>: Client host rejected: Rejected : Phishing (in reply to RCPT TO command)",
         category: BounceCategory.sender),
        (text: "Your message can't be delivered because delivery to this address is restricted.", category: .sender),
        (text: "550 5.7.1 Recipient blocked", category: .sender),
        (text: "550 This recipient is not allowed to receive mail", category: .sender),
    ])
    func refusedParty(row: (text: String, category: BounceCategory)) {
        TestSupport.expectCategory(text: row.text, row.category)
    }
}
