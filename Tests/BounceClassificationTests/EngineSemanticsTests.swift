import BounceClassification
import Testing

/// The classifier's semantics of issue 12, one table per pattern: what the text says about who is
/// refused, and for how long, decides; codes only where the text says nothing useful.
@Suite("Engine semantics")
struct EngineSemanticsTests {
    typealias Case = (code: Int?, status: String?, text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: row.code, enhancedStatus: row.status, diagnostic: row.text))
        #expect(result.category == row.category, "\(row.text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
        #expect(result.reason == row.reason, "\(row.text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("domain-level permanent failures suppress; temporary DNS failures never do, even under 5.x.x", arguments: [
        (556, "5.1.10", "556 5.1.10 Recipient address has null MX", BounceCategory.suppress, "domain_not_found"),
        (nil, nil, "Domain example.net does not accept mail (nullMX)", .suppress, "domain_not_found"),
        (nil, nil, "an MX or SRV record indicated no SMTP service", .suppress, "domain_not_found"),
        (nil, nil, "all host address lookups failed permanently", .suppress, "domain_not_found"),
        (nil, nil, "Sorry, I couldn't find any host named example.net. (#5.1.2)", .suppress, "domain_not_found"),
        (nil, "5.4.4", "Host or domain name not found. Name service error for name=example.net type=MX: Host not found", .suppress, "domain_not_found"),
        (nil, "5.4.4", "Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again", .retry, "dns_temporary"),
        (550, "5.1.2", "550 5.1.2 <a@example.net>: Recipient address rejected: Malformed DNS server reply", .retry, "dns_temporary"),
        (nil, "5.0.0", "all host address lookups failed temporarily", .retry, "dns_temporary"),
        (nil, "5.1.0", "DNS lookup failure: Error: queryMx ESERVFAIL example.net", .retry, "dns_temporary"),
        (450, "4.1.2", "450 4.1.2 <a@example.net>: Recipient address rejected: Domain not found", .retry, "dns_temporary"),
        (550, "5.7.27", "550 5.7.27 Sender address has null MX", .sender, "sender_address_invalid"),
        (550, "5.7.27", "", .sender, "sender_address_invalid"),
        (550, "5.7.27", "550 5.7.27 example.net does not accept mail (null MX)", .suppress, "domain_not_found"),
    ] as [Case])
    func domainLevel(row: Case) { check(row) }

    @Test("in a transcript the recipient-level reply decides, not the words around it", arguments: [
        (nil, nil, "192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <a@example.net>... User unknown\nGiving up on 192.0.2.1.",
         BounceCategory.suppress, "user_unknown"),
        (nil, nil, "192.0.2.1 does not like recipient.\nRemote host said: 554 5.7.1 <a@example.net>: Relay access denied\nGiving up on 192.0.2.1.",
         .sender, "relay_denied"),
        (nil, nil, "... while talking to mx.example.net.:\n<<< 421 4.3.2 Service not available\n... while talking to mx2.example.net.:\n>>> RCPT To:<a@example.net>\n<<< 550 5.1.1 <a@example.net>... User unknown",
         .suppress, "user_unknown"),
        (nil, nil, "... while talking to mx.example.net.:\n<<< 421 4.3.2 Service not available\n... while talking to mx2.example.net.:\n>>> RCPT To:<a@example.net>\n<<< 550 <a@example.net>... User unknown",
         .suppress, "user_unknown"),
        (nil, nil, "450 4.1.1 <a@example.net>: Recipient address rejected: unverified address: host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown",
         .retry, "user_unknown"),
        (nil, nil, "... while talking to mx.example.net.:\n>>> RCPT To:<a@example.net>\n<<< 552 <a@example.net>... Mail quota exceeded\n554 <a@example.net>... Service unavailable",
         .retry, "mailbox_full"),
        (nil, nil, "<a@example.net>:\nUser and password not set, continuing without authentication.\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown in virtual mailbox table\nGiving up on 192.0.2.1.",
         .suppress, "user_unknown"),
        (nil, nil, "SMTP error from remote mail server after RCPT TO:<a@example.net>: host mx1.example.net [192.0.2.1]: 451 Temporary local problem - please try later\nhost mx2.example.net [192.0.2.2]: 550 5.1.1 <a@example.net>: Recipient address rejected: User unknown",
         .suppress, "user_unknown"),
        (nil, nil, "421 Service unavailable\n550 5.1.1 <a@example.net>... User unknown", .suppress, "user_unknown"),
        (nil, nil, "192.0.2.1 failed after I sent the message.\nRemote host said: 421 4.4.2 connection timed out\n192.0.2.2 does not like recipient.\nRemote host said: 550 5.1.1 unknown user\nGiving up on 192.0.2.2.",
         .suppress, "user_unknown"),
        (nil, nil, "421 4.7.0 Too many connections from your IP\n550 5.1.1 User unknown", .ratelimit, "rate_limited"),
        // A block list anywhere in the transcript names us: the later recipient reply does not suppress.
        (nil, nil, "451 4.7.1 Greylisted, try again later\n554 5.7.1 blocked using zen.spamhaus.org\n550 5.1.1 User unknown", .retry, "greylisted"),
        (550, "5.2.1", "550-5.2.1 The user you are trying to contact is receiving mail at a rate that\n550 5.2.1 prevents additional messages from being delivered.", .ratelimit, "rate_limited"),
        // The mailer itself recorded the 421: it keeps retrying.
        (421, "4.3.2", "421 4.3.2 Service not available\n550 5.1.1 User unknown", .retry, "user_unknown"),
        (nil, nil, "421 Service unavailable\\n550 5.1.1 <a@example.net>... User unknown", .suppress, "user_unknown"),
        // Sendmail shows the accepted MAIL FROM before the failing RCPT TO; a refused MAIL FROM stays ours.
        (nil, nil, "... while talking to mx.example.net.:\n>>> MAIL From:<a@example.com> SIZE=1234\n<<< 250 2.1.0 Ok\n>>> RCPT To:<x@example.net>\n<<< 550 5.1.1 <x@example.net>... User unknown\n550 5.1.1 <x@example.net>... User unknown",
         .suppress, "user_unknown"),
        (nil, nil, "... while talking to mx.example.net.:\n>>> MAIL From:<a@example.com>\n<<< 553 5.1.1 <a@example.com>... User unknown\n550 5.1.1 <a@example.com>... User unknown",
         .sender, "sender_address_invalid"),
        // Postfix's "(in reply to MAIL FROM command)" of an earlier, busy host belongs to that host's reply.
        (nil, nil, "host mx1.example.net[192.0.2.1] said: 421 Come back later (in reply to MAIL FROM command)\nhost mx2.example.net[192.0.2.2] said: 550 5.1.1 No such user (in reply to RCPT TO command)",
         .suppress, "user_unknown"),
        (nil, nil, "host mx2.example.net[192.0.2.2] said: 550 5.1.1 <a@example.com>: User unknown (in reply to MAIL FROM command)",
         .sender, "sender_address_invalid"),
    ] as [Case])
    func transcripts(row: Case) { check(row) }

    @Test("disabled or suspended recipients suppress; the same words said to be temporary retry", arguments: [
        (550, "5.2.1", "550 5.2.1 <a@example.net>: mailbox is disabled", BounceCategory.suppress, "mailbox_disabled"),
        (550, nil, "550 This account is suspended", .suppress, "mailbox_disabled"),
        (550, nil, "550 Mailbox is archived", .suppress, "mailbox_disabled"),
        (550, "5.2.1", "550 5.2.1 Mailbox temporarily disabled, try again later", .retry, "mailbox_disabled"),
        (550, "5.2.1", "550 5.2.1 Account is suspended temporarily during migration", .retry, "mailbox_disabled"),
        (550, "5.2.1", "550 5.2.1 Mailbox migration in progress", .retry, "temporary_failure"),
    ] as [Case])
    func disabled(row: Case) { check(row) }

    @Test("the guard tells who is refused: the recipient's own block suppresses, an organisation's block of us does not", arguments: [
        (550, nil, "550 Envelope blocked - User Domain Entry - https://community.mimecast.com/docs/DOC-1369#550", BounceCategory.suppress, "recipient_refuses_sender"),
        (550, "5.7.1", "550 5.7.1 Your address is on the recipient's block list", .suppress, "recipient_refuses_sender"),
        (550, "5.7.1", "550 5.7.1 Our organization blocked your IP address: it is on our block list", .sender, "ip_blocklisted"),
        (550, nil, "550 Rejected: you are on the recipient's personal blacklist as a spammer", .suppress, "recipient_refuses_sender"),
        (550, nil, "550 Message rejected as spam", .content, "spam_content"),
        (554, "5.7.1", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", .sender, "ip_blocklisted"),
        (550, "5.1.1", "550 5.1.1 <a@example.net>: Recipient address rejected: the address does not exist in our policy database", .suppress, "user_unknown"),
        (550, "5.7.1", "550 5.7.1 Recipient rejected due to local policy", .sender, "policy_rejection"),
        // "policy" beside a recipient wording that is not definite names nobody for sure: not suppressed.
        (550, "5.1.1", "550 5.1.1 Recipient not in route list, see our policy", .sender, "policy_rejection"),
    ] as [Case])
    func whoIsRefused(row: Case) { check(row) }

    @Test("filter words inside a host name refuse nobody; the same words in the reply still do", arguments: [
        (nil, nil, "host spamfilter.example.net[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)", BounceCategory.suppress, "user_unknown"),
        (nil, nil, "host mx.spam-gateway.example.net[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)", .suppress, "user_unknown"),
        (nil, nil, "Reporting-MTA: dns; antivirus-gateway.example.com\nDiagnostic-Code: smtp; 550 5.1.1 Destination address is unknown", .suppress, "user_unknown"),
        (550, "5.1.1", "550 5.1.1 no such user; message looked like spam. Rejected", .content, "spam_content"),
        (554, "5.7.1", "554 5.7.1 The message contains a virus (Eicar-Test-Signature).", .content, "virus"),
        (550, "5.1.1", "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown (checked by antivirus gateway)", .suppress, "user_unknown"),
        (554, "5.7.1", "554 5.7.1 Rejected by antivirus gateway: virus found", .content, "virus"),
        (550, "5.7.27", "550 5.7.27 Domain in MAIL FROM has null MX record", .sender, "sender_address_invalid"),
    ] as [Case])
    func hostNamesRefuseNobody(row: Case) { check(row) }

    @Test("a reply to MAIL FROM, HELO or the greeting refuses us, never the recipient", arguments: [
        (nil, nil, "host mx.example.net[192.0.2.1] said: 517-Domain does not exist: news@example.com. (in reply to MAIL FROM command)",
         BounceCategory.sender, "sender_address_invalid"),
        (nil, nil, "Connected to 192.0.2.1 but sender was rejected.\nRemote host said: 550 5.1.1 <news@example.com>... User unknown",
         .sender, "sender_address_invalid"),
        (nil, nil, "SMTP error from remote mail server after initial connection: 554 Transaction failed", .sender, "policy_rejection"),
        (521, "5.2.1", "521 5.2.1 : (CON:B1) http://postmaster.example.net/errors/554conb1.html", .sender, "policy_rejection"),
        (550, "5.7.1", "550 5.7.1 Service is suspended", .sender, "policy_rejection"),
    ] as [Case])
    func senderSideReplies(row: Case) { check(row) }

    @Test("status codes decide only when the text says nothing useful", arguments: [
        (550, "5.1.1", "", BounceCategory.suppress, "user_unknown"),
        (550, "5.1.2", "", .suppress, "domain_not_found"),
        (550, "5.1.6", "", .suppress, "user_unknown"),
        (550, "5.1.10", "", .suppress, "domain_not_found"),
        (550, "5.2.1", "", .suppress, "mailbox_disabled"),
        (550, "5.0.0", "", .unknown, "permanent_failure"),
        (550, "5.7.1", "", .sender, "policy_rejection"),
        (552, "5.2.2", "552 5.2.2 Mailbox full", .retry, "mailbox_full"),
        (552, "5.2.2", "552 5.2.2 Mailbox full and inactive", .suppress, "mailbox_full_inactive"),
    ] as [Case])
    func statusCodes(row: Case) { check(row) }

    @Test("temporary words beat permanent-looking codes; relay refusal under 5.1.x is ours", arguments: [
        (550, "5.1.1", "550 5.1.1 Disk full, please try again later", BounceCategory.retry, "server_busy"),
        (550, "5.1.1", "550 5.1.1 Disk full", .retry, "server_busy"),
        (550, "5.1.1", "550 5.1.1 User unknown temporarily, try again later", .retry, "temporary_failure"),
        (550, nil, "550 Recipient address rejected", .suppress, "user_unknown"),
        (450, "4.7.1", "450 4.7.1 <a@example.net>: Recipient address rejected: Try again later", .retry, "temporary_failure"),
        (550, "5.1.1", "550 5.1.1 <a@example.net>: Relay access denied", .sender, "relay_denied"),
        (550, "5.1.0", "550 5.1.0 <a@example.net>... Relaying denied", .sender, "relay_denied"),
    ] as [Case])
    func temporaryAndRelay(row: Case) { check(row) }

    @Test("complaints and auto-replies saying the mailbox is gone suppress", arguments: [
        (nil, nil, "This is an email abuse report for an email message received from IP 192.0.2.1 on Mon, 30 Nov 2026 10:00:00 +0000. The message below did not meet the sending domain's spam policy.",
         BounceCategory.suppress, "complaint"),
        (nil, nil, "Automatic reply: This email address is no longer in use. Please write to office@example.net.", .suppress, "user_unknown"),
        (nil, nil, "Auto-Reply: I am no longer with Example Corp.", .suppress, "user_unknown"),
        (nil, nil, "Automatic reply: I am out of the office until Monday.", .ignore, "auto_reply"),
    ] as [Case])
    func complaintsAndAutoReplies(row: Case) { check(row) }
}
