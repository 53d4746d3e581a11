import BounceClassification
import Testing

/// The stream path of `classify --tsv`: two responses classified at once, their phrase scans
/// interleaved, must answer exactly as each classified alone.
@Suite("Stream classification")
struct StreamClassificationTests {
    /// One response as owned bytes, so raw views of it stay valid during a test.
    struct Owned {
        let code: Int?
        let status: EnhancedStatus?
        let bytes: [UInt8]
    }

    /// Every corpus row and rule example, some awkward texts, and seeded random bytes.
    static let responses: [Owned] = {
        var result: [Owned] = []
        let classifier = TestSupport.classifier
        let labelled = CorpusPart.open.rows.map(\.response) + classifier.rules.flatMap(\.examples)
        for response in labelled {
            result.append(Owned(code: response.smtpCode, status: response.enhancedStatus.flatMap(EnhancedStatus.init),
                                bytes: Array(response.diagnostic.utf8)))
            // The same text with neither field, as text-only pipelines record it.
            result.append(Owned(code: nil, status: nil, bytes: Array(response.diagnostic.utf8)))
        }
        for text in ["", " ", "\n", "5", "550", "550-5.1.1", "User \t\r\n  unknown", "550-5.1.1 User\n550-5.1.1 unknown"] {
            result.append(Owned(code: nil, status: nil, bytes: Array(text.utf8)))
        }
        var random = SplitMix(seed: 12)
        for _ in 0..<300 {
            let length = Int(random.next() % 300)
            result.append(Owned(code: nil, status: nil, bytes: (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
        }
        return result
    }()

    private func single(_ response: Owned) -> Classification {
        response.bytes.withUnsafeBufferPointer {
            TestSupport.classifier.classify(smtpCode: response.code, enhancedStatus: response.status, diagnostic: $0)
        }
    }

    @Test("a batch answers as single calls, in order, whatever its size and mix", arguments: [1, 2, 3, 32, 1000])
    func batchEqualsSingles(size: Int) {
        let all = Self.responses
        var mismatches: [String] = []
        var start = 0
        while start < all.count {
            let slice = Array(all[start..<min(start + size, all.count)])
            var batched: [Classification] = []
            withRawResponses(slice) { raw in
                raw.withUnsafeBufferPointer { TestSupport.classifier.classify($0) { batched.append($0) } }
            }
            let singles = slice.map(single)
            if batched != singles {
                for (index, response) in slice.enumerated() where index >= batched.count || batched[index] != singles[index] {
                    mismatches.append(String(decoding: response.bytes.prefix(80), as: UTF8.self))
                }
            }
            start += size
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(all.count > 500)
    }

    /// `classify --tsv` keeps one scratch for the whole stream: each batch must find it clean, also
    /// after a batch whose consumer threw halfway (a closed output).
    @Test("one scratch reused over many batches, one of them abandoned by a throw, answers as single calls",
          arguments: [7, 64])
    func reusedScratchEqualsSingles(size: Int) {
        struct Stop: Error {}
        let all = Self.responses
        let scratch = Classifier.BatchScratch(classifier: TestSupport.classifier, capacity: size)
        var mismatches: [String] = []
        var start = 0, batchNumber = 0
        while start < all.count {
            let slice = Array(all[start..<min(start + size, all.count)])
            batchNumber += 1
            if batchNumber % 5 == 0 {
                // Stop after the first answer: the rest of the batch was scanned but never decided.
                withRawResponses(slice) { raw in
                    raw.withUnsafeBufferPointer { raw in
                        _ = #expect(throws: Stop.self) { try TestSupport.classifier.classify(raw, using: scratch) { _ in throw Stop() } }
                    }
                }
            }
            var batched: [Classification] = []
            withRawResponses(slice) { raw in
                raw.withUnsafeBufferPointer { TestSupport.classifier.classify($0, using: scratch) { batched.append($0) } }
            }
            for (index, response) in slice.enumerated() where index >= batched.count || batched[index] != single(response) {
                mismatches.append(String(decoding: response.bytes.prefix(80), as: UTF8.self))
            }
            start += size
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func anEmptyBatchCallsNothing() {
        var calls = 0
        let none: [Classifier.RawResponse] = []
        none.withUnsafeBufferPointer { TestSupport.classifier.classify($0) { _ in calls += 1 } }
        #expect(calls == 0)
    }

    /// Raw views of `responses`, valid inside `body`.
    private func withRawResponses(_ responses: [Owned], _ body: ([Classifier.RawResponse]) -> Void) {
        func nest(_ index: Int, _ raw: [Classifier.RawResponse]) {
            guard index < responses.count else { return body(raw) }
            responses[index].bytes.withUnsafeBufferPointer { bytes in
                nest(index + 1, raw + [Classifier.RawResponse(smtpCode: responses[index].code,
                                                             enhancedStatus: responses[index].status, diagnostic: bytes)])
            }
        }
        nest(0, [])
    }

    @Test("whitespace runs and line breaks between a phrase's words still match", arguments: [
        "User unknown", "User \t unknown", "User\r\n  unknown", "  User   unknown  ", "550-5.1.1 User\n550-5.1.1 unknown",
    ])
    func whitespaceRuns(text: String) {
        let result = Array(text.utf8).withUnsafeBufferPointer {
            TestSupport.classifier.classify(smtpCode: nil, enhancedStatus: nil, diagnostic: $0)
        }
        #expect(result.category == .suppress)
        #expect(result.reason == "user_unknown")
    }
}

/// SplitMix64, seeded: the same random texts on every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
