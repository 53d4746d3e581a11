import BounceClassification
import Foundation

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
