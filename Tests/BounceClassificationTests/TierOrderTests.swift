import BounceClassification
import Testing

/// Which tier decides when a text rule and a status or code rule both match: the classifier skips the
/// status and code search once a default text rule matched and no user rule of those tiers exists, so
/// these pin the cases where that search still decides, on the single and the stream path alike.
@Suite("Tier order")
struct TierOrderTests {
    private func both(_ classifier: Classifier, code: Int?, status: String?, text: String) -> (Classification, Classification) {
        let single = classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
        var batched: [Classification] = []
        var copy = text
        copy.withUTF8 { bytes in
            let raw = [Classifier.RawResponse(smtpCode: code, enhancedStatus: status.flatMap(EnhancedStatus.init), diagnostic: bytes)]
            raw.withUnsafeBufferPointer { classifier.classify($0) { batched.append($0) } }
        }
        return (single, batched.first ?? single)
    }

    @Test("a default text rule beats the default status and code rules", arguments: [
        (550 as Int?, "5.1.1" as String?, "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown"),
        (nil, nil, "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown"),
        (452, "4.2.2", "452 4.2.2 Mailbox full"),
    ])
    func defaultTextWins(code: Int?, status: String?, text: String) {
        let (single, batched) = both(TestSupport.classifier, code: code, status: status, text: text)
        #expect(single == batched)
        let tier = TestSupport.classifier.rules.first { $0.id == single.ruleID }?.tier
        #expect(tier == .text, "\(single.ruleID)")
    }

    @Test("a user's status or code rule beats a default text rule", arguments: [
        ("status: [\"5.1.1\"]", 550 as Int?, "5.1.1" as String?, "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown"),
        ("status: [\"5.1.1\"]", nil, nil, "550 5.1.1 <a@example.net>: Recipient address rejected: User unknown"),
        ("codes: [\"550\"]", 550, nil, "550 <a@example.net>: Recipient address rejected: User unknown"),
    ])
    func userStatusOrCodeWins(condition: String, code: Int?, status: String?, text: String) throws {
        let path = TestSupport.temporaryDirectory() + "/user.yaml"
        TestSupport.write("""
            rules:
              - id: user.hold
                category: retry
                reason: temporary_failure
                \(condition)
                examples: [{code: 550, status: "5.1.1", text: "550 5.1.1 nothing else"}]
            """, to: path)
        let classifier = try Classifier.load(rulesDirectory: TestSupport.rulesDirectory, userRuleFiles: [path])
        let (single, batched) = both(classifier, code: code, status: status, text: text)
        #expect(single.ruleID == "user.hold")
        #expect(batched == single)
    }
}
