import BounceClassification

/// The aggregate figures of a corpus part as classified by a classifier.
struct CorpusScore: Sendable {
    var rows = 0
    var categoryCorrect = 0
    var reasonCorrect = 0
    /// Rows that must be kept (labelled anything but `suppress`), and how many of them were suppressed.
    var keepRows = 0
    var falseSuppressions: [String] = []
    /// Rows labelled `suppress`, and the ids of those that were not suppressed.
    var suppressRows = 0
    var missedSuppressions: [String] = []
    /// Open rows only: one line per category miss (never filled for the blind part).
    var misses: [String] = []

    init(_ part: CorpusPart, classifier: Classifier, listMisses: Bool) {
        for row in part.rows {
            let result = classifier.classify(row.response)
            rows += 1
            if result.category == row.category {
                categoryCorrect += 1
                if result.reason == row.reason { reasonCorrect += 1 }
            } else if listMisses {
                misses.append("  \(row.id): expected \(row.category.rawValue)/\(row.reason), got \(result.category.rawValue)/\(result.reason) [\(result.ruleID)] \(row.response.diagnostic.prefix(110))")
            }
            if row.category == .suppress {
                suppressRows += 1
                if result.category != .suppress { missedSuppressions.append(row.id) }
            } else {
                keepRows += 1
                if result.category == .suppress { falseSuppressions.append(row.id) }
            }
        }
    }

    var categoryAccuracy: Double { ratio(categoryCorrect, rows) }
    var reasonAccuracy: Double { ratio(reasonCorrect, rows) }
    /// Share of the addresses that must be kept which were suppressed.
    var falseSuppressionRate: Double { ratio(falseSuppressions.count, keepRows) }
    /// Share of the addresses that are gone which were not suppressed.
    var missedSuppressionRate: Double { ratio(missedSuppressions.count, suppressRows) }

    /// One line of aggregate figures; safe to print for the blind part.
    func summary(_ name: String, sources: Int) -> String {
        "\(name): rows=\(rows) sources=\(sources) category_accuracy=\(percent(categoryAccuracy)) "
            + "reason_accuracy=\(percent(reasonAccuracy)) "
            + "false_suppressions=\(falseSuppressions.count)/\(keepRows) (\(percent(falseSuppressionRate))) "
            + "missed_suppressions=\(missedSuppressions.count)/\(suppressRows) (\(percent(missedSuppressionRate)))"
    }

    private func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

    private func percent(_ value: Double) -> String {
        let scaled = Int((value * 1000).rounded())
        return "\(scaled / 10).\(scaled % 10)%"
    }
}
