/// Decides what a bounce means: rules from YAML files, matched with one Aho–Corasick pass over the
/// text and indexes by status code, then the safety rules of `SafetyGuard`.
///
/// Decision order: rules of the user's files before the defaults; within each, text rules, then
/// provider rules, then enhanced status rules, then reply code rules. Thread-safe and allocation-free
/// on the hot path apart from what `Classification` itself holds.
public final class Classifier: Sendable {
    /// A stable digest (64-bit FNV-1a, hex) of all rule files' bytes in load order.
    public let rulesDigest: String
    let ruleSet: RuleSet
    /// Read only when no rule matched at all (`Classifier+WordModel.swift`).
    let wordModel: WordModel?

    init(ruleSet: RuleSet, rulesDigest: String, wordModel: WordModel? = nil) {
        self.ruleSet = ruleSet
        self.rulesDigest = rulesDigest
        self.wordModel = wordModel
    }

    /// Creates a classifier from rule definitions already parsed; `user` rules take precedence. A word
    /// model, when given, speaks only for responses no rule matched.
    public convenience init(defaults: [RuleDefinition], user: [RuleDefinition] = [], rulesDigest: String = "",
                            wordModel: WordModel? = nil) {
        self.init(ruleSet: RuleSet(defaults: defaults, user: user), rulesDigest: rulesDigest, wordModel: wordModel)
    }

    /// The rules in force, in decision order.
    public var rules: [RuleDefinition] { ruleSet.rules.map(\.definition) }

    /// Classifies one response. Reply code and status come from the response's fields when valid,
    /// else from its text; never fails, whatever the input.
    public func classify(_ response: BounceResponse) -> Classification {
        var text = response.diagnostic
        return text.withUTF8 { bytes in classify(response, text: bytes) }
    }

    /// Classifies raw diagnostic bytes (any encoding; invalid UTF-8 is fine) without building a String.
    public func classify(smtpCode: Int?, enhancedStatus: EnhancedStatus?, diagnostic: UnsafeBufferPointer<UInt8>,
                         recipientDomain: String? = nil, remoteMTA: String? = nil) -> Classification {
        let response = BounceResponse(smtpCode: smtpCode, enhancedStatus: nil, diagnostic: "",
                                      recipientDomain: recipientDomain, remoteMTA: remoteMTA)
        return classify(response, text: diagnostic, givenStatus: enhancedStatus)
    }

    private func classify(_ response: BounceResponse, text: UnsafeBufferPointer<UInt8>,
                          givenStatus: EnhancedStatus? = nil) -> Classification {
        let facts = Facts(smtpCode: response.smtpCode, status: givenStatus ?? response.enhancedStatus.flatMap(EnhancedStatus.init),
                          text: text, recipientDomain: response.recipientDomain, remoteMTA: response.remoteMTA)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ruleSet.automaton.matchedWords) { matched in
            matched.initialize(repeating: 0)
            let anyPhrase = ruleSet.automaton.scan(text, into: matched)
            return decide(facts, matched: UnsafeBufferPointer(matched), anyPhrase: anyPhrase)
        }
    }

    /// What the classifier knows about a response apart from its phrases.
    struct Facts {
        let code: Int?
        let status: EnhancedStatus?
        let recipientDomain: String?
        let remoteMTA: String?
        /// The reply code was read from the text, not given by the mailer (transcripts may hold several).
        var codeFromText = false
        /// The diagnostic bytes, for the rare checks that look into transcripts; valid during one classification.
        var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        /// The stream's memory of `bestTextRule`'s answers, when there is one (`classify(_:using:_:)`).
        var memo: TextRuleMemo? = nil

        /// The server itself calls the failure temporary: a 4xx reply code, or a 4.x.x status when no code is known.
        var isTemporaryReply: Bool {
            guard let code = code ?? status.map({ $0.statusClass * 100 }) else { return false }
            return (400...499).contains(code)
        }

        /// A permanent reply code or status (5xx or 5.x.x): either one is enough.
        var hasPermanentCode: Bool {
            if let code, (500...599).contains(code) { return true }
            return status?.statusClass == 5
        }

        /// The status is x.1.7 or x.1.8, which are about the sender's address, whatever the text calls "invalid".
        var statusNamesSenderAddress: Bool {
            guard let status, status.subject == 1 else { return false }
            return status.detail == 7 || status.detail == 8
        }
    }

    func decide(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>, anyPhrase: Bool) -> Classification {
        let verdict = decideOnce(facts, matched: matched, anyPhrase: anyPhrase)
        // A reply to our AUTH command never names the recipient, whatever path read a suppression in its words.
        if verdict.category == .suppress, facts.isAuthenticationReply { return Self.authenticationReplyVerdict }
        // The word model speaks where the rules said `unknown`: a later reply decides before it, as before it.
        if Self.isWordModelVerdict(verdict) {
            return laterRecipientReply(facts, wholeText: matched) ?? refusedIPBehindRefusal(verdict, facts: facts) ?? verdict
        }
        switch verdict.category {
        case .retry, .ratelimit, .unknown:
            return laterRecipientReply(facts, wholeText: matched) ?? verdict
        default:
            return verdict
        }
    }

    /// Whether the word model gave the verdict. Its rule ids all start with `w`: most verdicts are told
    /// apart by that byte, without a prefix comparison of two strings.
    @inline(__always)
    static func isWordModelVerdict(_ verdict: Classification) -> Bool {
        verdict.ruleID.utf8.first == UInt8(ascii: "w") && verdict.ruleID.hasPrefix(WordModel.ruleIDPrefix)
    }

    /// A transcript with several replies (a busy or timed-out host, then the recipient's server; a
    /// qmail or Sendmail report; a human-readable notice before the server's reply): when the whole text
    /// reads as temporary or unknown, the last permanent recipient-level reply (`550 5.1.1`, `550-5.2.1`,
    /// Sendmail's `<<< 550`) decides, judged on its own text (with the safety guard). Only a suppression
    /// found there replaces the verdict, and only when nothing in the whole text names us (block lists,
    /// authentication, rate, policy …): the earlier reply's temporary words concern that earlier attempt,
    /// its sender-side words concern us. Not when the mailer recorded a 4xx itself, nor when the reply
    /// read first is a 4xx about the address (`450 4.1.1 … unverified address: … 550 5.1.1`): that server
    /// chose to defer; nor for the continuation lines of one multi-line reply (`550-5.2.1 … 550 5.2.1`).
    private func laterRecipientReply(_ facts: Facts, wholeText: UnsafeBufferPointer<UInt64>,
                                     alsoClearing extraStage: Int? = nil) -> Classification? {
        let text = facts.text
        guard text.count >= 12 else { return nil }
        if !facts.codeFromText, let code = facts.code, code < 500 { return nil }
        if let status = facts.status, status.statusClass == 4, status.subject == 1 || status.subject == 2 { return nil }
        guard let start = TranscriptReplies.lastPermanentRecipientReply(text), start > 0 else { return nil }
        if TranscriptReplies.continues(text, replyAt: start) { return nil }
        let reply = UnsafeBufferPointer(rebasing: text[start...])
        let later = Facts(smtpCode: nil, status: nil, text: reply, recipientDomain: facts.recipientDomain, remoteMTA: facts.remoteMTA)
        let verdict = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ruleSet.automaton.matchedWords) { matched in
            matched.initialize(repeating: 0)
            let anyPhrase = ruleSet.automaton.scan(reply, into: matched)
            return decideOnce(later, matched: UnsafeBufferPointer(matched), anyPhrase: anyPhrase)
        }
        // The word model guesses; a guess about a later reply never overrules the whole text.
        guard verdict.category == .suppress, !Self.isWordModelVerdict(verdict) else { return nil }
        let kind = SafetyGuard.ReasonKind(reason: verdict.reason)
        // Postfix's "(in reply to MAIL FROM command)" before this reply belongs to an earlier reply; this
        // reply's own stage was judged with its text above.
        let withdrawn = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(wholeText.count, 1)) { copy in
            _ = copy.initialize(from: wholeText)
            for offset in Self.trailingStageGuardPhrases + (extraStage.map { [$0] } ?? []) {
                let id = ruleSet.guardPhraseBase + offset
                copy[id >> 6] &= ~(1 << UInt64(id & 63))
            }
            return SafetyGuard.withdrawingPhrase(reason: kind, ruleSet: ruleSet, matched: UnsafeBufferPointer(copy),
                                                 ignoringTemporary: true) != nil
        }
        if withdrawn { return nil }
        return verdict
    }

    private func decideOnce(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>, anyPhrase: Bool) -> Classification {
        let rules = ruleSet.rules
        let text = anyPhrase ? bestTextRule(facts, matched: matched, allowSuppress: true) : nil
        var other = Int.max
        func firstMatch(in candidates: [Int32]) {
            for candidate in candidates {
                let index = Int(candidate)
                if index >= other { return }
                if RuleMatcher.matches(rules[index], facts, matched) { other = index; return }
            }
        }
        // A provider rule needs a recipient domain or a remote MTA to match (a stream gives neither).
        let providerMayMatch = facts.recipientDomain != nil || facts.remoteMTA != nil
        if providerMayMatch { firstMatch(in: ruleSet.providerRules) }
        // Once a text rule matched, a status or code rule can only beat it as a user's rule over a
        // default one (`TierOrder`), and a provider rule only over generic wording: without such a
        // rule the search cannot change the verdict.
        let othersMayWin = text.map { text in
            (providerMayMatch && rules[text.rule].priority < 0) || (!rules[text.rule].isUserRule && ruleSet.hasUserNonTextRules)
                || (facts.status != nil && Self.isGenericWaitWording(rules[text.rule]))
        } ?? true
        if othersMayWin {
            if let status = facts.status {
                firstMatch(in: ruleSet.statusRulesBySubject[status.subject])
                firstMatch(in: ruleSet.statusRulesAnySubject)
            }
            if let code = facts.code { firstMatch(in: ruleSet.codeRules[code]) }
        }

        // No text rule: when the code or status says no more than its class, the text's word families may.
        // The recipient's own block is read here once; the checks below do not ask again.
        let ownBlockRead = text == nil && facts.text.count > 0 && (other == Int.max || Self.isGenericCodeVerdict(rules[other]))
        if ownBlockRead {
            if let own = recipientOwnBlock(facts, matched: matched) { return own }
            // The catch-all 4.7.* status already reads a deferral of us: a limit the words state says no more than it.
            if let cue = wordCue(facts, matched: matched), !(cue.category == .ratelimit && other != Int.max && rules[other].category == .ratelimit) {
                return cue
            }
            // "Recipient banned" under a bare 5xx: no rule read the words, the block stated of the recipient decides.
            if let blocked = blockedRecipientBehindRefusal(facts, matched: matched) { return blocked }
        }

        // Text beats the other tiers, except that a user's rule of any tier beats a default text rule,
        // and a provider rule beats generic wording (text rules of negative priority).
        let chosen: (rule: Int, phrase: Int)
        if let text, other == Int.max
            || TierOrder.textWins(rules[text.rule], over: rules[other]) && !Self.statusNamesThrottle(rules[other], over: rules[text.rule]) {
            chosen = text
        } else if other != Int.max {
            chosen = (other, -1)
        } else if !ownBlockRead, let own = recipientOwnBlock(facts, matched: matched) {
            return own
        } else if let guess = wordModelVerdict(facts, matched: matched) {
            return guess
        } else {
            return Classification(category: .unknown, reason: "unclassified", ruleID: SafetyGuard.unclassifiedRuleID,
                                  evidence: anyPhrase ? "no rule matched" : "no rule matched; no reply code, status or known phrase")
        }
        let rule = rules[chosen.rule]
        // A limit on our sending stated in words says more than generic temporary or busy wording, an unexplained
        // refusal, or a bare code or status ("421 … too many connections, try again later": a throttle).
        if Self.yieldsToLimitStatement(rule), let limit = WordCues.limitStatement(facts.text) {
            return Classification(category: limit.category, reason: limit.reason, ruleID: limit.ruleID, evidence: limit.evidence)
        }
        // Round 16b: wait wording may be a refusal of us (our IP refused for now); a refused connection may be a limit's effect.
        if Self.isGenericWaitWording(rule), let party = Self.waitedParty(facts.text) { return party }
        if Self.isConnectionFault(rule), let limit = WordCues.connectionRefusedForVolume(facts.text) {
            return Classification(category: limit.category, reason: limit.reason, ruleID: limit.ruleID, evidence: limit.evidence)
        }
        // A block list or refusal whose owner the words name as the recipient person (issue 12, pattern 6).
        if !ownBlockRead, Self.mayHideRecipientOwnBlock(rule), let own = recipientOwnBlock(facts, matched: matched) {
            return own
        }
        // A default code or status rule that itself says `unknown` (a bare 5.1.x, 5.5.x …) knows no more
        // than that no rule recognised the words: the word model may.
        if rule.tier == .status || rule.tier == .code, rule.category == .unknown, !rule.isUserRule, let guess = wordModelVerdict(facts, matched: matched) {
            return guess
        }
        // Generic temporary wording ("retry later") may hide the cause the words name: a send rate, a full
        // mailbox, a size, an expiry.
        if chosen.phrase >= 0, Self.isGenericTemporaryWording(rule), let cue = WordCues.read(facts.text).other,
           WordCues.refinesTemporaryWording(cue) {
            return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
        }
        // A verdict on the message from a reply before DATA: no message had been sent.
        if chosen.phrase >= 0, Self.isMessageJudgement(rule), let before = contentBeforeData(facts, matched: matched) {
            return before
        }
        // A verdict on the message whose words state the recipient's mailbox closed: the spam word says why (round 16).
        if chosen.phrase >= 0, Self.isMessageJudgement(rule), let closed = recipientClosedBehindJudgement(facts, matched: matched) {
            return closed
        }
        // A syntax complaint whose subject is the recipient address ("Recipient syntax error"): the address is malformed.
        if chosen.phrase >= 0, rule.roles.contains(.genericSyntaxComplaint), let invalid = recipientSyntaxComplaint(facts, matched: matched) {
            return invalid
        }
        // A refusal word whose subject is the recipient ("This recipient is blacklisted"): the address is refused, not us.
        if chosen.phrase >= 0, Self.mayNameBlockedRecipient(rule), let blocked = blockedRecipientBehindRefusal(facts, matched: matched) {
            return blocked
        }
        if chosen.phrase >= 0, Self.isUnexplainedRefusal(rule),
           let fault = destinationFaultBehindRefusal(facts, refusal: ruleSet.phrases[chosen.phrase]) {
            return fault
        }
        if chosen.phrase >= 0, Self.isUnexplainedRefusal(rule),
           let condition = recipientConditionBehindRefusal(facts, refusal: ruleSet.phrases[chosen.phrase], matched: matched) {
            return condition
        }
        if chosen.phrase >= 0, Self.isUnexplainedRefusal(rule), let size = sizeBehindRefusal(facts) { return size }
        if chosen.phrase >= 0, Self.isUnexplainedRefusal(rule) {
            let refusal = classification(rule, phrase: chosen.phrase, facts: facts)
            // Only a refusal rule of the vague kind (negative priority) yields to the content the words name: a rule with its
            // own phrase ("header based Blocked Senders", "Bounces not accepted here") knows whose refusal it is.
            return refusedIPBehindRefusal(refusal, facts: facts) ?? senderCauseBehindRefusal(facts)
                ?? (rule.priority < 0 ? contentCauseBehindRefusal(facts) : nil) ?? refusal
        }
        guard rule.category == .suppress else {
            return classification(rule, phrase: chosen.phrase, facts: facts)
        }
        if chosen.phrase < 0, let cause = causeBehindStatusSuppression(rule, facts: facts) { return cause }
        return guardSuppression(rule, phrase: chosen.phrase, facts: facts, matched: matched, text: facts.text)
    }

    /// The highest-ranked matching text rule (priority, then longest matched phrase, then file order):
    /// the stream's memo's answer when it saw the same phrases, code and status before, else `searchTextRule`'s.
    private func bestTextRule(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>, allowSuppress: Bool) -> (rule: Int, phrase: Int)? {
        // Provider rules read the domain and MTA, which are not part of the memo's key.
        guard let memo = facts.memo, facts.recipientDomain == nil, facts.remoteMTA == nil,
              let (slot, hit) = memo.find(matched, rulePhraseCount: ruleSet.rulePhraseCount, phraseWords: ruleSet.automaton.phraseWords,
                                          code: facts.code, status: facts.status, allowSuppress: allowSuppress) else {
            return searchTextRule(facts, matched: matched, allowSuppress: allowSuppress)
        }
        if hit { return memo.answer(at: slot) }
        let answer = searchTextRule(facts, matched: matched, allowSuppress: allowSuppress)
        memo.store(answer, at: slot)
        return answer
    }

    /// `bestTextRule` by walking the candidate rules of each matched phrase.
    private func searchTextRule(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>, allowSuppress: Bool) -> (rule: Int, phrase: Int)? {
        let rules = ruleSet.rules
        let index = ruleSet.textCandidates
        var bestRank: UInt64 = 0
        var best: (rule: Int, phrase: Int)? = nil
        forEachRulePhrase(matched) { phrase in
            // Best rank first: the first candidate that matches is this phrase's best, and once the
            // ranks fall to the best found through an earlier phrase, none of the rest can win.
            var position = Int(index.start[phrase])
            let end = Int(index.start[phrase + 1])
            while position < end {
                let candidate = index.candidates[position]
                position += 1
                if candidate.rank <= bestRank { return }
                if !allowSuppress && candidate.suppresses { continue }
                if candidate.otherAll >= 0 && !isSet(matched, Int(candidate.otherAll)) { continue }
                if candidate.decidedByOtherAll
                    || RuleMatcher.matches(rules[Int(candidate.rule)], conditions: index.conditions + Int(candidate.conditions), in: index,
                                           hasOtherConditions: candidate.hasOtherConditions, facts, matched,
                                           anyHolds: candidate.viaAny) {
                    bestRank = candidate.rank
                    best = (Int(candidate.rule), phrase)
                    return
                }
            }
        }
        return best
    }

    /// Applies `SafetyGuard` to a suppression verdict.
    private func guardSuppression(_ rule: CompiledRule, phrase: Int, facts: Facts,
                                  matched: UnsafeBufferPointer<UInt64>, text: UnsafeBufferPointer<UInt8>) -> Classification {
        if let guardHit = withdrawal(rule.reasonKind, facts: facts, matched: matched) {
            let hit = ruleSet.guardPhrases[guardHit]
            if hit.strength == .temporary, rule.tier == .text, rule.reasonKind == .mailboxDisabled {
                // "Mailbox temporarily disabled": retry, keeping the reason for the planner.
                return Classification(category: .retry, reason: SafetyGuard.temporaryReason(for: rule.reason), ruleID: rule.id,
                                      evidence: hit.evidence)
            }
            // Postfix's "(in reply to MAIL FROM command)" may belong to an earlier reply of a transcript
            // (a busy host at MAIL FROM, then the recipient's server): its last recipient reply decides.
            if Self.trailingStageGuardPhrases.contains(guardHit), let later = laterRecipientReply(facts, wholeText: matched) {
                return later
            }
            // Sendmail's transcript shows the accepted `>>> MAIL From:` before the failing RCPT TO.
            if guardHit == Self.mailFromLineGuardPhrase, TranscriptReplies.mailFromAccepted(text),
               let later = laterRecipientReply(facts, wholeText: matched, alsoClearing: guardHit) {
                return later
            }
            // A session typed line by line ("helo localhost", "250 …") whose greeting was accepted failed later.
            if Self.greetingCommandGuardPhrases.contains(guardHit), TranscriptReplies.greetingAccepted(text),
               let later = laterRecipientReply(facts, wholeText: matched, alsoClearing: guardHit) {
                return later
            }
            // The best text rule that does not suppress speaks for the response instead.
            if let alternative = bestTextRule(facts, matched: matched, allowSuppress: false) {
                return classification(ruleSet.rules[alternative.rule], phrase: alternative.phrase, facts: facts)
            }
            return Classification(category: hit.category, reason: hit.reason, ruleID: hit.ruleID, evidence: hit.evidence)
        }
        if facts.isTemporaryReply, rule.reasonKind != .fullAndInactive, !recipientReplyFollowsBusyReply(facts, text: text) {
            // The server itself says the failure is temporary: retry, keeping the reason for the planner
            // (a domain that is not found for now is a temporary DNS failure).
            return Classification(category: .retry, reason: SafetyGuard.temporaryReason(for: rule.reason), ruleID: rule.id,
                                  evidence: SafetyGuard.temporaryCodeEvidence)
        }
        if facts.statusNamesSenderAddress {
            return Classification(category: .sender, reason: "sender_address_invalid", ruleID: SafetyGuard.senderAddressStatusRuleID,
                                  evidence: SafetyGuard.senderAddressStatusEvidence)
        }
        if rule.tier != .text, let status = facts.status, status.subject == 7 {
            return Classification(category: .sender, reason: "policy_rejection", ruleID: SafetyGuard.securityStatusRuleID,
                                  evidence: SafetyGuard.securityStatusEvidence)
        }
        if let unnamed = unnamedResolverAnswer(rule, phrase: phrase, facts: facts) { return unnamed }
        if Self.syntaxStatusRefines(rule, facts) {
            var verdict = classification(rule, phrase: phrase, facts: facts)
            verdict.reason = Self.malformedAddressReason
            return verdict
        }
        return classification(rule, phrase: phrase, facts: facts)
    }

    /// The guard phrase that withdraws a suppression of `kind`, or nil. A vague word ("policy", "content")
    /// does not withdraw it when the words state the recipient's own condition (`WordCues.statesRecipientCondition`:
    /// "The user has been suspended due to policy violation"): the structural reading of the guard's definite
    /// recipient phrases, so that wordings the phrase list lacks are read the same way.
    func withdrawal(_ kind: SafetyGuard.ReasonKind, facts: Facts, matched: UnsafeBufferPointer<UInt64>) -> Int? {
        let ownList = Self.mailboxStatusOwnsList(kind, facts)
        // Round 16: "Recipient has been suspended due to spam abuse": the recipient's mailbox is the one closed, "spam" says why.
        let stated = kind == .mailboxDisabled && BlockedRecipient.disabledStated(in: facts.text)
        guard let hit = SafetyGuard.withdrawingPhrase(reason: kind, ruleSet: ruleSet, matched: matched, ownBlockStated: ownList,
                                                      recipientStated: stated) else { return nil }
        guard ruleSet.guardStrengths[hit] == .vague, WordCues.statesRecipientCondition(facts.text) else { return hit }
        return SafetyGuard.withdrawingPhrase(reason: kind, ruleSet: ruleSet, matched: matched, ignoringVague: true, ownBlockStated: ownList,
                                             recipientStated: stated)
    }

    /// A transcript whose first reply is a 4xx about the connection or the system (a busy greeting,
    /// `421 4.3.2`), followed by a permanent reply about the recipient (`550 5.1.1`): the recipient's
    /// reply decides. A 4xx about the address itself (`450 4.1.1 … unverified address: … 550 5.1.1`)
    /// stays temporary: that server chose to defer.
    private func recipientReplyFollowsBusyReply(_ facts: Facts, text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard facts.codeFromText else { return false }
        if let status = facts.status, status.subject == 1 || status.subject == 2 { return false }
        return TranscriptReplies.containsPermanentRecipientReply(text)
    }

    private func classification(_ rule: CompiledRule, phrase: Int, facts: Facts) -> Classification {
        let evidence: String
        switch rule.tier {
        case .text: evidence = phrase >= 0 ? ruleSet.phrases[phrase] : ""
        case .provider: evidence = "provider scope: " + (facts.recipientDomain ?? facts.remoteMTA ?? "")
        case .status, .code: evidence = rule.staticEvidence
        }
        return Classification(category: rule.category, reason: rule.reason, ruleID: rule.id, evidence: evidence)
    }

    /// Calls `body` with each matched rule phrase id, in ascending order. Only the phrase words that
    /// the summary marks are read: a text sets a few of them.
    @inline(__always)
    private func forEachRulePhrase(_ matched: UnsafeBufferPointer<UInt64>, _ body: (Int) -> Void) {
        let limit = ruleSet.rulePhraseCount
        let ruleWords = (limit + 63) >> 6
        let summary = ruleSet.automaton.phraseWords
        for summaryIndex in 0..<((ruleWords + 63) >> 6) {
            var marks = matched[summary + summaryIndex]
            while marks != 0 {
                let wordIndex = summaryIndex << 6 + marks.trailingZeroBitCount
                if wordIndex >= ruleWords { return }
                var word = matched[wordIndex]
                while word != 0 {
                    let phrase = wordIndex << 6 + word.trailingZeroBitCount
                    if phrase >= limit { return }
                    body(phrase)
                    word &= word &- 1
                }
                marks &= marks &- 1
            }
        }
    }
}

@inline(__always) func isSet(_ bits: UnsafeBufferPointer<UInt64>, _ index: Int) -> Bool {
    bits[index >> 6] & (1 << UInt64(index & 63)) != 0
}

/// The first index from `start` up to (not including) `end` whose bit is set, or nil: a word of 64
/// clear bits costs one test, so a loop over a range of phrase ids visits only the phrases found.
@inline(__always) func firstSet(_ bits: UnsafeBufferPointer<UInt64>, from start: Int, below end: Int) -> Int? {
    var index = start
    while index < end {
        let word = bits[index >> 6] >> UInt64(index & 63)
        if word != 0 {
            let found = index + word.trailingZeroBitCount
            return found < end ? found : nil
        }
        index = (index | 63) + 1
    }
    return nil
}

/// How a matching text rule and the best matching rule of the other tiers are ranked against each other.
enum TierOrder {
    static func textWins(_ text: CompiledRule, over other: CompiledRule) -> Bool {
        if text.isUserRule != other.isUserRule { return text.isUserRule }
        if other.tier == .provider && text.priority < 0 { return false }
        return true
    }
}
