extension Classifier {
    /// Whether the verdict of a status or reply code rule says no more than the code's class
    /// (`permanent_failure`, `temporary_failure`, or `policy_rejection` for an unexplained 5.7.x), so that
    /// the text's words may say more. A user's rule is never second-guessed.
    static func isGenericCodeVerdict(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.genericCodeVerdict)
    }

    /// Whether a default verdict says less than a limit on our sending that the words state (`WordCues.limitStatement`):
    /// generic temporary or busy wording ("try again later", "service not available"), an unexplained refusal of us
    /// ("policy", "not allowed", "acceptable use"), or a code or status rule that tells no more than the reply's class.
    /// Rules that name a cause of their own (a full mailbox, an expiry, a block list, a limit) keep their verdict.
    static func yieldsToLimitStatement(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.yieldsToLimitStatement)
    }

    /// Generic wording that only says to wait (a default text rule of negative priority, `retry` /
    /// `temporary_failure` or `server_busy`: "try again later", "server busy").
    static func isGenericWaitWording(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.genericWaitWording)
    }

    /// A default status rule that names a throttle with a narrow security-subject pattern (Microsoft's 4.7.500-699,
    /// Gmail's 4.7.28, 5.7.508; not the catch-all 4.7.*, and not x.5.3, which Stalwart also sends as "451 4.5.3 Try again
    /// later.") says more than generic wording that only says to wait: "451 4.7.500 Server busy. Please try again later"
    /// is a throttle.
    static func statusNamesThrottle(_ status: CompiledRule, over text: CompiledRule) -> Bool {
        guard !status.isUserRule, status.tier == .status, status.category == .ratelimit, isGenericWaitWording(text) else { return false }
        let patterns = status.definition.statuses
        return !patterns.isEmpty && patterns.allSatisfy { $0.subject == 7 && $0.width <= 200 }
    }

    /// Round 16b: generic wait wording ("try again later", "service temporarily unavailable") whose words say the wait is a
    /// refusal of us: our IP or network refused for now (`sender`). See `WordCues.refusalOfUs`.
    static func waitedParty(_ text: UnsafeBufferPointer<UInt8>) -> Classification? {
        guard let cue = WordCues.refusalOfUs(text) else { return nil }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }

    /// A default text rule that reads a refused, dropped or failed connection (`retry` / `connection_failed`).
    static func isConnectionFault(_ rule: CompiledRule) -> Bool {
        !rule.isUserRule && rule.tier == .text && rule.category == .retry && rule.reason == "connection_failed"
    }

    /// Whether a default text rule is generic temporary wording ("try again later", negative priority),
    /// behind which the words may name the cause.
    static func isGenericTemporaryWording(_ rule: CompiledRule) -> Bool {
        rule.roles.contains(.genericTemporaryWording)
    }

    /// What the text's word families say when no text rule matched (see `WordCues`), with the safety
    /// rules applied to a suppression: words that name us or a temporary fault withdraw it, and a 4xx
    /// reply or status turns it into a retry that keeps the reason. Then, in order: the guard's
    /// sender-side and block-list words, a limit / full mailbox / size / relay / words about us, the
    /// guard's vague words, temporary wording.
    func wordCue(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification? {
        let cues = WordCues.readWithLimit(facts.text)
        if let gone = cues.suppress {
            return guardWordSuppression(gone, facts: facts, matched: matched)
        }
        // "556 Address unavailable.": RFC 5321's "mailbox unavailable" in the server's own noun, under a permanent reply.
        if facts.hasPermanentCode, !facts.isTemporaryReply, WordCues.namesRecipientUnavailable(facts.text) {
            return guardWordSuppression(WordCues.recipientUnavailable, facts: facts, matched: matched)
        }
        // A limit on our sending stated in words outranks the words about us, time or storage around it.
        if let limit = cues.limit { return classification(limit) }
        // The stage a reply answered ("in reply to MAIL FROM command", "but sender was rejected") says
        // who was answered, not why: a cause the words name comes first.
        if let hit = firstGuardPhrase(matched, strengths: [.senderSide, .blockList], stage: false) { return hit }
        if let other = cues.other, !other.isTemporaryWording { return classification(other) }
        if let hit = firstGuardPhrase(matched, strengths: [.senderSide], stage: true) { return hit }
        if let hit = firstGuardPhrase(matched, strengths: [.vague, .temporary], stage: false) { return hit }
        // An outage word alone ("Service unavailable") is a transient fault only where no permanent reply code or
        // status says otherwise; under a 5xx it leaves the verdict to the code and the word model.
        if let other = cues.other, other.needsNoPermanentCode, facts.hasPermanentCode { return nil }
        return cues.other.map(classification)
    }

    /// Guard phrases that name the stage of the SMTP dialogue a reply answered, not a cause.
    static let stageGuardPhrases: [Bool] = SafetyGuard.phrases.map { entry in
        ["in reply to ", "after ", "while receiving ", "but ", ">>> "].contains { entry.phrase.hasPrefix($0) }
    }

    /// The guard phrase of Sendmail's transcript line `>>> MAIL From:`.
    static let mailFromLineGuardPhrase: Int = SafetyGuard.phrases.firstIndex { $0.phrase == ">>> mail from:" } ?? -1

    /// Stage phrases written after the reply they belong to (Postfix's "(in reply to MAIL FROM command)"):
    /// before a later reply in a transcript, they belong to an earlier one.
    static let trailingStageGuardPhrases: [Int] = SafetyGuard.phrases.indices.filter {
        SafetyGuard.phrases[$0].phrase.hasPrefix("in reply to ")
    }

    /// A suppression read from words (word families or the word model), with the safety rules applied.
    func guardWordSuppression(_ cue: WordCues.Cue, facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Classification {
        let kind = SafetyGuard.ReasonKind(reason: cue.reason)
        if let offset = SafetyGuard.withdrawingPhrase(reason: kind, ruleSet: ruleSet, matched: matched) {
            let hit = ruleSet.guardPhrases[offset]
            if hit.strength == .temporary, kind == .mailboxDisabled {
                return Classification(category: .retry, reason: cue.reason, ruleID: cue.ruleID, evidence: hit.evidence)
            }
            return Classification(category: hit.category, reason: hit.reason, ruleID: hit.ruleID, evidence: hit.evidence)
        }
        if facts.isTemporaryReply {
            return Classification(category: .retry, reason: SafetyGuard.temporaryReason(for: cue.reason), ruleID: cue.ruleID,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        if facts.statusNamesSenderAddress {
            return Classification(category: .sender, reason: "sender_address_invalid", ruleID: SafetyGuard.senderAddressStatusRuleID,
                                  evidence: SafetyGuard.senderAddressStatusEvidence)
        }
        return classification(cue)
    }

    /// The first guard phrase of one of `strengths` found in the text (honouring its `unlessAlso`), as a verdict.
    private func firstGuardPhrase(_ matched: UnsafeBufferPointer<UInt64>, strengths: [SafetyGuard.Strength],
                                  stage: Bool) -> Classification? {
        let base = ruleSet.guardPhraseBase, end = base + ruleSet.guardStrengths.count
        var next = base
        while let id = firstSet(matched, from: next, below: end) {
            next = id + 1
            let offset = id - base
            if offset < Self.stageGuardPhrases.count, Self.stageGuardPhrases[offset] != stage { continue }
            let unless = ruleSet.guardUnlessIDs[offset]
            if unless >= 0, isSet(matched, Int(unless)) { continue }
            let strength = ruleSet.guardStrengths[offset]
            guard strengths.contains(where: { $0 == strength }) else { continue }
            let hit = ruleSet.guardPhrases[offset]
            return Classification(category: hit.category, reason: hit.reason, ruleID: hit.ruleID, evidence: hit.evidence)
        }
        return nil
    }

    private func classification(_ cue: WordCues.Cue) -> Classification {
        Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }
}
