import BounceClassification
import Testing

/// Round 14 of issue 12 (helper rules-r14b): who is refused and why, learnt from rows that independent blind writers
/// labelled (`Corpus/open/moved-blind-r14-a.tsv`). A reply to our AUTH command never suppresses; throttles worded as
/// refusals are rate limits; our setup refused in words no rule read names its cause; a fault of the destination that a
/// word turned into a refusal retries; delay notices are notices; the RFC 5321 replies read in other languages.
@Suite("Round 14: who is refused and why")
struct RoundFourteenWhoRefusedTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a reply to our AUTH command never suppresses, whatever its words say of a user or account", arguments: [
        ("535 Error: user has been suspended", BounceCategory.sender, "not_authenticated"),
        ("535 Неверные учетные данные", .sender, "not_authenticated"),
        ("535 Błędne dane logowania", .sender, "not_authenticated"),
        ("535 Ungültige Anmeldedaten", .sender, "not_authenticated"),
        // A recipient's reply with its own code still suppresses.
        ("550 5.1.1 <jan@example.org>: Recipient address rejected: User unknown", .suppress, "user_unknown"),
    ] as [Case])
    func authenticationReply(row: Case) { check(row) }

    @Test("the AUTH reply code given by the mailer decides the same way")
    func authenticationReplyCodeField() {
        let result = TestSupport.classifier.classify(
            BounceResponse(smtpCode: 535, enhancedStatus: nil, diagnostic: "Error: user has been suspended"))
        #expect(result.category == .sender && result.reason == "not_authenticated", "\(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("throttles worded as refusals of us are rate limits", arguments: [
        ("550 5.1.0 sender rejected AUP#I-1320", BounceCategory.ratelimit, "rate_limited"),
        ("451 4.7.500 Server busy. Please try again later from [203.0.113.77]. (S77719)", .ratelimit, "rate_limited"),
        ("User me@example.com has exceeded its 24-hour sending limit.", .ratelimit, "daily_limit"),
        ("The group team@example.org has exceeded its quota for total number of external recipients.", .ratelimit, "quota_exceeded"),
        // A block list stays a refusal of us; a full mailbox stays a full mailbox.
        ("550 5.7.1 Unfortunately, messages from [192.0.2.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140).",
         .sender, "ip_blocklisted"),
        ("552 5.2.2 <jan@example.org> Quota exceeded (mailbox for user is full)", .retry, "mailbox_full"),
    ] as [Case])
    func throttles(row: Case) { check(row) }

    @Test("our setup refused: the words name the cause", arguments: [
        ("554 5.7.1 Rejected because Bad IP (in reply to MAIL FROM command)", BounceCategory.sender, "ip_blocklisted"),
        ("554 Transaction échouée : IP ou domaine répertorié sur des listes noires", .sender, "ip_blocklisted"),
        ("messages from (192.0.2.100) on behalf of (example.com) could not be delivered due to domain owner policy restrictions.",
         .sender, "auth_dmarc"),
        ("501 5.1.0 Emetteur invalide. Invalid Sender. OFR004_405 [405]", .sender, "sender_address_invalid"),
        ("Your sender domain is required to send via an encrypted SMTP session", .sender, "tls_required"),
        ("551 Wskazany użytkownik nie jest lokalny.", .sender, "relay_denied"),
    ] as [Case])
    func ourSetup(row: Case) { check(row) }

    @Test("a fault of the destination that a word turned into a refusal retries", arguments: [
        ("451 4.0.0 Spam filter end message failed - server - license [slot 1]", BounceCategory.retry, "temporary_failure"),
        ("Out of memory. (#4.3.0)", .retry, "server_busy"),
        ("RETRY.17 Temporary failure of hostname lookup", .retry, "dns_temporary"),
        ("RETRY.23 Read/Write error over network connection", .retry, "connection_failed"),
        ("Message size exceeds remaining quota", .retry, "mailbox_full"),
        // A spam verdict is still the content's.
        ("554 5.7.0 Reject, id=04321-07 - spam", .content, "spam_content"),
    ] as [Case])
    func destinationFaults(row: Case) { check(row) }

    @Test("delay notices are notices; an NDR quoting a delay is an expiry", arguments: [
        ("Your message hasn't been delivered yet\nWe'll let you know if we can't deliver it successfully.", BounceCategory.ignore, "delivery_notice"),
        ("[Reject Message] Warning: message 1abc-000123-XY delayed 24 hours", .ignore, "delivery_notice"),
        ("Remote Server at mx.example.es (198.51.100.41) returned '400 4.4.7 Message delayed'", .retry, "message_expired"),
        ("This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:\n\n  jan@example.org\n    retry timeout exceeded",
         .retry, "message_expired"),
    ] as [Case])
    func notices(row: Case) { check(row) }

    @Test("RFC 5321 replies in other languages, without their code", arguments: [
        ("Der Server hat eine fehlerhafte Befehlsfolge festgestellt.", BounceCategory.sender, "protocol_error"),
        ("Serwer napotkał nieprawidłową sekwencję poleceń.", .sender, "protocol_error"),
        ("Wymagane jest uwierzytelnienie.", .sender, "not_authenticated"),
        ("Der Dienst ist nicht verfügbar und die Verbindung wird geschlossen.", .retry, "server_busy"),
        ("L'action de requête est annulé: Erreur local dans le processus.", .retry, "temporary_failure"),
        ("Komenda została przerwana, ponieważ serwer dostawców ma niewystarczającą pamięć systemową.", .retry, "server_busy"),
    ] as [Case])
    func localisedReplies(row: Case) { check(row) }

    @Test("syntax words about an address are the recipient's, not our command's", arguments: [
        "Syntaxfehler in der Empfänger-Adresse: Befehl abgelehnt",
        "Błąd składni adresu odbiorcy: polecenie odrzucone",
    ])
    func addressSyntaxIsNotOurCommand(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.reason != "protocol_error", "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("an unexplained refusal whose subject is an IP address refuses our sending IP", arguments: [
        ("550 IP 192.0.2.212 is blocked by EarthLink. Go to earthlink.net/block for details.", BounceCategory.sender, "ip_blocklisted"),
        ("550 5.7.1 Mail Refused - 198.51.100.64 - See http://security.rr.com/rrDynamic", .sender, "ip_blocklisted"),
        ("421 Blocked (203.0.113.88). See http://www.example.net/blocked/", .sender, "ip_blocklisted"),
        ("550 remote ip is forbidden", .sender, "ip_blocklisted"),
        // The reporting host of a wrapper is not the refusal's subject.
        ("host mx.example.org[192.0.2.37] refused to talk to me: 554 Transaction failed", .sender, "policy_rejection"),
        ("SMTP error from remote mail server after initial connection: host mx.example.ru [198.51.100.63]: 554 blocked", .sender, "policy_rejection"),
        ("host mx.example.net[192.0.2.1] said: 550 Rejected by policy (in reply to end of DATA command)", .sender, "policy_rejection"),
    ] as [Case])
    func refusedIP(row: Case) { check(row) }

    @Test("an unexplained refusal whose words name relaying is a relay refusal", arguments: [
        ("554 Refused. Sending to remote addresses (relaying) is not allowed.", BounceCategory.sender, "relay_denied"),
        ("550 relaying to <jan@example.com> denied.", .sender, "relay_denied"),
        ("554 5.7.1 Message refused by policy", .sender, "policy_rejection"),
    ] as [Case])
    func relayBehindRefusal(row: Case) { check(row) }

    @Test("a reply that reports only that no recipient was left for DATA says nothing of why")
    func noValidRecipients() {
        TestSupport.expectVerdict(text: "Expected response code 354 but got code \"554\", with message \"554 5.5.1 Error: no valid recipients",
                                  .unknown, "permanent_failure")
    }
}
