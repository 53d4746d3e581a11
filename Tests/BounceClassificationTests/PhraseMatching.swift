@testable import BounceClassification

extension TestSupport {
    /// Whether `phrase`, as a rule file would write it, is found in `text` by a one-phrase automaton:
    /// the matcher's own folding on both sides, without any rule around it.
    static func phraseMatches(_ phrase: String, in text: String) -> Bool {
        let automaton = PhraseAutomaton(phrases: [PhraseAutomaton.normalize(phrase)])
        var matched = [UInt64](repeating: 0, count: automaton.matchedWords)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { buffer in matched.withUnsafeMutableBufferPointer { automaton.scan(buffer, into: $0) } }
        return matched[0] != 0
    }
}
