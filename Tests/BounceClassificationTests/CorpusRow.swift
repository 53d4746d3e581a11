import BounceClassification
import Foundation
import Testing

/// One labelled response of the classifier corpus (issue 12's shared format: six TAB-separated columns
/// `code status text expected_category expected_reason source`, `#` comment lines, `\n` and `\\` escapes).
struct CorpusRow: Sendable, CustomTestStringConvertible {
    /// `file:line`, relative to the Corpus folder: the only thing ever printed about a blind row.
    let id: String
    let response: BounceResponse
    let category: BounceCategory
    let reason: String
    let source: String

    var testDescription: String { "\(id): \(response.diagnostic.prefix(70)) [\(source)]" }
}

/// A corpus part (open or blind): its rows and the lines that are not well-formed rows.
struct CorpusPart: Sendable {
    let rows: [CorpusRow]
    /// `file:line` ids of lines that are neither comments nor valid rows.
    let malformed: [String]
    /// How many files the part was read from.
    let fileCount: Int

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    /// The open part: the legacy `responses.tsv` and every `open/*.tsv`.
    static let open: CorpusPart = load(["responses.tsv"] + tsvFiles(in: "open"))
    /// The blind part: every `blind/*.tsv`; empty when the folder does not exist.
    static let blind: CorpusPart = load(tsvFiles(in: "blind"))

    var distinctSources: Int { Set(rows.map(\.source)).count }

    private static func tsvFiles(in subfolder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(subfolder).path)) ?? []
        return names.filter { $0.hasSuffix(".tsv") }.sorted().map { "\(subfolder)/\($0)" }
    }

    private static func load(_ relativePaths: [String]) -> CorpusPart {
        var rows: [CorpusRow] = []
        var malformed: [String] = []
        for path in relativePaths {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) else {
                malformed.append("\(path):0 (unreadable or not UTF-8)")
                continue
            }
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.isEmpty || line.hasPrefix("#") { continue }
                let id = "\(path):\(offset + 1)"
                if let row = parse(line, id: id) { rows.append(row) } else { malformed.append(id) }
            }
        }
        return CorpusPart(rows: rows, malformed: malformed, fileCount: relativePaths.count)
    }

    /// A row, or nil when the columns are not exactly the six of the format.
    private static func parse(_ line: Substring, id: String) -> CorpusRow? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, let category = BounceCategory(rawValue: fields[3]), !fields[4].isEmpty,
              !fields[5].trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let code: Int?
        if fields[0].isEmpty { code = nil } else if let value = Int(fields[0]) { code = value } else { return nil }
        return CorpusRow(
            id: id,
            response: BounceResponse(smtpCode: code, enhancedStatus: fields[1].isEmpty ? nil : fields[1],
                                     diagnostic: unescape(fields[2])),
            category: category, reason: fields[4], source: fields[5])
    }

    /// The corpus's escapes, read as the word model's trainer reads them.
    static func unescape(_ text: String) -> String { WordModelTrainer.unescape(Substring(text)) }
}
