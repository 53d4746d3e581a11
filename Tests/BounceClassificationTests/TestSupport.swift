import BounceClassification
import Foundation
import Testing

/// Shared fixtures: the project's default rules and the labelled corpus, found relative to this file.
enum TestSupport {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let rulesDirectory = packageRoot.appendingPathComponent("Config/rules").path

    /// Loaded once; loading failures surface as a crash with the rule file error, which every test would report.
    static let classifier: Classifier = {
        do {
            return try Classifier.load(rulesDirectory: rulesDirectory)
        } catch {
            fatalError("default rules do not load: \(error)")
        }
    }()

    /// Expects the text alone (no code or status fields, as many pipelines store it) to get this category and reason.
    static func expectVerdict(text: String, _ category: BounceCategory, _ reason: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let result = classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        let seen = "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]"
        #expect(result.category == category, "\(seen)", sourceLocation: sourceLocation)
        #expect(result.reason == reason, "\(seen)", sourceLocation: sourceLocation)
    }

    /// Expects the text alone to get this category, whatever the reason.
    static func expectCategory(text: String, _ category: BounceCategory, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(result.category == category, "\(text) -> \(result.category)/\(result.reason) [\(result.ruleID)]",
                sourceLocation: sourceLocation)
    }

    /// A temporary directory for rule-file tests.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "bounceplan-rules-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}
