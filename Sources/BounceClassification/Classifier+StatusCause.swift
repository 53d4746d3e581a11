extension Classifier {
    /// Round 16 (rules-r16c): a default status rule that suppresses from the status alone (no text rule read the words)
    /// yields to a different cause the words name (`WordCues.causeOtherThanStatus`): "5.2.1 Subject is Mandatory." is a
    /// message without a subject, not a disabled mailbox. A user's status rule is never second-guessed.
    func causeBehindStatusSuppression(_ rule: CompiledRule, facts: Facts) -> Classification? {
        guard rule.tier == .status, rule.category == .suppress, !rule.isUserRule, facts.text.count >= 4,
              let cue = WordCues.causeOtherThanStatus(facts.text) else { return nil }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }
}

extension Classifier {
    /// Round 16 (rules-r16c): a refusal that names no cause ("… exceeded the policy", "rejected by policy") with a
    /// message size stated in words beside it ("Email size exceeded the policy.") refused the message for its size:
    /// `content` / `message_too_large`, as the size rules say, not our setup.
    func sizeBehindRefusal(_ facts: Facts) -> Classification? {
        guard facts.text.count >= 4, let cue = WordCues.read(facts.text).other, cue.ruleID == "family.size-words",
              cue.reason == "message_too_large" else { return nil }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }
}
