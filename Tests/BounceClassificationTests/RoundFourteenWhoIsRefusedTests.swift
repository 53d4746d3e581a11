@testable import BounceClassification
import Testing

/// Round 14 (helper rules-r14a): who the refusal names. Written from half A of the moved blind refills
/// (`Corpus/open/moved-blind-r14-a.tsv`) and the near misses of `Corpus/open/r14a-near-miss.tsv`; the wordings below
/// vary the structures: a sender list under 5.1.1 is the mailbox's own, x.1.3 is a malformed address, a transcript's
/// accepted HELO refuses nobody, "sender email" is ours, a host name holding "login" is no login.
@Suite("Round 14: who the refusal names")
struct RoundFourteenWhoIsRefusedTests {
    @Test("a sender list under 5.1.1 is the mailbox's own", arguments: [
        "550 5.1.1 <petra@example.cz> sender is blacklisted",
        "host mx.example.pl[192.0.2.20] said: 550 5.1.1 <news@example.com> sender is blocked (in reply to RCPT TO command)",
        "550 5.1.1 <a@example.cz> your address is blacklisted",
        "550 5.1.1 Blacklisted sender <news@example.com>",
    ])
    func mailboxList(text: String) {
        TestSupport.expectVerdict(text: text, .suppress, "recipient_refuses_sender")
    }

    @Test("the same words under another status, or naming our IP, a list service or time, never suppress", arguments: [
        "550 5.1.1 sender is blacklisted: 192.0.2.10 listed at zen.spamhaus.org",
        "550 5.7.1 sender is blacklisted",
        "550 5.1.1 sender is blacklisted by your IP reputation",
        "550 5.1.1 sender is blocked, try again later",
        "550 5.7.1 you are blacklisted",
        "550 5.1.1 you are blocked by your ISP",
        "550 5.1.1 you are blacklisted, your IP 192.0.2.1",
        "550 5.1.0 Sender email does not exist",
        "550 Sender e-mail not found",
        "530 5.7.0 Relaying through this server requires login",
        "220 mx.example.net ESMTP\nhelo localhost\n504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname\nrcpt to:<b@example.net>\n550 5.1.1 User unknown",
    ])
    func notTheMailbox(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category != .suppress, "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("an unknown user under x.1.3 is a malformed address", arguments: [
        "550 5.1.3 Invalid address",
        "553 5.1.3 Recipient address invalid",
    ])
    func syntaxStatus(text: String) {
        TestSupport.expectVerdict(text: text, .suppress, "invalid_address")
    }

    @Test("the recipient's reply decides behind an accepted greeting or a host name holding 'login'", arguments: [
        "220 mx.example.net ESMTP\nhelo localhost\n250 mx.example.net\nmail from:<a@example.com>\n250 2.1.0 Ok\nrcpt to:<b@example.net>\n550 5.1.1 <b@example.net>: Recipient address rejected: User unknown in local recipient table\nquit",
        "postfix/smtp[2741]: 9B2C44E1A7: to=<a@example.org>, relay=mx1.simplelogin.co[176.119.200.162]:25, dsn=5.0.0, status=bounced (host mx1.simplelogin.co[176.119.200.162] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
        "550 User not here",
        "550 That user is no longer here",
    ])
    func recipientGone(text: String) {
        TestSupport.expectVerdict(text: text, .suppress, "user_unknown")
    }

    @Test("a departed owner's auto-reply suppresses", arguments: [
        "I no longer work at Example Corp. Please contact jane@example.com instead.",
        "Vielen Dank für Ihre Nachricht. Herr Muster ist nicht mehr für die Example GmbH tätig.",
        "Je ne travaille plus chez Example. Merci d'écrire à contact@example.fr.",
    ])
    func departedOwner(text: String) {
        TestSupport.expectCategory(text: text, .suppress)
    }

    @Test("an absence with a return date never suppresses", arguments: [
        "Ich bin nicht mehr bei der Arbeit bis zum 3. Januar.",
        "Auto-reply: I am out of the office until Monday with limited access to email.",
        "I no longer work at the Paris office until March; mail is read weekly.",
    ])
    func absence(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category != .suppress, "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }

    @Test("qmail's 'mail exchanger or IP address' is the recipient's domain, not our IP")
    func qmailNoMailExchanger() {
        TestSupport.expectVerdict(text: "Sorry, I couldnt find a mail exchanger or IP address. (#5.4.4)", .suppress, "domain_not_found")
    }

    @Test("the greeting counts as accepted only when 250 answers the HELO/EHLO line", arguments: [
        ("helo localhost\n250 mx.example.net\nrcpt to:<b@example.net>\n550 5.1.1 x", true),
        ("EHLO mail.example.com\n250-mx.example.net\n250 8BITMIME\n550 5.1.1 x", true),
        ("helo localhost\n504 5.5.2 Helo command rejected\n550 5.1.1 x", false),
        ("550 5.1.1 helo there", false),
    ])
    func greetingAccepted(text: String, accepted: Bool) {
        var copy = text
        let result = copy.withUTF8 { TranscriptReplies.greetingAccepted($0) }
        #expect(result == accepted, "\(text)")
    }
}
