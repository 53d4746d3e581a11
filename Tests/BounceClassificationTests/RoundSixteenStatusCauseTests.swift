@testable import BounceClassification
import Testing

/// Round 16 (rules-r16c): a status that would suppress by itself yields to another cause its words name, and an
/// unexplained refusal with a size stated in words is a size. The wordings are probes of our own, not phrases of any
/// rule or corpus row.
@Suite("Round 16: the cause beside a suppressing status")
struct RoundSixteenStatusCauseTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a suppressing status beside words naming another cause does not suppress", arguments: [
        ("5.2.1 Subject is Mandatory.", BounceCategory.content),
        ("550 5.2.1 empty subject", BounceCategory.content),
        ("550 5.1.1 blank Date", BounceCategory.content),
        ("550 5.1.1 maximum size exceeded for this message", BounceCategory.content),
        ("550 5.1.2 limit of messages per hour reached", BounceCategory.ratelimit),
        ("550 5.2.1 quota of storage reached, please clean up", BounceCategory.retry),
    ])
    func otherCause(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }

    @Test("the status stands when its words support it or name no other cause", arguments: [
        "550 5.2.1 Mailbox Is Not Accepting New Messages",
        "550 5.1.6 moved, no forwarding",
        "550 5.1.1 rejected",
        "550 5.1.10 the recipient's domain publishes a null MX",
    ])
    func statusStands(text: String) {
        #expect(classify(text).category == .suppress, "\(text)")
    }

    @Test("an empty text keeps the status's verdict")
    func emptyText() {
        #expect(classify("", code: 550, status: "5.2.1").category == .suppress)
    }

    @Test("a refusal that names no cause, with a size stated in words, is a size", arguments: [
        "550 5.2.0 Email size exceeded the policy.",
    ])
    func sizeBehindRefusal(text: String) {
        let verdict = classify(text)
        #expect(verdict.category == .content && verdict.reason == "message_too_large", "\(text): \(verdict)")
    }

    @Test("a word inside an address's local part is no verdict; the same word in the text still is", arguments: [
        ("550 5.1.1 <dmarc_agg@example.com>: Recipient address rejected: No such user (dmarc_agg@example.com)", BounceCategory.suppress),
        ("550 5.7.1 Email rejected per DMARC policy for example.com", BounceCategory.sender),
        ("550 5.1.1 user unknown; DMARC check failed for example.com", BounceCategory.sender),
    ])
    func addressLocalPart(text: String, category: BounceCategory) {
        #expect(classify(text).category == category, "\(text)")
    }
}
