import BounceClassification
import Testing

/// Round 9 of issue 12: the families behind the blind rows falsely suppressed (Config/rules/47-r9-false-families.yaml).
/// Each fix keeps RFC 5321's generic "mailbox unavailable" from reading as a gone recipient when the words around it say
/// otherwise; the negative cases check that the same generic words still suppress when a recipient word comes with them.
@Suite("Round 9 false-suppression families: loops, QQ access refusals, Yahoo's DATA refusal, POP-before-SMTP")
struct RoundNineFalseFamilyTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    @Test("refusals that are not of a gone recipient never suppress", arguments: [
        ("550 5.1.1 <a@example.net>: Recipient address rejected: undeliverable address: mail for example.net loops back to myself",
         BounceCategory.retry, "routing_loop"),
        ("550 Mailbox unavailable or access denied", .ratelimit, "rate_limited"),
        ("550 Request failed; Mailbox unavailable", .content, "spam_content"),
        ("553 5.3.0 <a@example.jp>... Please receive your mail before sending", .sender, "not_authenticated"),
    ] as [Case])
    func notRecipientRefusals(row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("the same generic words with a recipient word still suppress", arguments: [
        ("550 Requested action not taken: mailbox unavailable", BounceCategory.suppress, "user_unknown"),
        ("550-Requested action not taken: mailbox unavailable\n550 5.1.1 User unknown", .suppress, "user_unknown"),
        ("550 Mailbox unavailable or access denied: user unknown", .suppress, "user_unknown"),
        ("550 Request failed; Mailbox unavailable: no such user", .suppress, "user_unknown"),
        ("550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table", .suppress, "user_unknown"),
    ] as [Case])
    func recipientWordsStillSuppress(row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a cut first line followed by temporary wording retries", arguments: [
        "550-Requested action not taken: mailbox unavailable\n550 Failure sending mail. Try again later",
    ])
    func cutReplyWithTemporaryLine(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category == .retry, "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]")
    }
}
