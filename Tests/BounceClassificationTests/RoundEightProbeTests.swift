import BounceClassification
import Testing

/// Round 8 of issue 12, probes: who is refused when a generic refusal names the recipient's closed mailbox, when
/// "spam" says why the recipient's account was closed, when relaying needs a login, and when a check could not complete.
@Suite("Round 8 probes: recipient closed, spam-closed accounts, relay login, unfinished checks")
struct RoundEightProbeTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("the recipient's mailbox closed, disabled or deleted inside a generic refusal is gone", arguments: [
        ("554 5.7.1 Delivery not authorized: recipient mailbox closed", BounceCategory.suppress, "mailbox_disabled"),
        ("host mx.example.net[192.0.2.14] said: 554 5.7.1 <kim@example.net>: Delivery not authorized: account has been disabled (in reply to RCPT TO command)",
         .suppress, "mailbox_disabled"),
        ("550 5.7.1 Delivery not authorized, message refused: mailbox deleted", .suppress, "mailbox_disabled"),
        ("Remote Server returned '554 5.7.1 Delivery not authorized: recipient account suspended'", .suppress, "mailbox_disabled"),
        ("550 Administrative prohibition - mailbox closed", .suppress, "mailbox_disabled"),
        ("550 5.7.1 Rejected by policy: mailbox deleted", .suppress, "mailbox_disabled"),
        ("550 5.7.1 Delivery not authorized: recipient mailbox has been removed", .suppress, "mailbox_disabled"),
        // Temporary wording or our own account keep it from suppressing.
        ("451 4.7.1 Delivery not authorized: recipient mailbox disabled, try again later", .retry, "mailbox_disabled"),
        ("554 5.7.1 Delivery not authorized: your account has been disabled", .sender, "policy_rejection"),
        ("550 Administrative prohibition - your account has been disabled", .sender, "sender_banned"),
        ("554 5.7.1 Rejected by policy: your account has been deleted", .sender, "sender_banned"),
    ] as [Case])
    func recipientClosedInGenericRefusal(row: Case) { check(row) }

    @Test("\"spam\" saying why the recipient's account was closed does not withdraw the suppression", arguments: [
        ("550 5.1.1 <x@example.com>: Recipient address rejected: Mailbox disabled by spam policy", BounceCategory.suppress, "mailbox_disabled"),
        ("550 5.1.1 <x@example.com>: Recipient address rejected: Account suspended due to spam complaints", .suppress, "mailbox_disabled"),
        ("SMTP error from remote mail server after RCPT TO:<lee@example.org>: 550 5.2.1 Recipient mailbox disabled due to spam abuse",
         .suppress, "mailbox_disabled"),
    ] as [Case])
    func spamClosedRecipient(row: Case) { check(row) }

    @Test("spam verdicts on our message or our IP never suppress", arguments: [
        "550 5.7.1 Message rejected as spam",
        "554 5.7.1 Your IP is listed as a spam source",
        "550 5.7.1 Message rejected as spam: mailbox disabled",
        "554 Account suspended due to spam complaints",
        "550 5.7.1 Recipient address rejected: your IP is listed as a spam source; mailbox disabled",
    ])
    func spamNeverSuppresses(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category != .suppress, "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("relaying that needs a login is a relay refusal", arguments: [
        ("530 5.7.0 Relaying through this server requires authentication", BounceCategory.sender, "relay_denied"),
        ("550 5.7.1 Authentication required for relay", .sender, "relay_denied"),
        ("554 5.7.1 <a@example.org>: Relay access denied - please login first", .sender, "relay_denied"),
        // A failed login is still an authentication fault.
        ("535 5.7.8 Authentication credentials invalid", .sender, "not_authenticated"),
    ] as [Case])
    func relayNeedsLogin(row: Case) { check(row) }

    @Test("a 4xx saying our sender could not be verified retries", arguments: [
        ("451 4.7.1 Unable to verify sender domain, try again later", BounceCategory.retry, "temporary_failure"),
        ("450 4.1.8 Could not verify sender address at this time", .retry, "temporary_failure"),
        ("451 Cannot verify sender: DNS lookup timed out", .retry, "temporary_failure"),
        // A verification that failed, or a permanent refusal, stays ours.
        ("550 5.7.1 Unable to verify sender domain", .sender, "sender_address_invalid"),
        ("451 4.1.8 Sender verify failed", .sender, "sender_address_invalid"),
    ] as [Case])
    func unfinishedVerification(row: Case) { check(row) }
}
