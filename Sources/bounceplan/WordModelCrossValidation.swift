import BounceClassification
import Foundation

/// K-fold cross-validation of the word model over corpus rows, folds by source (a source's rows are
/// held out together, as new data brings new sources). Prints, per margin threshold, what the model
/// alone says on held-out rows, on those stored without code or status, and on those the rules leave
/// `unknown` (the only rows the model ever speaks for).
struct WordModelCrossValidation {
    let rows: [WordModelTrainer.Row]
    let folds: Int
    let classifier: Classifier

    static let margins: [Double] = [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16]

    /// A held-out row's label and the model's reading of it.
    private struct Outcome {
        let expected: BounceCategory
        let reading: WordModel.Reading?
        let bare: Bool
        let rulesUnknown: Bool
        /// The category after the safety rules, at margin 0.
        let guarded: BounceCategory?
    }

    func report() {
        var outcomes: [Outcome] = []
        let ruleOnly = classifier.replacingWordModel(nil)
        for fold in 0..<folds {
            let training = rows.filter { Self.fold(of: $0.source, folds) != fold }
            let model = WordModelTrainer.train(training)
            let withModel = classifier.replacingWordModel(model)
            for row in rows where Self.fold(of: row.source, folds) == fold {
                var text = row.text
                let reading = text.withUTF8 { model.read($0) }
                let response = BounceResponse(smtpCode: Int(row.code), enhancedStatus: row.status.isEmpty ? nil : row.status,
                                              diagnostic: row.text)
                outcomes.append(Outcome(expected: row.category, reading: reading, bare: row.code.isEmpty && row.status.isEmpty,
                                        rulesUnknown: ruleOnly.classify(response).category == .unknown,
                                        guarded: withModel.wordModelVerdict(for: response, minimumMargin: 0,
                                                                            minimumSuppressMargin: 0)?.category))
            }
        }
        print("word model, \(folds)-fold cross-validation by source over \(rows.count) rows")
        table("all held-out rows", outcomes)
        table("rows without code or status", outcomes.filter(\.bare))
        table("rows the rules leave unknown", outcomes.filter(\.rulesUnknown))
        suppressTable(outcomes)
        suppressTable(outcomes.filter(\.bare), title: "rows without code or status")
        precisionTable(outcomes)
    }

    /// At the model's margins, with the safety rules: how often each category the model says is right.
    private func precisionTable(_ outcomes: [Outcome]) {
        print("\nprecision per category said, at margins \(WordModel.minimumMargin) / \(WordModel.minimumSuppressMargin), with the safety rules")
        for category in BounceCategory.allCases {
            let said = outcomes.filter { outcome in
                guard let reading = outcome.reading, reading.margin >= WordModel.minimumMargin,
                      reading.category != .suppress || reading.margin >= WordModel.minimumSuppressMargin else { return false }
                return outcome.guarded == category
            }
            guard !said.isEmpty else { continue }
            let right = said.filter { $0.expected == category }.count
            let name = category.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            print(name + String(format: " said %5d  right %5.1f%%", said.count, 100 * Double(right) / Double(said.count)))
        }
    }

    /// With the safety rules: how a suppress margin trades false for missed suppressions, at the
    /// model's verdict margin.
    private func suppressTable(_ outcomes: [Outcome], title: String = "all held-out rows") {
        let keep = outcomes.filter { $0.expected != .suppress }.count
        let gone = outcomes.count - keep
        let margin = WordModel.minimumMargin
        print("\n\(title), with the safety rules, verdict margin \(margin): \(keep) to keep, \(gone) gone")
        print("supp_margin  answered  accuracy  false_supp(of keep)  suppressed_right(of gone)")
        for suppressMargin in [margin, 6, 8, 10, 12, 16, 20, Double.infinity] where suppressMargin >= margin {
            var answered = 0, right = 0, falseSuppressions = 0, rightSuppressions = 0
            for outcome in outcomes {
                guard let reading = outcome.reading, reading.margin >= margin, let guarded = outcome.guarded else { continue }
                if reading.category == .suppress && reading.margin < suppressMargin { continue }
                answered += 1
                if guarded == outcome.expected { right += 1 }
                if guarded == .suppress { if outcome.expected == .suppress { rightSuppressions += 1 } else { falseSuppressions += 1 } }
            }
            print(String(format: "%11.1f  %8d  %7.1f%%  %6d (%5.2f%%)  %6d (%5.1f%%)", suppressMargin, answered,
                         answered == 0 ? 0 : 100 * Double(right) / Double(answered), falseSuppressions,
                         keep == 0 ? 0 : 100 * Double(falseSuppressions) / Double(keep), rightSuppressions,
                         gone == 0 ? 0 : 100 * Double(rightSuppressions) / Double(gone)))
        }
    }

    private func table(_ title: String, _ outcomes: [Outcome]) {
        let keep = outcomes.filter { $0.expected != .suppress }.count
        let gone = outcomes.count - keep
        print("\n\(title): \(outcomes.count) rows (\(gone) labelled suppress)")
        print("margin  answered  accuracy  false_supp(of keep)  suppress_said  suppress_right")
        for margin in Self.margins {
            let answered = outcomes.filter { ($0.reading?.margin ?? -1) >= margin && $0.reading?.category != .unknown }
            let right = answered.filter { $0.reading?.category == $0.expected }.count
            let said = answered.filter { $0.reading?.category == .suppress }
            let falseSuppressions = said.filter { $0.expected != .suppress }.count
            print(String(format: "%5.1f  %8d  %7.1f%%  %6d (%5.2f%%)  %13d  %14d", margin, answered.count,
                         answered.isEmpty ? 0 : 100 * Double(right) / Double(answered.count), falseSuppressions,
                         keep == 0 ? 0 : 100 * Double(falseSuppressions) / Double(keep), said.count, said.count - falseSuppressions))
        }
    }

    /// A stable fold per source (djb2), the same on every run and platform.
    static func fold(of source: String, _ folds: Int) -> Int {
        var hash: UInt64 = 5381
        for byte in source.utf8 { hash = hash &* 33 &+ UInt64(byte) }
        return Int(hash % UInt64(folds))
    }
}
