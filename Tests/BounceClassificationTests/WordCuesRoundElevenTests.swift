@testable import BounceClassification
import Testing

/// Round 11 (rules-r11b): transient faults worded without a code, requests to send less, outage words.
/// The wordings below are probes of our own, not phrases of any rule or corpus row.
@Suite("Word families, round 11: failed attempts, queue words, slowing down, outages")
struct WordCuesRoundElevenTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("an attempt that failed to connect is a connection failure", arguments: [
        "Can't connect to exchanger", "the link to the exchanger could not be established", "couldn't connect to peer",
        "write error to exchanger", "communication failure with peer exchanger",
    ])
    func failedAttempt(text: String) {
        let verdict = classify(text)
        #expect(verdict.category == .retry, "\(text)")
        #expect(verdict.reason == "connection_failed", "\(text)")
    }

    @Test("who may connect is a refusal of us, not a failed attempt", arguments: [
        "our policy does not allow your IP to connect, try later",
        "hosts on your network are not permitted to connect",
    ])
    func mayNotConnect(text: String) {
        #expect(classify(text, code: 550).category == .sender, "\(text)")
    }

    @Test("a destination that cannot be routed at all is not a socket error")
    func unableToRoute() {
        #expect(classify("Unable to route").reason != "connection_failed")
    }

    @Test("the queue's own words for a later attempt retry", arguments: [
        "deferral noted for exchanger", "handover postponed", "Retrying handover", "Transient failure at peer",
        "unknown mail transport error", "all exchanger servers failed",
    ])
    func queueWords(text: String) {
        #expect(classify(text).category == .retry, "\(text)")
    }

    @Test("a request to send less is a rate limit; of recipients, a recipient limit", arguments: [
        ("451 please reduce the rate of delivery, retry later", "rate_limited"),
        ("421 lower the number of parallel sessions and retry later", "rate_limited"),
        ("451 message frequency exceeded, retry later", "rate_limited"),
        ("452 reduce the number of recipients and retry later", "too_many_recipients"),
    ])
    func sendLess(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .ratelimit, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("an outage word with no code retries", arguments: [
        "Service unavailable", "exchanger network is down", "lookup table unavailable",
    ])
    func outageWithoutCode(text: String) {
        #expect(classify(text).category == .retry, "\(text)")
    }

    @Test("an outage word under a permanent code or status is not read as temporary", arguments: [
        ("Service unavailable", 554, nil), ("exchanger network is down", nil, "5.0.0"),
    ] as [(String, Int?, String?)])
    func outageUnderPermanentCode(text: String, code: Int?, status: String?) {
        #expect(classify(text, code: code, status: status).reason != "temporary_failure", "\(text)")
    }

    @Test("a recipient said to be unavailable is left to the code", arguments: [
        ("User unavailable", 450),
    ])
    func recipientUnavailable(text: String, code: Int) {
        let verdict = classify(text, code: code)
        #expect(verdict.category == .retry)
        #expect(verdict.ruleID != "family.temporary-words")
    }
}
