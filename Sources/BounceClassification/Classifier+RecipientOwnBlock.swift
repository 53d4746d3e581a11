extension Classifier {
    static let recipientOwnBlockRuleID = "family.recipient-own-block"
    static let recipientOwnBlockEvidence = "the block or refusal is the recipient's own (WordCues.recipientOwnsBlock)"

    /// Whether a verdict may hide the recipient's own block: a default rule's block-list or unexplained refusal of us
    /// ("blacklist" words, "blocked", "not allowed"), a bare 5xx or 5.7.x, or no verdict at all. A user's rule and any
    /// other cause (authentication, volume, content, a gone recipient) are never second-guessed.
    static func mayHideRecipientOwnBlock(_ rule: CompiledRule?) -> Bool {
        rule?.roles.contains(.mayHideRecipientOwnBlock) ?? true
    }

    /// Issue 12, pattern 6: the recipient's own block ("You are in the recipient's blacklist", "The recipient has
    /// blacklisted your address", "I no longer accept mail from this address") is a banned recipient, whatever list
    /// or refusal rule matched the words. The owner is read by `WordCues.recipientOwnsBlock`; the suppression then
    /// passes the same safety rules as a rule's, except that the block-list and spam words no longer withdraw it (the
    /// list is the recipient's, as with the guard's phrases of the recipient's own block): words naming our IP, host
    /// or authentication, or a temporary fault, still do; a 4xx retries; x.1.7/x.1.8 stay our address.
    func recipientOwnBlock(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        guard WordCues.recipientOwnsBlock(facts.text) else { return nil }
        if SafetyGuard.withdrawingPhrase(reason: .recipientRefuses, ruleSet: ruleSet, matched: matched,
                                         ownBlockStated: true) != nil {
            return nil
        }
        if facts.statusNamesSenderAddress { return nil }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: SafetyGuard.recipientRefusesReason, ruleID: Self.recipientOwnBlockRuleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        return Classification(category: .suppress, reason: SafetyGuard.recipientRefusesReason, ruleID: Self.recipientOwnBlockRuleID,
                              evidence: Self.recipientOwnBlockEvidence)
    }
}
