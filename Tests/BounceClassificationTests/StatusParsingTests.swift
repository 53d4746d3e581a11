@testable import BounceClassification
import Testing

@Suite("Enhanced status parsing (RFC 3463 / RFC 5248)")
struct StatusParsingTests {
    @Test("well-formed codes parse", arguments: [
        ("5.1.1", 5, 1, 1), ("4.4.7", 4, 4, 7), ("2.0.0", 2, 0, 0), ("5.7.606", 5, 7, 606),
        ("5.1.10", 5, 1, 10), ("4.7.999", 4, 7, 999), ("5.999.0", 5, 999, 0), (" 5.2.2 ", 5, 2, 2),
    ])
    func wellFormed(text: String, statusClass: Int, subject: Int, detail: Int) {
        let status = EnhancedStatus(text)
        #expect(status?.statusClass == statusClass)
        #expect(status?.subject == subject)
        #expect(status?.detail == detail)
    }

    @Test("malformed codes are absent", arguments: [
        "5.1", "5.1.1.1", "abc", "", "3.1.1", "6.0.0", "1.2.3", "5.1000.1", "5.1.1000", "５.１.１", "5..1", ".5.1.1",
        "5.1.x", "5-1-1", "55.1.1", "5.1.1a", "5. 1.1",
    ])
    func malformed(text: String) {
        #expect(EnhancedStatus(text) == nil)
    }

    @Test("status found inside the text", arguments: [
        ("550 5.1.1 <a@b.example>: Recipient address rejected: User unknown", "5.1.1"),
        ("550-5.1.1 The email account that you tried to reach does not exist.", "5.1.1"),
        ("Sorry, no mailbox here by that name. (#5.1.1)", "5.1.1"),
        ("#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "5.1.1"),
        ("smtp; 550 5.7.606 Access denied, banned sending IP [192.0.2.1]", "5.7.606"),
        ("host 203.0.113.5 said: 451 4.4.316 Connection refused", "4.4.316"),
        ("Remote Server returned '550 4.4.7 Message expired'", "4.4.7"),
        // A transcript that starts with the accepted MAIL FROM failed at the later reply.
        ("250 2.1.0 Sender OK\n550 5.1.1 User unknown", "5.1.1"),
        ("250 2.0.0 Ok: queued as 4Xy7", "2.0.0"),
        // A pasted DSN: the specific status of the diagnostic wins over the undefined one before it.
        ("Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <a@example.net>: unknown", "5.1.1"),
        ("Status: 5.0.0\nDiagnostic-Code: smtp; 550 unknown", "5.0.0"),
    ])
    func statusInText(text: String, expected: String) {
        var copy = text
        let status = copy.withUTF8 { ResponseParser.enhancedStatus(in: $0) }
        #expect(status?.description == expected)
    }

    @Test("no status in text", arguments: [
        "connect to 192.0.2.10:25 refused", "Exim 4.96 ready", "version 5.1.1.1 of the filter", "5.1", "",
        "IP 45.5.1.1 blocked", "see rfc 5.1.1a",
    ])
    func noStatusInText(text: String) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.enhancedStatus(in: $0) } == nil)
    }

    @Test("reply code found in the text", arguments: [
        ("550 5.1.1 User unknown", 550), ("550-5.1.1 The email account", 550), ("smtp; 421 4.7.0 [TSS04] deferred", 421),
        ("  452 Mailbox full", 452), ("Remote Server returned '554 5.4.14 Hop count exceeded'", 554),
        ("host mx said: 550 5.7.1 rejected (in reply to RCPT TO command)", 550),
        // No status after the code: a code right after the colon or semicolon a mailer reports it with.
        ("host mx.example.net[192.0.2.1] said: 450 Requested mail action not taken: mailbox unavailable", 450),
        ("SMTP error from remote mail server after RCPT TO:<bob@example.org>: 550 No such user here", 550),
        ("Diagnostic-Code: smtp;421 Service not available", 421),
        // A failure wins over the success read before it; a code at the start of a line is a transcript's reply.
        ("250 2.1.0 Sender OK\n550 5.1.1 User unknown", 550),
        ("<<< 250 2.1.0 Ok\\n<<< 550 Recipient not here", 550),
        ("250 Ok", 250),
    ])
    func codeInText(text: String, expected: Int) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.replyCode(in: $0) } == expected)
    }

    @Test("numbers that are not reply codes", arguments: [
        "after 200 attempts the message was dropped", "6001 errors", "Mailbox full", "999 5.1.1 nonsense", "55 0 5.1.1",
        "failed after 200 attempts: giving up", "retried at 10:45:12 today", "queued as 4A2B: 6001 bytes",
    ])
    func noCodeInText(text: String) {
        var copy = text
        #expect(copy.withUTF8 { ResponseParser.replyCode(in: $0) } == nil)
    }

    @Test("status and code patterns", arguments: [
        ("5.7.*", "5.7.1", true), ("5.7.*", "4.7.1", false), ("*.7.1", "4.7.1", true), ("5.7.606-649", "5.7.620", true),
        ("5.7.606-649", "5.7.650", false), ("4.*.*", "4.4.7", true), ("5.1.1", "5.1.10", false),
    ])
    func statusPatterns(pattern: String, status: String, matches: Bool) throws {
        let compiled = try #require(StatusPattern(pattern))
        #expect(compiled.matches(try #require(EnhancedStatus(status))) == matches)
    }

    @Test("bad status patterns are rejected", arguments: ["5.7", "5.*.1", "6.1.1", "5.7.649-606", "5.7.1000", "x.y.z", "5.7.1-"])
    func badStatusPatterns(pattern: String) {
        #expect(StatusPattern(pattern) == nil)
    }

    @Test("reply code patterns", arguments: [("5xx", 554, true), ("55x", 552, true), ("55x", 541, false), ("550-554", 553, true), ("421", 421, true)])
    func codePatterns(pattern: String, code: Int, matches: Bool) throws {
        #expect(try #require(CodePattern(pattern)).matches(code) == matches)
    }

    @Test("malformed status in the field falls back to the text, never crashes")
    func malformedFieldFallsBack() {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: 550, enhancedStatus: "5.1", diagnostic: "550 5.1.1 User unknown"))
        #expect(result.category == .suppress)
        let garbage = TestSupport.classifier.classify(BounceResponse(smtpCode: 99999, enhancedStatus: "５.１.１", diagnostic: ""))
        #expect(garbage.category == .unknown)
    }
}
