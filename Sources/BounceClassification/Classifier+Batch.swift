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
        let words = ruleSet.automaton.matchedWords
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(batch.count, 1) * words) { matched in
            matched.initialize(repeating: 0)
            try withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(batch.count, 1)) { found in
                found.initialize(repeating: false)
                ruleSet.automaton.scan(count: batch.count, text: { batch[$0].diagnostic }, into: matched.baseAddress!,
                                       words: words, found: found.baseAddress!)
                for (index, response) in batch.enumerated() {
                    let facts = Facts(smtpCode: response.smtpCode, status: response.enhancedStatus, text: response.diagnostic,
                                      recipientDomain: nil, remoteMTA: nil)
                    let slice = UnsafeBufferPointer(start: matched.baseAddress! + index * words, count: words)
                    try body(decide(facts, matched: slice, anyPhrase: found[index]))
                }
            }
        }
    }
}
