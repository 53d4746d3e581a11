extension Classifier.Facts {
    /// The facts of a response: reply code and status from the recorded fields when valid, else read
    /// from the text.
    init(smtpCode: Int?, status: EnhancedStatus?, text: UnsafeBufferPointer<UInt8>, recipientDomain: String?, remoteMTA: String?) {
        var code: Int? = nil
        if let smtpCode, (200...599).contains(smtpCode) { code = smtpCode }
        let replyCode = code ?? ResponseParser.replyCode(in: text)
        var readStatus = status ?? ResponseParser.enhancedStatus(in: text)
        // A success status read from the text (the accepted MAIL FROM of a transcript) says nothing about a failure.
        if status == nil, let found = readStatus, found.statusClass == 2, let replyCode, replyCode >= 400 { readStatus = nil }
        self.init(code: replyCode, status: readStatus,
                  recipientDomain: recipientDomain, remoteMTA: remoteMTA, codeFromText: code == nil, text: text)
    }
}

extension Classifier {
    /// One response as a stream gives it: the recorded fields and the raw diagnostic bytes.
    public struct RawResponse {
        public var smtpCode: Int?
        public var enhancedStatus: EnhancedStatus?
        public var diagnostic: UnsafeBufferPointer<UInt8>

        public init(smtpCode: Int?, enhancedStatus: EnhancedStatus?, diagnostic: UnsafeBufferPointer<UInt8>) {
            self.smtpCode = smtpCode
            self.enhancedStatus = enhancedStatus
            self.diagnostic = diagnostic
        }
    }

    /// Classifies a batch of responses, each exactly as `classify(smtpCode:enhancedStatus:diagnostic:)`
    /// would, and hands the results to `body` in order. All the phrase scans run first, then all the
    /// decisions, so that each keeps its own tables in cache. For streams (`classify --tsv`); a batch of a
    /// few dozen is plenty.
    public func classify(_ batch: UnsafeBufferPointer<RawResponse>, _ body: (Classification) throws -> Void) rethrows {
        try classify(batch, using: BatchScratch(classifier: self, capacity: batch.count), body)
    }

    /// `classify(_:_:)` with the phrase bits in `scratch`, made by this classifier for batches of at
    /// least `batch.count`, so that a stream reuses one buffer: each response's bits are cleared after
    /// its decision (the few words its summary marks), instead of the whole buffer before every batch.
    public func classify(_ batch: UnsafeBufferPointer<RawResponse>, using scratch: BatchScratch,
                         _ body: (Classification) throws -> Void) rethrows {
        precondition(scratch.owner === self && batch.count <= scratch.capacity,
                     "scratch made for another classifier or a smaller batch")
        let words = scratch.words, matched = scratch.matched, found = scratch.found
        var clean = 0
        // A decision that throws leaves its batch's bits behind: clear them all, so the scratch stays zero.
        defer {
            if clean < batch.count {
                (matched + clean * words).update(repeating: 0, count: (batch.count - clean) * words)
                (found + clean).update(repeating: false, count: batch.count - clean)
            }
        }
        ruleSet.automaton.scan(count: batch.count, text: { batch[$0].diagnostic }, into: matched, words: words, found: found)
        let phraseWords = ruleSet.automaton.phraseWords
        for (index, response) in batch.enumerated() {
            var facts = Facts(smtpCode: response.smtpCode, status: response.enhancedStatus, text: response.diagnostic,
                              recipientDomain: nil, remoteMTA: nil)
            facts.memo = scratch.memo
            let bits = matched + index * words
            let verdict = decide(facts, matched: UnsafeBufferPointer(start: bits, count: words), anyPhrase: found[index])
            // Every non-zero phrase word has its summary bit set (`PhraseAutomaton.record`).
            for summary in phraseWords..<words {
                var marks = bits[summary]
                while marks != 0 {
                    bits[(summary - phraseWords) << 6 + marks.trailingZeroBitCount] = 0
                    marks &= marks &- 1
                }
                bits[summary] = 0
            }
            found[index] = false
            clean = index + 1
            try body(verdict)
        }
    }

    /// Memory for the phrase bits of one batch of `classify(_:using:_:)`, all zero between batches.
    public final class BatchScratch {
        let capacity: Int
        let words: Int
        /// The classifier it was made for: its memo names that classifier's rules.
        let owner: Classifier
        let matched: UnsafeMutablePointer<UInt64>
        let found: UnsafeMutablePointer<Bool>
        /// The stream's text-rule answers (`TextRuleMemo`), made for this classifier's rules.
        let memo = TextRuleMemo.allocate()

        /// Room for batches of up to `capacity` responses of `classifier`.
        public init(classifier: Classifier, capacity: Int) {
            self.capacity = max(capacity, 1)
            owner = classifier
            words = classifier.ruleSet.automaton.matchedWords
            matched = .allocate(capacity: self.capacity * words)
            matched.initialize(repeating: 0, count: self.capacity * words)
            found = .allocate(capacity: self.capacity)
            found.initialize(repeating: false, count: self.capacity)
        }

        deinit {
            matched.deallocate()
            found.deallocate()
            memo.deallocate()
        }
    }
}
