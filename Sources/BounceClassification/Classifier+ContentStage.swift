/// Round 10 (rules-r10a, from batch B after the transfer measurement): a reply to MAIL FROM that calls the
/// message spam, a virus or forbidden content ("553 5.3.0 192.0.2.7 Your message was rejected for possible
/// spam/virus content", in reply to MAIL FROM) cannot have judged a message it has not received yet: it refuses
/// our sender or host, so the verdict is `sender`, not `content`.
extension Classifier {
    /// Whether a rule is a default text rule judging the message itself: spam, virus or content policy (a size
    /// or MIME verdict may come at MAIL FROM from its SIZE= and BODY= parameters, so those stay).
    static func isMessageJudgement(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.messageJudgement)
    }

    /// The guard phrases that place a reply at MAIL FROM.
    static let mailFromStageGuardPhrases: [Int] = SafetyGuard.phrases.indices.filter {
        ["in reply to mail from command", "after mail from:", "after pipelined mail from:", "after mail from)"]
            .contains(SafetyGuard.phrases[$0].phrase)
    }

    /// Words that show the dialogue reached DATA ("end of DATA", qmail's "failed after I sent the message"):
    /// then a MAIL FROM stage named elsewhere belongs to another reply.
    private static let dataStageWords: [[UInt8]] = ["data", "sent the message"].map { Array($0.utf8) }

    /// `sender` / `policy_rejection` when the reply answered MAIL FROM and nothing shows the dialogue reached DATA.
    func contentBeforeData(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        let base = ruleSet.guardPhraseBase
        guard Self.mailFromStageGuardPhrases.contains(where: { isSet(matched, base + $0) }) else { return nil }
        let text = facts.text
        for index in 0..<text.count {
            for word in Self.dataStageWords where PhraseAutomaton.text(text, has: word, endingAt: index + 1) { return nil }
        }
        return Classification(category: .sender, reason: "policy_rejection", ruleID: Self.contentBeforeDataRuleID,
                              evidence: "a reply to MAIL FROM refuses the sender: no message had been sent")
    }

    static let contentBeforeDataRuleID = "guard.content_before_data"
}
