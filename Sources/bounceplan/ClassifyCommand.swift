// PLACEHOLDER — owned by the classifier work (issue 3).
import ArgumentParser

/// Classifies one response, or a stream of them with `--tsv`.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "Classify bounce responses.")
    func run() throws {}
}
