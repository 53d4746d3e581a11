import BounceClassification
import Foundation
import TestSupport
import Testing

/// `bounceplan classify --tsv` as a pipeline meets it: one answer line per input line, in order,
/// across read chunks, with CRLF, text-only and empty lines and a last line without a line feed.
@Suite("classify --tsv")
struct ClassifyStreamTests {
    /// Input lines from every rule example in several shapes, about 2 MB, so that lines straddle
    /// the 1 MiB reads and the batches of the stream end at odd places.
    static func inputLines() throws -> [String] {
        let classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
        let texts = classifier.rules.flatMap(\.examples).map {
            ($0.smtpCode.map(String.init) ?? "", $0.enhancedStatus ?? "",
             $0.diagnostic.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " "))
        }
        var lines: [String] = []
        var serial = 0
        while lines.reduce(0, { $0 + $1.utf8.count + 1 }) < 2_100_000 {
            for (code, status, text) in texts {
                serial += 1
                switch serial % 7 {
                case 0: lines.append(text)                                   // the text alone, no tabs
                case 1: lines.append("\(code)\t\(status)\t\(text)\r")        // CRLF
                case 2: lines.append("\t\t\(text) #\(serial)")
                case 3: lines.append(serial % 3 == 0 ? "" : "\t\t")           // nothing to classify
                case 4: lines.append(" \(code) \t \(status) \t\(text)")      // spaces around the fields
                case 5: lines.append("\(code)\t\(status)\t" + String(repeating: text + " ", count: 40))
                default: lines.append("\(code)\t\(status)\t\(text)")
                }
            }
        }
        // The file's last line goes without a line feed: it must hold something, or it is no line at all.
        lines.append("550\t5.1.1\tno such user, the last line")
        return lines
    }

    /// What the library says for one line, read as the stream documents it.
    static func expected(_ line: String, _ classifier: Classifier) -> String {
        var bytes = Array(line.utf8)
        if bytes.last == 0x0D { bytes.removeLast() }
        let fields = bytes.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
        let code: Int?, status: EnhancedStatus?, text: [UInt8]
        if fields.count == 1 {
            (code, status, text) = (nil, nil, bytes)
        } else {
            let digits = fields[0].filter { $0 != 0x20 }
            code = digits.count == 3 && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int(String(decoding: digits, as: UTF8.self)) : nil
            status = EnhancedStatus(String(decoding: fields[1], as: UTF8.self))
            text = fields.count > 2 ? Array(fields[2]) : []
        }
        let result = text.withUnsafeBufferPointer { classifier.classify(smtpCode: code, enhancedStatus: status, diagnostic: $0) }
        return "\(result.category.rawValue)\t\(result.reason)\t\(result.ruleID)"
    }

    @Test func oneAnswerPerLineInOrderAcrossChunks() throws {
        let lines = try Self.inputLines()
        let path = NSTemporaryDirectory() + "bounceplan-tsv-\(UUID().uuidString).tsv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The last line has no line feed.
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))

        let result = try ProgramRunner.run("/bin/sh", ["-c", "exec \"$0\" classify --tsv < \"$1\"", ProgramRunner.bounceplanPath, path],
                                           timeout: .seconds(300))
        #expect(result.exited(0), "\(result.stderr)")
        let answers = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(answers.count == lines.count)
        let classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
        var wrong: [String] = []
        for (index, line) in lines.enumerated() where index < answers.count {
            let want = Self.expected(line, classifier)
            if answers[index] != want { wrong.append("line \(index + 1): got \(answers[index]), want \(want)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(result.stdout.hasSuffix("\n"))
    }
}
