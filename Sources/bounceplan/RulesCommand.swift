import ArgumentParser
@preconcurrency import Glibc
import BounceClassification

/// Validates and tests classification rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Check, test and preview classification rules.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self, RulesDiffCommand.self, RulesLearnWordsCommand.self])
}

/// `bounceplan rules check FILE`: parses and validates one rule file.
struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate a rule file.")

    @Argument(help: "The YAML rule file to validate.")
    var file: String

    func run() throws {
        do {
            let rules = try Classifier.validate(ruleFile: file)
            guard !rules.isEmpty else {
                printError("\(file): no rules: a rule file lists at least one rule (see Config/rules/README.md)")
                throw ExitCode.failure
            }
            print("\(file): ok, \(rules.count) rule(s), \(rules.reduce(0) { $0 + $1.examples.count }) example(s)")
        } catch let error as RuleFileError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

/// `bounceplan rules test`: every rule's examples must classify to that rule.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Classify every rule's examples (defaults and --rules files); fail on any mismatch.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let classifier: Classifier
        do {
            classifier = try Classifier.load(
                rulesDirectory: try config.resolvedConfigDirectory() + "/rules", userRuleFiles: config.userRuleFiles)
        } catch let error as RuleFileError {
            printError(error.description)
            throw ExitCode.failure
        }
        let mismatches = classifier.exampleMismatches()
        for mismatch in mismatches { print("MISMATCH \(mismatch)") }
        print("rules=\(classifier.rules.count) examples=\(classifier.exampleCount) mismatches=\(mismatches.count) digest=\(classifier.rulesDigest)")
        if !mismatches.isEmpty { throw ExitCode.failure }
    }
}

/// Writes one line to standard error.
private func printError(_ message: String) {
    var line = "bounceplan: " + message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}
