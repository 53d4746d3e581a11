import BounceClassification
import PropertyBased
import Synchronization
import Testing

@Suite("Safety rules and properties")
struct SafetyAndPropertyTests {
    static let userUnknownPhrases = [
        "user unknown", "no such user", "does not exist", "mailbox unavailable", "recipient not found", "unrouteable address",
        "no mailbox here", "not listed in domino directory", "mailbox disabled", "account is disabled", "nonexistent domain",
        "domain not found", "host not found", "access denied", "banned recipient", "rejected by recipient", "mailbox not found",
        "full and inactive", "invalid recipient", "not our customer", "mailbox unknown",
    ]

    /// Words of the generator's pieces that say a recipient is not there; every suppression of random
    /// text must contain one (or a status), whatever the pieces' order and neighbours.
    static let recipientFailureWords = ["unknown", "no such", "unavailable", "not exist", "not found"]

    /// Pieces that make a suppression possible, mixed into the random bytes so that the property's
    /// branch is reached (random bytes alone practically never suppress).
    static let suppressingPieces = ["550 5.1.1 ", "user unknown", "no such user", "mailbox unavailable", "5.1.1",
                                    " does not exist", "recipient not found", "550 ", "unknown", "mailbox "]

    /// How often each side of a property's branch was taken.
    final class Tally: Sendable {
        private let counts = Mutex<[Bool: Int]>([:])
        func count(_ taken: Bool) { counts.withLock { $0[taken, default: 0] += 1 } }
        subscript(taken: Bool) -> Int { counts.withLock { $0[taken] ?? 0 } }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
    }

    @Test("random bytes never crash and never suppress without a code or recipient phrase")
    func randomBytes() async {
        let classifier = TestSupport.classifier
        let input = zip(Gen<UInt8>.value(in: 0...255).array(of: 0...60), Gen.element(of: Self.suppressingPieces).array(of: 0...3))
            .map { noise, pieces in
                pieces.compactMap { $0 }.enumerated().reduce(into: noise) { bytes, piece in
                    bytes.insert(contentsOf: Array(piece.element.utf8), at: min(bytes.count, piece.offset * 17))
                }
            }
        let suppressed = Tally()
        await propertyCheck(count: 400, input: input) { bytes in
            let result = bytes.withUnsafeBufferPointer {
                classifier.classify(smtpCode: nil, enhancedStatus: nil, diagnostic: $0)
            }
            #expect(!result.reason.isEmpty && !result.ruleID.isEmpty)
            suppressed.count(result.category == .suppress)
            if result.category == .suppress {
                // Bytes, not Characters: a combining mark after "user" (U+0300) would hide the phrase from
                // String.contains, while the classifier rightly matches the bytes.
                let lowered = bytes.map { (65...90).contains($0) ? $0 + 32 : $0 }
                // The pieces combine into wordings no fixed list foresees ("mailbox unknown", "unknown
                // mailbox"), so the property names what a suppression needs at least: a permanent status or
                // a word that says the recipient is not there. Noise alone must never be enough.
                let hasEvidence = Self.contains(lowered, "5.") || Self.userUnknownPhrases.contains { Self.contains(lowered, $0) }
                    || Self.recipientFailureWords.contains { Self.contains(lowered, $0) }
                #expect(hasEvidence, "suppressed random text: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(suppressed[true] >= 20, "the generator should reach the suppression branch often: \(suppressed[true]) of 400")
        #expect(suppressed[false] >= 20, "and miss it often too: \(suppressed[false]) of 400")
    }

    @Test("random codes, statuses and texts give valid answers")
    func randomFields() async {
        let classifier = TestSupport.classifier
        let fragments = ["user unknown", "spamhaus", "rate limited", "mailbox full", "5.7.1", "550", "dmarc", "", "policy",
                         "550-5.1.1 ", "\n", "\r\n", "[TSS04]", "inactive", "too many", "é", "\u{0}", "ｕｓｅｒ"]
        await propertyCheck(
            count: 400, input: Gen.int(in: -10...1000), Gen<Int>.int(in: 0...9).array(of: 0...4),
            Gen.element(of: fragments).array(of: 0...5)
        ) { code, statusDigits, pieces in
            let status = statusDigits.map(String.init).joined(separator: ".")
            let text = pieces.compactMap { $0 }.joined(separator: " ")
            let result = classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
            #expect(!result.reason.isEmpty && !result.ruleID.isEmpty)
            let lowered = text.lowercased()
            // "policy" alone names nobody: with definite recipient evidence ("user unknown", a mailbox both full
            // and inactive) it may suppress.
            let recipientEvidence = lowered.contains("user unknown") || (lowered.contains("inactive") && lowered.contains("mailbox full"))
            let senderSide = ["spamhaus", "rate limited", "dmarc", "too many"].contains(where: { lowered.contains($0) })
                || (lowered.contains("policy") && !recipientEvidence)
            if senderSide {
                #expect(result.category != .suppress, "\(code) \(status) \(text) -> \(result.ruleID)")
            }
        }
    }

    @Test("text beats code: a 550 that speaks of rate, block lists or authentication is not a suppression", arguments: [
        "550 5.1.1 rate limited, slow down", "550 5.1.1 blocked using zen.spamhaus.org", "550 5.1.1 DMARC policy reject",
        "554 5.2.1 too many messages, try later", "550 5.1.1 sender reputation too low", "550 5.1.1 SPF fail",
    ])
    func textBeatsCode(text: String) {
        #expect(TestSupport.classifier.classify(BounceResponse(diagnostic: text)).category != .suppress)
    }

    @Test("an x.7.x status without recipient text is a sender problem", arguments: ["5.7.1", "5.7.0", "5.7.99", "5.7.17"])
    func securityStatusIsSender(status: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: 550, enhancedStatus: status, diagnostic: "rejected"))
        #expect(result.category == .sender)
    }

    @Test("a bad sender address status never suppresses", arguments: ["5.1.7", "5.1.8"])
    func senderAddressStatus(status: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: 550, enhancedStatus: status, diagnostic: "550 Invalid address"))
        #expect(result.category == .sender)
        #expect(result.reason == "sender_address_invalid")
    }

    @Test("no code, no status, unknown text is unknown/unclassified")
    func unclassified() {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: "something odd happened"))
        #expect(result.category == .unknown)
        #expect(result.reason == "unclassified")
    }

    @Test("hard facts", arguments: [
        ("550 4.4.7 Message expired", BounceCategory.retry, "message_expired"),
        ("554 5.2.2 Submission quota exceeded", .ratelimit, "quota_exceeded"),
        ("552 5.2.2 Mailbox full", .retry, "mailbox_full"),
        ("552 5.2.2 mailbox is full and inactive", .suppress, "mailbox_full_inactive"),
        ("421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.", .sender, "reputation"),
        ("421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints", .ratelimit, "rate_limited"),
        ("550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.", .ratelimit, "rate_limited"),
        ("550 5.7.1 no further explanation", .sender, "policy_rejection"),
        ("Out of Office: back on Monday", .ignore, "auto_reply"),
        ("450 4.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table", .retry, "user_unknown"),
    ])
    func hardFacts(text: String, category: BounceCategory, reason: String) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category == category, "\(text) -> \(result.ruleID)")
        #expect(result.reason == reason, "\(text) -> \(result.ruleID)")
    }

    @Test("Yahoo TSS04 keeps a rule id the planner recognises")
    func yahooRuleID() {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred"))
        #expect(result.ruleID.contains("yahoo"))
        #expect(result.reason == "rate_limited")
    }

    @Test("a provider rule beats generic wording but not specific text")
    func providerBeatsGenericWording() {
        let yahoo = TestSupport.classifier.classify(
            BounceResponse(smtpCode: 421, diagnostic: "421 Service not available, try again later", recipientDomain: "aol.com"))
        #expect(yahoo.ruleID == "yahoo.provider-421-deferral")
        let elsewhere = TestSupport.classifier.classify(
            BounceResponse(smtpCode: 421, diagnostic: "421 Service not available, try again later", recipientDomain: "example.org"))
        #expect(elsewhere.category == .retry)
        let specific = TestSupport.classifier.classify(
            BounceResponse(smtpCode: 421, diagnostic: "421 4.7.1 [TS03] All messages from 192.0.2.1 will be permanently deferred", recipientDomain: "yahoo.com"))
        #expect(specific.category == .sender)
    }

    @Test("provider scope: a domain-scoped rule applies only to that domain")
    func providerScope() throws {
        let path = TestSupport.temporaryDirectory() + "/user.yaml"
        TestSupport.write("""
            rules:
              - id: user.acme-554
                category: ratelimit
                reason: rate_limited
                codes: ["554"]
                domains: [acme.example]
                examples: [{code: 554, text: "554 go away", domain: mail.acme.example}]
            """, to: path)
        let classifier = try Classifier.load(rulesDirectory: TestSupport.rulesDirectory, userRuleFiles: [path])
        let scoped = classifier.classify(BounceResponse(smtpCode: 554, diagnostic: "554 go away", recipientDomain: "acme.example"))
        #expect(scoped.ruleID == "user.acme-554")
        let other = classifier.classify(BounceResponse(smtpCode: 554, diagnostic: "554 go away", recipientDomain: "notacme.example"))
        #expect(other.ruleID != "user.acme-554")
    }
}
