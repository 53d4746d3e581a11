@preconcurrency import Glibc
import Digest

/// Trains a `WordModel` from labelled responses: multinomial naive Bayes over each row's distinct
/// features (a word repeated in one reply counts once), Laplace smoothing, a prior per category.
/// Deterministic: the same rows in the same order give the same model, byte for byte once written.
public enum WordModelTrainer {
    /// One labelled response: its text (escapes already read) and expected category; code, status and
    /// source as the corpus gives them, for cross-validation (training reads only text and category).
    public struct Row: Sendable {
        public let text: String
        public let category: BounceCategory
        public let code: String
        public let status: String
        public let source: String
        public init(text: String, category: BounceCategory, code: String = "", status: String = "", source: String = "") {
            self.text = text
            self.category = category
            self.code = code
            self.status = status
            self.source = source
        }
    }

    /// Features seen in fewer rows are left out: one row's wording is not evidence.
    public static let minimumRowsPerFeature = 2
    /// Laplace smoothing.
    static let smoothing = 1.0

    /// The model of `rows`. Rows labelled `unknown` (texts too vague to decide, such as "permanent error;
    /// some recipients failed") are a category too: a model that reads such a text as `unknown` leaves it so.
    public static func train(_ rows: [Row]) -> WordModel {
        var digest = FNV1a64()
        var rowFeatures: [(features: [String], category: BounceCategory)] = []
        for row in rows {
            digest.add(Array(row.category.rawValue.utf8) + [9] + Array(row.text.utf8) + [10])
            var text = row.text
            let features = text.withUTF8 { WordTokens.features($0) }
            rowFeatures.append((features, row.category))
        }
        let categories = BounceCategory.allCases.filter { category in rowFeatures.contains { $0.category == category } }
        let column = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($0.element, $0.offset) })
        var rowsPerFeature: [String: Int] = [:]
        for row in rowFeatures { for feature in row.features { rowsPerFeature[feature, default: 0] += 1 } }
        let vocabulary = rowsPerFeature.filter { $0.value >= minimumRowsPerFeature }.keys.sorted()
        let featureRow = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, $0.offset) })

        let width = categories.count
        var counts = [Double](repeating: 0, count: vocabulary.count * width)
        var totals = [Double](repeating: 0, count: width)
        var rowsPerCategory = [Double](repeating: 0, count: width)
        for row in rowFeatures {
            let c = column[row.category]!
            rowsPerCategory[c] += 1
            for feature in row.features {
                guard let r = featureRow[feature] else { continue }
                counts[r * width + c] += 1
                totals[c] += 1
            }
        }
        let rowCount = Double(rowFeatures.count)
        let logPrior = rowsPerCategory.map { fixedPoint(log($0 / rowCount)) }
        let denominators = totals.map { $0 + smoothing * Double(vocabulary.count) }
        var weights = [Int32](repeating: 0, count: counts.count)
        for r in 0..<vocabulary.count {
            for c in 0..<width { weights[r * width + c] = fixedPoint(log((counts[r * width + c] + smoothing) / denominators[c])) }
        }
        return WordModel(categories: categories, logPrior: logPrior, features: vocabulary, weights: weights,
                         trainingRows: rowFeatures.count, trainingDigest: digest.hex)
    }

    /// Weights are whole ten-thousandths of a nat, in the model as in its file: sums are exact, so a
    /// trained model and the same model read back decide alike on every platform.
    static func fixedPoint(_ value: Double) -> Int32 { Int32((value * WordModel.unitsPerNat).rounded()) }
}

extension WordModelTrainer {
    /// The rows of one corpus file in issue 12's format (six TAB-separated columns, `#` comments,
    /// `\n` `\t` `\r` `\\` escapes in the text); lines that are not well-formed rows are skipped, as the
    /// corpus tests report them.
    public static func rows(fromCorpusTSV text: String) -> [Row] {
        text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 6, let category = BounceCategory(rawValue: String(fields[3])) else { return nil }
            return Row(text: unescape(fields[2]), category: category, code: String(fields[0]), status: String(fields[1]),
                       source: String(fields[5]))
        }
    }

    /// A corpus text with its escapes read: `\n` a line break, `\t` a tab, `\r` a carriage return,
    /// `\\` a backslash (the corpus tests read rows through this too).
    public static func unescape(_ text: Substring) -> String {
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
