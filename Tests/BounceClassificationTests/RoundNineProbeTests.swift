import BounceClassification
import Testing

/// Round 9 of issue 12, probes of the recipient families: whose account is inactive, a status-less recipient reply after
/// a busy greeting in a qmail report, accounts closed for spam, the recipient's own refusal, quota under 5.1.x.
@Suite("Round 9 probes: recipient state, the recipient's own refusal, transcripts")
struct RoundNineProbeTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a status-less recipient reply on the next MX decides after a busy greeting", arguments: [
        ("Connected to 192.0.2.7 but greeting failed.\nRemote host said: 421 4.3.2 Service busy\n198.51.100.9 does not like recipient.\nRemote host said: 550 Account closed\nGiving up on 198.51.100.9.",
         BounceCategory.suppress, "mailbox_disabled"),
        // Without a recipient reply the greeting failure is a refusal of us.
        ("Connected to 192.0.2.7 but greeting failed.\nRemote host said: 554 No SMTP service here", .sender, "policy_rejection"),
    ] as [Case])
    func greetingThenRecipient(row: Case) { check(row) }

    @Test("an inactive account is ours when our login was refused", arguments: [
        ("553-Sorry, this account is inactive (#5.7.1)\n535 authorization failure (#5.7.8)", BounceCategory.sender, "auth_failed"),
        ("550 sorry, news@example.com mailbox <bob@example.org> is inactive on this domain (#5.2.1)", .suppress, "mailbox_disabled"),
    ] as [Case])
    func inactiveAccountWhose(row: Case) { check(row) }

    @Test("an account closed for spam is the recipient's; a spam verdict or our account is not", arguments: [
        ("554 Recipient mailbox disabled for sending spam", BounceCategory.suppress, "mailbox_disabled"),
        ("550 Account disabled due to spam", .suppress, "mailbox_disabled"),
        ("550 5.7.1 Your account has been disabled due to spam", .sender, "sender_banned"),
        ("554 Message rejected: spam", .content, "spam_content"),
    ] as [Case])
    func spamClosedAccount(row: Case) { check(row) }

    @Test("the recipient's own refusal suppresses with its own reason; an organisation's block of us does not", arguments: [
        ("The owner of this address does not want to receive mail from you.", BounceCategory.suppress, "recipient_refuses_sender"),
        ("Your message to <bob@example.org> was automatically rejected:\nPlease stop sending me newsletters.", .suppress,
         "recipient_refuses_sender"),
        ("550 5.7.1 Rejected by the recipient's personal filter", .suppress, "recipient_refuses_sender"),
        ("553 sorry, this MTA is a closed user group system (#5.7.1)", .sender, "policy_rejection"),
        ("550 5.7.1 Your IP is on our block list", .sender, "ip_blocklisted"),
    ] as [Case])
    func recipientOwnRefusal(row: Case) { check(row) }

    @Test("quota and temporary words beat a 5.1.x status; a bare terse refusal of the recipient suppresses", arguments: [
        ("x@example.org has insufficient quota. indimail (#5.1.4)", BounceCategory.retry, "mailbox_full"),
        ("550 5.1.1 Mailbox is over quota, try again later", .retry, "mailbox_full"),
        ("550 Recipient <bob@example.org> FAIL", .suppress, "user_unknown"),
        ("550 User rejected", .suppress, "user_unknown"),
        ("550 nobody here by that name", .suppress, "user_unknown"),
        ("550 5.1.5 Recipient address has no domain: bob", .suppress, "invalid_address"),
        ("host mx.example.org[192.0.2.4] said: 501 return path must be qualified. (in reply to MAIL FROM command)", .sender,
         "sender_address_invalid"),
    ] as [Case])
    func quotaAndTerse(row: Case) { check(row) }
}
