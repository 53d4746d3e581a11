@testable import BounceClassification
import Testing

/// Round 15 (rules-r15b): limits on our sending in more shapes, refusals of us that looked transient, and delay notices.
/// The wordings are probes of our own, not phrases of any rule or corpus row.
@Suite("Round 15: transient, limits and the unrecognised")
struct RoundFifteenTransientTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a limit on our sending in the shapes round 15 reads", arguments: [
        // A count per party or channel, not only per period.
        "451 only 2 connections are allowed per IP, please try again later",
        "450 try again later: the limit is 50 recipients per sender per hour",
        // A rate said to be too high a few words after it.
        "421 please try later, the rate of messages from your IP is too high",
        // A limit named in a deferral without saying it was hit.
        "451 temporary failure: sending limit for your account, retry later",
        // A pace compared with what is allowed; throttling in other words.
        "451 please try again later, you are sending faster than allowed",
        "421 the mail server is temporarily limiting mail from your IP. Try again later.",
        // A high amount of our mail, with us named.
        "451 please try again later: a high volume of email from your account was detected",
        // A deferral one sentence back does not hide a count exceeded.
        "451 Please try later. Message count exceeded",
        // A ban on our account worded as volume yields to the limit.
        "451 Too many messages have been sent from your account recently, please try again later",
    ])
    func limits(text: String) {
        #expect(classify(text).category == .ratelimit, "\(text)")
    }

    @Test("not a limit on our sending", arguments: [
        ("552 Too much mail data", BounceCategory.retry),
        ("550 5.7.1 [CSR] Account blocked. Spam to non-spam mails ratio has been crossed. Hence, mails from your account are automatically blocked.",
         BounceCategory.sender),
        ("452 try again later: the inbox of this user has reached its storage limit", BounceCategory.retry),
    ])
    func notLimits(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("'connection refused' in a server's permanent reply refuses us; a socket that nobody answered retries", arguments: [
        ("554 mx3 Inbound connection refused", BounceCategory.sender),
        ("550 Connection refused by policy", BounceCategory.sender),
        ("connect to mx.example.com[192.0.2.5]:25: Connection refused", BounceCategory.retry),
        ("451 4.4.316 Connection refused [Message=Socket error code 10061]", BounceCategory.retry),
        ("550 5.4.316 Message expired, connection refused(Socket error code 10061)", BounceCategory.retry),
    ])
    func connectionRefused(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("delay notices are notices; a failure stated beside the delay is not", arguments: [
        ("Your message could not be delivered for more than 4 hour(s). It will be retried until it is 5 day(s) old.", BounceCategory.ignore),
        ("Delivery to the following recipients has been delayed.", BounceCategory.ignore),
        ("Your message to bob@example.com has been delayed and is still awaiting delivery.", BounceCategory.ignore),
    ])
    func delayNotices(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("a delay notice that also states a failure is not read as a notice by the round's rules")
    func delayWithFailure() {
        let verdict = classify("Delivery to the following recipients has been delayed. The message is undeliverable.")
        #expect(verdict.ruleID != "r15b.delay-notice-structure")
    }
}
