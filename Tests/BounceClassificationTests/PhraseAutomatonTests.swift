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
        var matched = [UInt64](repeating: 0, count: 1)
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
        let words = (phrases.count + 63) >> 6
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
}
