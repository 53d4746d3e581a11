import BounceClassification
import Foundation
import Testing

/// One labelled response of Corpus/responses.tsv.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    let line: Int
    let response: BounceResponse
    let category: BounceCategory
    let reason: String
    let source: String

    var testDescription: String { "line \(line): \(response.diagnostic.prefix(70)) [\(source)]" }

    /// All rows of the corpus; `\n`, `\t` and `\\` in the text are escapes.
    static let all: [CorpusCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/responses.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var cases: [CorpusCase] = []
        for (offset, row) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if row.isEmpty || row.hasPrefix("#") { continue }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let category = BounceCategory(rawValue: fields[3]) else { continue }
            cases.append(CorpusCase(
                line: offset + 1,
                response: BounceResponse(smtpCode: Int(fields[0]), enhancedStatus: fields[1].isEmpty ? nil : fields[1],
                                         diagnostic: unescape(fields[2])),
                category: category, reason: fields[4], source: fields[5]))
        }
        return cases
    }()

    private static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}

@Suite("Labelled corpus")
struct CorpusTests {
    @Test("the corpus is large and covers every category")
    func corpusShape() {
        #expect(CorpusCase.all.count >= 400)
        for category in BounceCategory.allCases {
            #expect(CorpusCase.all.contains { $0.category == category }, "no \(category) rows")
        }
    }

    /// Individual rows may be wrong (the summary bounds the rate); a wrong suppression never is.
    @Test("no row is suppressed unless labelled so", arguments: CorpusCase.all)
    func neverFalselySuppressed(row: CorpusCase) {
        let result = TestSupport.classifier.classify(row.response)
        if row.category != .suppress {
            #expect(result.category != .suppress, "\(row.testDescription) -> \(result.ruleID)")
        }
    }

    @Test("accuracy, false and missed suppressions stay within bounds")
    func summary() {
        let rows = CorpusCase.all
        var correct = 0, reasonCorrect = 0, falseSuppressions = 0, missedSuppressions = 0, suppressRows = 0
        var misses: [String] = []
        for row in rows {
            let result = TestSupport.classifier.classify(row.response)
            if result.category == row.category { correct += 1 } else {
                misses.append("  line \(row.line): expected \(row.category.rawValue)/\(row.reason), got \(result.category.rawValue)/\(result.reason) [\(result.ruleID)]")
            }
            if result.category == row.category && result.reason == row.reason { reasonCorrect += 1 }
            if result.category == .suppress && row.category != .suppress { falseSuppressions += 1 }
            if row.category == .suppress {
                suppressRows += 1
                if result.category != .suppress { missedSuppressions += 1 }
            }
        }
        let total = Double(max(rows.count, 1))
        let accuracy = Double(correct) / total
        let falseRate = Double(falseSuppressions) / total
        let missedRate = Double(missedSuppressions) / Double(max(suppressRows, 1))
        print("""
            corpus rows=\(rows.count) category_accuracy=\(percent(accuracy)) reason_accuracy=\(percent(Double(reasonCorrect) / total)) \
            false_suppressions=\(falseSuppressions) (\(percent(falseRate))) missed_suppressions=\(missedSuppressions)/\(suppressRows) (\(percent(missedRate)))
            """)
        if !misses.isEmpty { print("category misses:\n" + misses.joined(separator: "\n")) }
        #expect(accuracy >= 0.95)
        #expect(falseRate <= 0.005)
        #expect(missedRate <= 0.03)
    }

    private func percent(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        return "\(scaled / 10).\(scaled % 10)%"
    }
}
