@testable import BounceClassification
import Testing

/// Round 12 (rules-r12b): a limit on our sending stated in words decides over generic wait or busy wording, an
/// unexplained refusal and a bare code or status; the recipient's storage, time, size and abuse are other causes.
/// The wordings are probes of our own, not phrases of any rule or corpus row.
@Suite("Limit statements")
struct LimitStatementTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a limit stated under wait, busy, refusal or bare-code words is a rate limit", arguments: [
        ("451 this relay reached its limit for your client, please try again later", "rate_limited"),
        ("421 service not available: this host exceeded the maximum number of sessions", "rate_limited"),
        ("554 Access denied: no more than 40 messages per 10 mins", "rate_limited"),
        ("421 exchanger busy: sending frequency far too high", "rate_limited"),
        ("450 temporarily deferred: outgoing quota for today exhausted", "daily_limit"),
        ("550 refused under our acceptable use policy: outgoing quota reached", "quota_exceeded"),
        ("550 not allowed: the message lists too many recipients", "too_many_recipients"),
    ])
    func limitWins(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .ratelimit, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("the recipient's storage, a size, a time or abuse named beside a limit is not our rate", arguments: [
        "452 try again later: the inbox of this user has reached its storage limit",
        "452 mailbox quota exceeded, try later",
        "550 refused: the message size limit was exceeded",
        "451 please retry, the maximum time for delivery was exceeded",
        "550 denied: too many spam messages from your account, limit reached",
        "450 temporarily refused: hop limit exceeded",
    ])
    func notOurLimit(text: String) {
        #expect(classify(text).category != .ratelimit, "\(text)")
    }

    @Test("a quota with no sending, period or count named is the recipient's storage", arguments: [
        "User quota exceeded", "452 the account is over quota, retry",
    ])
    func bareQuotaIsStorage(text: String) {
        let cue = Array(text.utf8).withUnsafeBufferPointer { WordCues.limitStatement($0) }
        #expect(cue == nil, "\(text)")
    }

    @Test("a narrow throttle status beats generic wait wording; the catch-all 4.7.x and x.5.3 do not", arguments: [
        (451, "4.7.555", "451 4.7.555 Server busy, please try again later", BounceCategory.ratelimit),
        (451, "4.5.3", "451 4.5.3 Try again later.", BounceCategory.retry),
    ])
    func throttleStatus(code: Int, status: String, text: String, category: BounceCategory) {
        #expect(classify(text, code: code, status: status).category == category, "\(text)")
    }

    @Test("the limit in other languages", arguments: [
        ("Denní limit pro odesílání byl překročen.", "daily_limit"),
        ("Le quota d'envoi de votre compte est dépassé.", "quota_exceeded"),
        ("Превышен суточный лимит писем.", "daily_limit"),
        ("发信数量超过上限，请稍后再试", "quota_exceeded"),
        ("Troppi destinatari nel messaggio", "too_many_recipients"),
    ])
    func localised(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .ratelimit, "\(text)")
        #expect(verdict.reason == reason, "\(text)")
    }

    @Test("a full mailbox in other languages stays a full mailbox", arguments: [
        "Quota de la boîte aux lettres dépassé", "Das Postfach hat das Speicherlimit erreicht",
    ])
    func localisedStorage(text: String) {
        #expect(classify(text).category == .retry, "\(text)")
    }
}
