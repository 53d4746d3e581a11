import ArgumentParser
import BounceClassification
import Foundation

/// `bounceplan rules learn-words FILE...`: trains the word model from open corpus files and writes it
/// (`Config/rules/95-word-model.tsv`); `--cross-validate` measures it first, holding out by source.
struct RulesLearnWordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn-words",
        abstract: "Train the word model (used when no rule matches) from labelled corpus files.",
        discussion: "Pass only the open corpus (Tests/BounceClassificationTests/Corpus/responses.tsv and open/*.tsv), "
            + "in that order; `make word-model` does. Never pass blind rows: they measure the model.")

    @Argument(help: "Corpus TSV files (issue 12's six-column format).")
    var files: [String]

    @Option(help: "Where to write the model.")
    var output = "Config/rules/" + WordModel.fileName

    @Option(name: .customLong("cross-validate"), help: "Print K-fold figures (folds by source) instead of writing the model.")
    var folds: Int?

    @OptionGroup var config: ConfigOptions

    func run() throws {
        // The blind part measures the model; a model trained on it would measure nothing.
        if let blind = files.first(where: { $0.split(separator: "/").contains("blind") }) {
            throw ValidationError("\(blind): blind corpus rows never train the model; pass only the open corpus")
        }
        var rows: [WordModelTrainer.Row] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("\(file): cannot read it as UTF-8 text")
            }
            rows += WordModelTrainer.rows(fromCorpusTSV: text)
        }
        guard !rows.isEmpty else { throw ValidationError("no corpus rows in the files given") }
        if let folds {
            guard folds >= 2 else { throw ValidationError("--cross-validate needs at least 2 folds") }
            let classifier = try Classifier.load(rulesDirectory: try config.resolvedConfigDirectory() + "/rules")
            WordModelCrossValidation(rows: rows, folds: folds, classifier: classifier).report()
            return
        }
        let model = WordModelTrainer.train(rows)
        try model.serialized().write(toFile: output, atomically: true, encoding: .utf8)
        print("\(output): \(model.trainingRows) rows, \(model.categories.count) categories, digest \(model.trainingDigest)")
    }
}
