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
        let unescaped = Self.unescaped(text)
        let result = unescaped.withUnsafeBufferPointer { classifier.classify(smtpCode: code, enhancedStatus: status, diagnostic: $0) }
        return "\(result.category.rawValue)\t\(result.reason)\t\(result.ruleID)"
    }

    /// COPY text format's escapes as the stream documents them: \n, \r, \t and \\; others stay.
    static func unescaped(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < text.count {
            if text[index] == 0x5C, index + 1 < text.count,
               let byte = [UInt8(ascii: "n"): UInt8(0x0A), UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, 0x5C: 0x5C][text[index + 1]] {
                out.append(byte)
                index += 2
            } else {
                out.append(text[index])
                index += 1
            }
        }
        return out
    }

    static func classifyStream(_ input: String) throws -> [String] {
        let path = NSTemporaryDirectory() + "bounceplan-tsv-\(UUID().uuidString).tsv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(input.utf8).write(to: URL(fileURLWithPath: path))
        let result = try ProgramRunner.run("/bin/sh", ["-c", "exec \"$0\" classify --tsv < \"$1\"", ProgramRunner.bounceplanPath, path])
        #expect(result.exited(0), "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// A multi-line reply written on one line with `\n` escapes (as COPY and the corpus write it) reads
    /// as the reply itself: its `550-5.1.1` continuation prefixes are skipped, its words matched.
    @Test func escapedLineBreaksReadAsTheMultiLineReply() throws {
        let reply = ["550-5.1.1 The email account that you tried to reach does not exist. Please try",
                     "550-5.1.1 double-checking the recipient's email address for typos or",
                     "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"]
        let classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
        let direct = classifier.classify(BounceResponse(diagnostic: reply.joined(separator: "\n")))
        let answers = try Self.classifyStream("\t\t" + reply.joined(separator: "\\n") + "\n" + "\t\ta\\\\b \\q 550 5.1.1 user unknown\n")
        #expect(answers.count == 2)
        #expect(answers.first == "\(direct.category.rawValue)\t\(direct.reason)\t\(direct.ruleID)")
        #expect(direct.category == .suppress)
        let backslashes = classifier.classify(BounceResponse(diagnostic: "a\\b \\q 550 5.1.1 user unknown"))
        #expect(answers.last == "\(backslashes.category.rawValue)\t\(backslashes.reason)\t\(backslashes.ruleID)")
    }

    /// A line seen before is answered from memory (`LineAnswerCache`): the answer must be the one the
    /// line gets on its own, for lines that differ in one byte anywhere, lines around the longest
    /// remembered length, short and empty lines, escapes (resolved in place after the lookup) and CRLF,
    /// each repeated many times among the others.
    @Test func rememberedLinesAnswerAsTheFirstTime() throws {
        let classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
        let texts = Array(Set(classifier.rules.flatMap(\.examples).map {
            $0.diagnostic.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        })).sorted().prefix(400)
        var distinct: [String] = ["", "\t\t", "5", "550", "\t\t550 5.1.1", "550\t5.1.1\t", "550\t5.1.1\tuser unknown\r",
                                  "\t\t550-5.1.1 no such\\n550 5.1.1 user", "\t\t550-5.1.1 no such\\r\\n550 5.1.1 user",
                                  "\t\tmailbox full\\tquota", "\t\tmailbox full\tquota"]
        for text in texts {
            distinct.append("\t\t" + text)
            distinct.append("550\t5.1.1\t" + text)
            // One byte changed in the middle and at the end.
            var bytes = Array(text.utf8)
            if bytes.count > 2 {
                bytes[bytes.count / 2] = bytes[bytes.count / 2] == 0x78 ? 0x79 : 0x78
                distinct.append("\t\t" + String(decoding: bytes, as: UTF8.self))
                bytes[bytes.count - 1] = 0x21
                distinct.append("\t\t" + String(decoding: bytes, as: UTF8.self))
            }
        }
        // Around the longest remembered line (256 bytes).
        let long = String(repeating: "mailbox unavailable, over quota and try again later; ", count: 6)
        for length in 250...262 { distinct.append("452\t4.2.2\t" + String(long.prefix(length - 10))) }
        var random = SplitMix64(seed: 7)
        let lines = (0..<30_000).map { _ in distinct[Int(random.next() % UInt64(distinct.count))] }
        let answers = try Self.classifyStream(lines.joined(separator: "\n") + "\n")
        #expect(answers.count == lines.count)
        var expected: [String: String] = [:]
        var wrong: [String] = []
        for (index, line) in lines.enumerated() where index < answers.count {
            let want = expected[line] ?? Self.expected(line, classifier)
            expected[line] = want
            if answers[index] != want { wrong.append("line \(index + 1): got \(answers[index]), want \(want)") }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
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
