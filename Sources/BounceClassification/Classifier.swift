// PLACEHOLDER — the classifier helper replaces this file with the real rule engine.
/// Decides what a bounce means.
public final class Classifier: Sendable {
    /// A digest of the rules in force, recorded with every run.
    public let rulesDigest: String

    public init() { rulesDigest = "stub" }

    /// Loads the default rules from `rulesDirectory` (every `*.yaml` in it) and then the user's rule
    /// files, which take precedence.
    public static func load(rulesDirectory: String, userRuleFiles: [String] = []) throws -> Classifier {
        Classifier()
    }

    public func classify(_ response: BounceResponse) -> Classification {
        Classification(category: .unknown, reason: "unclassified", ruleID: "fallback.none", evidence: "")
    }
}
