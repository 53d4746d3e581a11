/// A rule example that did not classify to its own rule.
public struct ExampleMismatch: Sendable, CustomStringConvertible {
    /// The rule the example belongs to.
    public let ruleID: String
    /// The file the rule came from.
    public let file: String
    /// The example response.
    public let example: BounceResponse
    /// What the classifier answered instead.
    public let got: Classification

    public var description: String {
        var response = example.diagnostic
        if let status = example.enhancedStatus { response = "[status \(status)] " + response }
        if let code = example.smtpCode { response = "[code \(code)] " + response }
        return "\(file): rule '\(ruleID)': example \"\(response)\" classified as \(got.category.rawValue)/\(got.reason) by '\(got.ruleID)'"
    }
}

extension Classifier {
    /// Classifies every example of every rule in force; an example must be decided by its own rule.
    public func exampleMismatches() -> [ExampleMismatch] {
        var mismatches: [ExampleMismatch] = []
        for rule in rules {
            for example in rule.examples {
                let result = classify(example)
                if result.ruleID != rule.id {
                    mismatches.append(ExampleMismatch(ruleID: rule.id, file: rule.file, example: example, got: result))
                }
            }
        }
        return mismatches
    }

    /// How many examples the rules in force carry.
    public var exampleCount: Int { rules.reduce(0) { $0 + $1.examples.count } }
}
