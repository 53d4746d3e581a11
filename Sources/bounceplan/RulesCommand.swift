// PLACEHOLDER — owned by the classifier work (issue 3).
import ArgumentParser

/// Validates and tests rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "Check and test classification rules.")
    func run() throws {}
}
