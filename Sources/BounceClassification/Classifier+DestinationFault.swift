extension Classifier {
    /// Round 13 (transient failures, issue 12): a refusal of us that names no cause (a default `sender` /
    /// `policy_rejection` text rule: the stage wrappers "SMTP error from remote mail server after initial connection",
    /// Postfix's "refused to talk to me", qmail's "but greeting failed", or generic refusal wording) says who was
    /// answered, not why. The reply it quotes may name a fault of the destination itself: "421 4.0.0 Server error",
    /// "421 4.4.2 connection dropped", a timeout, a busy or failing system (`WordCues.destinationFault`). When the
    /// server calls the failure temporary (no permanent reply code or status), that fault decides: the destination is
    /// having trouble, it did not refuse us. Only the words after the refusal's own phrase are read (the wrapper's
    /// "error from" is Exim's, not the server's); when the phrase cannot be found again, the whole text is.
    func destinationFaultBehindRefusal(_ facts: Facts, refusal: String) -> Classification? {
        let text = facts.text
        guard !facts.hasPermanentCode, text.count >= 4 else { return nil }
        let start = Self.occurrence(of: Array(refusal.utf8), in: text)?.upperBound ?? 0
        guard let fault = WordCues.destinationFault(UnsafeBufferPointer(rebasing: text[start...])) else { return nil }
        return Classification(category: fault.category, reason: fault.reason, ruleID: fault.ruleID, evidence: fault.evidence)
    }
}
