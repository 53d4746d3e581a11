@preconcurrency import Glibc
import Digest

/// Trains a `WordModel` from labelled responses: multinomial logistic regression (or, to compare, naive
/// Bayes with Laplace smoothing) over each row's distinct features (a word repeated in one reply counts
/// once). Deterministic: the same rows in the same order give the same model, byte for byte once written
/// (on one platform: the regression's sums go through `exp`).
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

    /// How a model is trained; the defaults train the committed model. The others exist to measure
    /// alternatives by cross-validation (`bounceplan rules learn-words --cross-validate`).
    public struct Options: Sendable, Equatable {
        public enum Method: String, Sendable, CaseIterable { case naiveBayes = "bayes", logistic }
        public var method: Method = .logistic
        /// Laplace smoothing of naive Bayes.
        public var smoothing = WordModelTrainer.smoothing
        public var minimumRows = WordModelTrainer.minimumRowsPerFeature
        /// The reply code's class and the status as features (`WordTokens.codeFeatures`).
        public var codeFeatures = true
        /// Logistic regression: passes over the rows, first step size, L2 penalty per step.
        public var epochs = 20
        public var learningRate = 0.2
        public var l2 = 1e-4
        public init() {}
    }

    /// A row's features as the classifier would read them: its words and pairs, and with `codeFeatures`
    /// the reply code and status from its columns, else from its text (`Classifier.Facts`).
    public static func features(of row: Row, options: Options = Options()) -> (text: [String], code: [String]) {
        var text = row.text
        return text.withUTF8 { bytes in
            let words = WordTokens.features(bytes)
            guard options.codeFeatures else { return (words, []) }
            let facts = Classifier.Facts(smtpCode: Int(row.code), status: EnhancedStatus(row.status), text: bytes,
                                         recipientDomain: nil, remoteMTA: nil)
            return (words, WordTokens.codeFeatures(code: facts.code, status: facts.status))
        }
    }

    /// The model of `rows`. Rows labelled `unknown` (texts too vague to decide, such as "permanent error;
    /// some recipients failed") are a category too: a model that reads such a text as `unknown` leaves it so.
    public static func train(_ rows: [Row], options: Options = Options()) -> WordModel {
        var digest = FNV1a64()
        var rowFeatures: [(features: [String], category: BounceCategory)] = []
        for row in rows {
            digest.add(Array(row.category.rawValue.utf8) + [9] + Array(row.text.utf8) + [10])
            let features = Self.features(of: row, options: options)
            rowFeatures.append((features.text + features.code, row.category))
        }
        let categories = BounceCategory.allCases.filter { category in rowFeatures.contains { $0.category == category } }
        let column = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($0.element, $0.offset) })
        var rowsPerFeature: [String: Int] = [:]
        for row in rowFeatures { for feature in row.features { rowsPerFeature[feature, default: 0] += 1 } }
        let vocabulary = rowsPerFeature.filter { $0.value >= options.minimumRows }.keys.sorted()
        let featureRow = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, $0.offset) })
        let encoded = rowFeatures.map { row in (row.features.compactMap { featureRow[$0] }, column[row.category]!) }

        let weights: (prior: [Int32], features: [Int32])
        switch options.method {
        case .naiveBayes:
            weights = naiveBayes(encoded, features: vocabulary.count, width: categories.count, smoothing: options.smoothing)
        case .logistic:
            weights = logistic(encoded, features: vocabulary.count, width: categories.count, options: options)
        }
        return WordModel(categories: categories, logPrior: weights.prior, features: vocabulary, weights: weights.features,
                         trainingRows: rowFeatures.count, trainingDigest: digest.hex)
    }

    private static func naiveBayes(_ rows: [(features: [Int], category: Int)], features: Int, width: Int,
                                   smoothing: Double) -> (prior: [Int32], features: [Int32]) {
        var counts = [Double](repeating: 0, count: features * width)
        var totals = [Double](repeating: 0, count: width)
        var rowsPerCategory = [Double](repeating: 0, count: width)
        for row in rows {
            rowsPerCategory[row.category] += 1
            for r in row.features {
                counts[r * width + row.category] += 1
                totals[row.category] += 1
            }
        }
        let rowCount = Double(rows.count)
        let logPrior = rowsPerCategory.map { fixedPoint(log($0 / rowCount)) }
        let denominators = totals.map { $0 + smoothing * Double(features) }
        var weights = [Int32](repeating: 0, count: counts.count)
        for r in 0..<features {
            for c in 0..<width { weights[r * width + c] = fixedPoint(log((counts[r * width + c] + smoothing) / denominators[c])) }
        }
        return (logPrior, weights)
    }

    /// Multinomial logistic regression by stochastic gradient descent: rows visited in a fixed order
    /// (a fixed stride through the rows, so neighbouring rows of one file are not visited together),
    /// step size falling per pass, L2 penalty on the weights a row touches. Deterministic. Stored as
    /// log-likelihood-like numbers: each feature's weights, and the biases, are shifted so that their
    /// largest is 0 — a shift common to every category changes no difference between two of them.
    private static func logistic(_ rows: [(features: [Int], category: Int)], features: Int, width: Int,
                                 options: Options) -> (prior: [Int32], features: [Int32]) {
        var weights = [Double](repeating: 0, count: features * width)
        var bias = [Double](repeating: 0, count: width)
        var scores = [Double](repeating: 0, count: width)
        let count = rows.count
        guard count > 0 else { return (bias.map(fixedPoint), weights.map(fixedPoint)) }
        // A stride coprime with the row count visits every row once per pass.
        var stride = max(1, Int(Double(count) * 0.618))
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        while gcd(stride, count) != 1 { stride += 1 }
        weights.withUnsafeMutableBufferPointer { w in
            for epoch in 0..<options.epochs {
                let rate = options.learningRate / (1 + Double(epoch))
                var index = 0
                for _ in 0..<count {
                    let row = rows[index]
                    index = (index + stride) % count
                    for c in 0..<width { scores[c] = bias[c] }
                    for r in row.features { for c in 0..<width { scores[c] += w[r * width + c] } }
                    let top = scores.max()!
                    var sum = 0.0
                    for c in 0..<width { scores[c] = exp(scores[c] - top); sum += scores[c] }
                    for c in 0..<width {
                        let gradient = scores[c] / sum - (c == row.category ? 1 : 0)
                        bias[c] -= rate * gradient
                        for r in row.features {
                            w[r * width + c] -= rate * (gradient + options.l2 * w[r * width + c])
                        }
                    }
                }
            }
        }
        var stored = [Int32](repeating: 0, count: weights.count)
        for r in 0..<features {
            let top = (0..<width).map { weights[r * width + $0] }.max()!
            for c in 0..<width { stored[r * width + c] = fixedPoint(weights[r * width + c] - top) }
        }
        let topBias = bias.max()!
        return (bias.map { fixedPoint($0 - topBias) }, stored)
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
