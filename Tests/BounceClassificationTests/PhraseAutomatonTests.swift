@testable import BounceClassification
import Testing

/// The automaton against a plain substring search, in both table widths.
@Suite("Phrase automaton")
struct PhraseAutomatonTests {
    /// `count` random phrases of lower-case letters and single spaces, from a seeded generator.
    private static func phrases(_ count: Int, length: ClosedRange<Int>, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let size = length.lowerBound + Int(random.next() % UInt64(length.count))
            return (0..<size).map { position in
                let letter = UInt8(0x61 + random.next() % 26)
                return position > 0 && position < size - 1 && random.next() % 6 == 0 ? 0x20 : letter
            }
        }.map { PhraseAutomaton.normalize(String(decoding: $0, as: UTF8.self)) }
    }

    /// Texts built from pieces of the phrases and random letters, so that many phrases occur.
    private static func texts(from phrases: [[UInt8]], seed: UInt64) -> [[UInt8]] {
        var random = SplitMix(seed: seed)
        return (0..<200).map { _ in
            var text: [UInt8] = []
            for _ in 0..<(1 + random.next() % 6) {
                let phrase = phrases[Int(random.next() % UInt64(phrases.count))]
                let cut = Int(random.next() % UInt64(phrase.count + 1))
                text += random.next() % 3 == 0 ? Array(phrase[..<cut]) : phrase
                text += (0..<(random.next() % 4)).map { _ in UInt8(0x61 + random.next() % 26) }
                text.append(0x20)
            }
            return text
        }
    }

    private static func contains(_ text: [UInt8], _ phrase: [UInt8]) -> Bool {
        guard phrase.count <= text.count else { return false }
        for start in 0...(text.count - phrase.count) where text[start..<(start + phrase.count)].elementsEqual(phrase) { return true }
        return false
    }

    @Test("a '~' phrase does not match inside a host name, and does elsewhere", arguments: [
        ("host spamfilter.example.net[192.0.2.1] said: 550 no such user", false),
        ("Reporting-MTA: dns; antivirus-gw.example.com", false),
        ("mx.spam-gateway.example.net", false),
        ("550 Message rejected as spam", true),
        ("550 rejected as spam. Please see our policy", true),
        ("550 rejected as Spam.Please see our policy", true),
        ("554 virus found in attachment", true),
    ])
    func hostNameMarker(text: String, matches: Bool) {
        let automaton = PhraseAutomaton(phrases: [Array("~spam".utf8), Array("~virus".utf8)])
        var matched = [UInt64](repeating: 0, count: automaton.matchedWords)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { buffer in matched.withUnsafeMutableBufferPointer { automaton.scan(buffer, into: $0) } }
        #expect((matched[0] != 0) == matches, "\(text)")
    }

    @Test("finds exactly the phrases a substring search finds", arguments: [
        (300, 3...12, UInt64(1)),       // a few thousand states: 16-bit table
        (3000, 24...30, UInt64(2)),     // more than 65,536 states: 32-bit table
    ])
    func matchesSubstringSearch(count: Int, length: ClosedRange<Int>, seed: UInt64) {
        let phrases = Self.phrases(count, length: length, seed: seed)
        let automaton = PhraseAutomaton(phrases: phrases)
        let words = automaton.matchedWords
        var mismatches = 0, hits = 0
        for text in Self.texts(from: phrases, seed: seed) {
            // The automaton reads a whitespace run as one space; the reference search reads the text so.
            let reference = PhraseAutomaton.normalize(String(decoding: text, as: UTF8.self))
            var matched = [UInt64](repeating: 0, count: words)
            _ = text.withUnsafeBufferPointer { bytes in matched.withUnsafeMutableBufferPointer { automaton.scan(bytes, into: $0) } }
            for (id, phrase) in phrases.enumerated() {
                let found = matched[id >> 6] & (1 << UInt64(id & 63)) != 0
                if found != Self.contains(reference, phrase) { mismatches += 1 }
                if found { hits += 1 }
            }
        }
        #expect(mismatches == 0)
        #expect(hits > 200, "the texts should contain many phrases")
    }

    /// Letters of the mixed test: ASCII, and two- and three-byte UTF-8 (phrases with any of the latter
    /// go to the second automaton, which only texts holding such bytes pass through).
    private static let mixedLetters = ["a", "b", "e", "n", "r", "s", "t", "u", "ä", "é", "ж", "ы", "ユ", "用"]

    @Test("ASCII and non-ASCII phrases: the batch scan finds what one-by-one scans and a substring search find",
          arguments: [UInt64(3), UInt64(4)])
    func mixedPhrasesInBatches(seed: UInt64) {
        var random = SplitMix(seed: seed)
        func word(_ length: Int, asciiOnly: Bool) -> String {
            (0..<length).map { _ in
                Self.mixedLetters[Int(random.next() % UInt64(asciiOnly ? 8 : Self.mixedLetters.count))]
            }.joined()
        }
        let phrases = (0..<400).map { index in
            PhraseAutomaton.normalize(word(3 + Int(random.next() % 6), asciiOnly: index % 2 == 0)
                                      + (random.next() % 4 == 0 ? " " + word(3, asciiOnly: false) : ""))
        }
        let automaton = PhraseAutomaton(phrases: phrases)
        let words = automaton.matchedWords
        // Texts of phrases, cut phrases and noise; some ASCII only, some with upper-case Ä and Ж to fold.
        let texts: [[UInt8]] = (0..<101).map { index in
            var text = ""
            for _ in 0..<(Int(random.next() % 5)) {
                let phrase = String(decoding: phrases[Int(random.next() % UInt64(phrases.count))], as: UTF8.self)
                text += (random.next() % 3 == 0 ? String(phrase.prefix(2)) : phrase) + word(Int(random.next() % 3), asciiOnly: index % 3 == 0)
                text += random.next() % 5 == 0 ? "  Ä Ж " : " "
            }
            return Array(text.utf8)
        }
        var batchMatched = [UInt64](repeating: 0, count: texts.count * words)
        var batchFound = [Bool](repeating: false, count: texts.count)
        texts.withUnsafeBufferPointers { buffers in
            batchMatched.withUnsafeMutableBufferPointer { matched in
                batchFound.withUnsafeMutableBufferPointer { found in
                    automaton.scan(count: texts.count, text: { buffers[$0] }, into: matched.baseAddress!, words: words,
                                   found: found.baseAddress!)
                }
            }
        }
        var mismatches = 0, hits = 0, nonASCIIHits = 0
        for (index, text) in texts.enumerated() {
            let reference = PhraseAutomaton.normalize(String(decoding: text, as: UTF8.self))
            var matched = [UInt64](repeating: 0, count: words)
            let found = text.withUnsafeBufferPointer { bytes in matched.withUnsafeMutableBufferPointer { automaton.scan(bytes, into: $0) } }
            #expect(Array(batchMatched[(index * words)..<((index + 1) * words)]) == matched, "text \(index)")
            #expect(batchFound[index] == found, "text \(index)")
            for (id, phrase) in phrases.enumerated() {
                let hit = matched[id >> 6] & (1 << UInt64(id & 63)) != 0
                if hit != Self.contains(reference, phrase) { mismatches += 1 }
                if hit { hits += 1 }
                if hit && phrase.contains(where: { $0 >= 0x80 }) { nonASCIIHits += 1 }
            }
        }
        #expect(mismatches == 0)
        #expect(hits > 100 && nonASCIIHits > 30, "the texts should contain many phrases of both kinds")
    }
}

private extension Array where Element == [UInt8] {
    /// Calls `body` with a buffer pointer to each element, valid inside `body` only.
    func withUnsafeBufferPointers<Result>(_ body: ([UnsafeBufferPointer<UInt8>]) -> Result) -> Result {
        let copies = map { bytes -> UnsafeMutableBufferPointer<UInt8> in
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(bytes.count, 1))
            _ = copy.initialize(from: bytes)
            return copy
        }
        defer { for copy in copies { copy.deallocate() } }
        return body(copies.enumerated().map { UnsafeBufferPointer(rebasing: $1[..<self[$0].count]) })
    }
}
