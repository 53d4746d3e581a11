@testable import BounceClassification
import Testing

/// Round 10 (rules-r10b): transient faults, throttling and greylisting worded in ways no rule file
/// spells out. The wordings below are probes of our own, not phrases of any rule or corpus row.
@Suite("Word families for transient faults and throttling")
struct WordCuesTransientTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a fault of the connection, the TLS layer or the destination's system retries", arguments: [
        ("network issue while talking to the exchanger", "connection_failed"),
        ("DeliveryConnectionProblem", "connection_failed"),
        ("socket EOF from peer", "connection_failed"),
        ("smtp session aborted: connection interrupted", "connection_failed"),
        ("upstream reported EHOSTUNREACH", "connection_failed"),
        ("peer greeting never arrived", "connection_failed"),
        ("handshake alert from remote exchanger", "tls_failure"),
        ("SSL layer error talking to exchanger", "tls_failure"),
        ("certificate check failed on exchanger", "tls_failure"),
        ("backend system issue", "temporary_failure"),
        ("server problem on relay", "temporary_failure"),
    ])
    func transient(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .retry, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("a host that did not answer retries; never a missing host", arguments: [
        "mail host not reachable at the moment of delivery", "exchanger did not respond in time", "no response from peer exchanger",
    ])
    func noAnswer(text: String) {
        let verdict = classify(text)
        #expect(verdict.category == .retry, "\(text)")
        #expect(verdict.reason != "domain_not_found", "\(text)")
    }

    @Test("a refusal that names us stays ours under words about time", arguments: [
        "451 your server is not trusted here, retry in a while later",
        "421 traffic from your hosts is temporarily denied here",
    ])
    func refusalOfUsUnderTemporaryWording(text: String) {
        #expect(classify(text).category == .sender, "\(text)")
    }

    @Test("a refusal that names no one, with words about time, stays a retry", arguments: [
        "450 this transaction is temporarily denied", "451 temporarily refused, try later",
    ])
    func anonymousTemporaryRefusal(text: String) {
        #expect(classify(text).category == .retry, "\(text)")
    }

    @Test("a destination that demands TLS from us is not a TLS fault", arguments: [
        "TLS is mandatory on this relay, failed", "the exchanger requires SSL, error",
    ])
    func tlsDemanded(text: String) {
        #expect(classify(text).reason != "tls_failure")
    }

    @Test("sending too fast, throttling named by itself, an hourly quota: a rate limit", arguments: [
        ("you deliver too rapidly to this exchanger", "rate_limited"),
        ("sender Throttled by relay", "rate_limited"),
        ("flooding detected on relay", "rate_limited"),
        ("hourly quota exceeded for this relay", "quota_exceeded"),
    ])
    func throttling(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .ratelimit, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("camel-case names split into words; a capital after a capital does not split")
    func camelCase() {
        var text = "ConnectionTerminated SMTPSEND"
        let classes: [WordClass.RawValue] = text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: 16) { buffer in
                let count = WordCues.tokenize(bytes, into: buffer)
                return Array(buffer[..<count])
            }
        }
        #expect(classes.count == 3)
        #expect(WordClass(rawValue: classes[0]).contains(.connection))
        #expect(WordClass(rawValue: classes[1]).contains(.connectionFault))
    }

    @Test("the new words never turn a keep into a suppression", arguments: [
        "550 connection issue for recipient", "550 system error", "550 handshake failed", "550 throttled",
        "550 mailbox server error",
    ])
    func neverSuppress(text: String) {
        #expect(classify(text).category != .suppress, "\(text)")
    }
}
