extension Classifier {
    /// The word model's verdict for a response no rule matched, or nil (the response stays `unknown`)
    /// when there is no model, the words are too few or the lead too small. A suppression needs the
    /// larger `WordModel.minimumSuppressMargin` and words that state the recipient's own condition
    /// (`WordCues.statesRecipientCondition`): "permanent failure … rejected … recipient domain" is the
    /// vocabulary of every bounce, not evidence that this recipient is gone. It then passes the same safety
    /// rules as a rule's: words that name us or a temporary fault withdraw it, a 4xx turns it into a retry. The model never says
    /// `ignore`: that would drop a failure on a guess (in cross-validation 29 % of its `ignore` were
    /// failures), while `unknown` is retried.
    func wordModelVerdict(_ facts: Facts, matched: UnsafeBufferPointer<UInt64>,
                          minimumMargin: Double = WordModel.minimumMargin,
                          minimumSuppressMargin: Double = WordModel.minimumSuppressMargin) -> Classification? {
        guard let wordModel, facts.text.count > 0, let reading = wordModel.read(facts.text),
              reading.margin >= minimumMargin,
              reading.category != .unknown, reading.category != .ignore else { return nil }
        let reason = WordModel.genericReason(reading.category)
        let ruleID = WordModel.ruleID(reading.category)
        let evidence = "words: " + reading.evidence.joined(separator: ", ")
        guard reading.category == .suppress else {
            return Classification(category: reading.category, reason: reason, ruleID: ruleID, evidence: evidence)
        }
        guard reading.margin >= minimumSuppressMargin, WordCues.statesRecipientCondition(facts.text) else { return nil }
        return guardWordSuppression(WordCues.Cue(.suppress, reason, ruleID, evidence), facts: facts, matched: matched)
    }
}

extension Classifier {
    /// The same rules with another word model (or none): for measuring a model before it is written.
    public func replacingWordModel(_ model: WordModel?) -> Classifier {
        Classifier(ruleSet: ruleSet, rulesDigest: rulesDigest, wordModel: model)
    }

    /// What the word model alone, with the safety rules, says of `response` at the given margins, as if
    /// no rule had matched: for choosing the margins by cross-validation. Nil below the margins.
    public func wordModelVerdict(for response: BounceResponse, minimumMargin: Double, minimumSuppressMargin: Double) -> Classification? {
        var text = response.diagnostic
        return text.withUTF8 { bytes in
            let facts = Facts(smtpCode: response.smtpCode, status: response.enhancedStatus.flatMap(EnhancedStatus.init),
                              text: bytes, recipientDomain: nil, remoteMTA: nil)
            // The scan writes its summary words after the phrase bits: the buffer needs both.
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ruleSet.automaton.matchedWords) { matched in
                matched.initialize(repeating: 0)
                _ = ruleSet.automaton.scan(bytes, into: matched)
                return wordModelVerdict(facts, matched: UnsafeBufferPointer(matched), minimumMargin: minimumMargin,
                                        minimumSuppressMargin: minimumSuppressMargin)
            }
        }
    }
}
