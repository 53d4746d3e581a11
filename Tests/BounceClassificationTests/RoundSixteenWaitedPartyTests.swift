@testable import BounceClassification
import Testing

/// Round 16 (rules-r16b): who a wait is about. Wait wording that names our IP or network as the one refused is a refusal of
/// us; a refused connection beside "too many" of our traffic is a limit; RFC 5321's availability wording under a permanent
/// reply refuses us. The wordings are probes of our own, not phrases of any rule or corpus row.
@Suite("Round 16: who a wait is about")
struct RoundSixteenWaitedPartyTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("our IP or network refused inside wait wording is a refusal of us", arguments: [
        ("421 Service temporarily unavailable, your IP 192.0.2.7 is blocked, try again later", "ip_blocklisted"),
        ("451 Please try again later: IP 192.0.2.7 temporarily blocked", "ip_blocklisted"),
        ("421 Service not available: access from your network is restricted, try later", "policy_rejection"),
        ("451 Temporary failure: connection from IP 192.0.2.7 rejected, retry later", "policy_rejection"),
    ])
    func refusalOfUs(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .sender, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("a wait that refuses nobody, or the recipient, is no refusal of us", arguments: [
        // Greylisting: "not yet authorized" is a wait, not a refusal.
        ("451 192.0.2.7 is not yet authorized to deliver mail from <a@example.org> to <b@example.net>. Please try later.",
         BounceCategory.retry),
        // A busy server refusing a connection.
        ("421 Server busy: your connection was refused, try again later", BounceCategory.retry),
        ("421 Service temporarily unavailable, please try again later", BounceCategory.retry),
    ])
    func notRefusalOfUs(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("a refused connection beside 'too many' of our traffic is a limit; a network error is not", arguments: [
        ("421 Connection refused. Too many messages received from your IP. Try again later.", BounceCategory.ratelimit),
        ("RETRY.23 Read/Write error over network connection", BounceCategory.retry),
        ("connect to mx.example.com[192.0.2.5]:25: Connection refused", BounceCategory.retry),
    ])
    func refusedConnection(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("availability wording under a permanent reply refuses us; under a temporary one, or with a cause, it waits", arguments: [
        ("554 Service not available", BounceCategory.sender),
        ("550 Service unavailable, closing transmission channel", BounceCategory.sender),
        ("421 Service not available, closing transmission channel", BounceCategory.retry),
        ("554 Service unavailable, please try again later", BounceCategory.retry),
        ("552 Service unavailable: insufficient system storage", BounceCategory.retry),
    ])
    func availability(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("a vague refusal whose words name the message's parts is a content refusal; a rule with its own phrase keeps its reading",
          arguments: [
              ("554 Message refused, disallowed link", BounceCategory.content),
              ("550 Access denied: attachment type not allowed", BounceCategory.content),
              ("550 Rejected by header based Blocked Senders: info@shop.example.com", BounceCategory.sender),
              ("550 Bounces not accepted here", BounceCategory.sender),
              ("550 Access denied", BounceCategory.sender),
          ])
    func contentBehindRefusal(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }
}
