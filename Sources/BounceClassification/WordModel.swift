/// A multinomial naive Bayes model over the words of responses (`WordTokens`), trained on the open
/// corpus by `bounceplan rules learn-words` and stored as data in `Config/rules/95-word-model.tsv`.
///
/// The classifier asks it only when no rule at all matched a response: phrase rules written from one
/// batch of wordings rarely recognise the next, single words carry over better. Its verdict counts only
/// when the best category leads the second by `minimumMargin` (natural-log units of the joint
/// likelihood); a suppression passes the safety rules like any other.
public struct WordModel: Sendable, Equatable {
    /// The categories the model chooses among, in file order.
    public let categories: [BounceCategory]
    /// Log prior per category, in `1 / unitsPerNat` nats.
    let logPrior: [Int32]
    /// Feature → row index into `weights` (a row holds one log-likelihood per category).
    let featureIndex: [String: Int]
    /// Feature names by row, in file order.
    let features: [String]
    /// `features.count × categories.count` log-likelihoods in `1 / unitsPerNat` nats, row by row.
    let weights: [Int32]
    /// How many corpus rows trained the model.
    public let trainingRows: Int
    /// FNV-1a digest of the training rows (text and category), so a file shows what trained it.
    public let trainingDigest: String

    /// The lead of the best category over the second that a verdict needs. Chosen by cross-validation
    /// over the open corpus, held out by source (Config/rules/README.md, "Word model").
    public static let minimumMargin = 2.0
    /// A suppression needs a larger lead: a false suppression loses an address for good.
    public static let minimumSuppressMargin = 16.0
    /// Known features a verdict needs: one known word says too little.
    static let minimumKnownFeatures = 2

    /// Weights are fixed-point: whole ten-thousandths of a nat.
    static let unitsPerNat = 10_000.0

    init(categories: [BounceCategory], logPrior: [Int32], features: [String], weights: [Int32],
         trainingRows: Int, trainingDigest: String) {
        var index: [String: Int] = [:]
        index.reserveCapacity(features.count)
        for (row, feature) in features.enumerated() { index[feature] = row }
        self.init(categories: categories, logPrior: logPrior, features: features, featureIndex: index, weights: weights,
                  trainingRows: trainingRows, trainingDigest: trainingDigest)
    }

    /// `featureIndex` must map each of `features` to its row.
    init(categories: [BounceCategory], logPrior: [Int32], features: [String], featureIndex: [String: Int], weights: [Int32],
         trainingRows: Int, trainingDigest: String) {
        self.categories = categories
        self.logPrior = logPrior
        self.features = features
        self.featureIndex = featureIndex
        self.weights = weights
        self.trainingRows = trainingRows
        self.trainingDigest = trainingDigest
    }

    public static func == (lhs: WordModel, rhs: WordModel) -> Bool {
        lhs.categories == rhs.categories && lhs.logPrior == rhs.logPrior && lhs.features == rhs.features
            && lhs.weights == rhs.weights && lhs.trainingRows == rhs.trainingRows && lhs.trainingDigest == rhs.trainingDigest
    }

    /// What the words say: the best category, its lead over the second, and the words that weighed most.
    public struct Reading: Sendable, Equatable {
        public let category: BounceCategory
        public let margin: Double
        /// Up to three features that favoured `category` over the runner-up most.
        public let evidence: [String]
    }

    /// The model's reading of `text`, or nil when it knows fewer than `minimumKnownFeatures` of its features.
    public func read(_ text: UnsafeBufferPointer<UInt8>) -> Reading? {
        read(features: WordTokens.features(text))
    }

    func read(features: [String]) -> Reading? {
        let width = categories.count
        guard width >= 2 else { return nil }
        var scores = logPrior.map(Int.init)
        var known: [Int] = []
        for feature in features {
            guard let row = featureIndex[feature] else { continue }
            known.append(row)
            for column in 0..<width { scores[column] += Int(weights[row * width + column]) }
        }
        guard known.count >= Self.minimumKnownFeatures else { return nil }
        var best = 0, second = -1
        for column in 1..<width {
            if scores[column] > scores[best] { second = best; best = column }
            else if second < 0 || scores[column] > scores[second] { second = column }
        }
        if second < 0 { second = best == 0 ? 1 : 0 }
        let lead = known.map { row in (row, Int(weights[row * width + best]) - Int(weights[row * width + second])) }
            .filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return Reading(category: categories[best], margin: Double(scores[best] - scores[second]) / Self.unitsPerNat,
                       evidence: lead.prefix(3).map { self.features[$0.0] })
    }

    /// The reason a model verdict carries: the category's generic reason from the vocabulary.
    static func genericReason(_ category: BounceCategory) -> String {
        switch category {
        case .suppress: "user_unknown"
        case .retry: "temporary_failure"
        case .ratelimit: "rate_limited"
        case .sender: "policy_rejection"
        case .content: "content_policy"
        case .ignore: "delivery_notice"
        case .unknown: "unclassified"
        }
    }

    /// The rule id of a model verdict (`word-model.retry`).
    /// `ruleIDPrefix` and the category, as literals: one string per category for the whole process
    /// (a stream's answer lines are looked up by the strings' identity), not a new one per verdict.
    static func ruleID(_ category: BounceCategory) -> String {
        switch category {
        case .suppress: "word-model.suppress"
        case .retry: "word-model.retry"
        case .ratelimit: "word-model.ratelimit"
        case .sender: "word-model.sender"
        case .content: "word-model.content"
        case .ignore: "word-model.ignore"
        case .unknown: "word-model.unknown"
        }
    }
    static let ruleIDPrefix = "word-model."
}
