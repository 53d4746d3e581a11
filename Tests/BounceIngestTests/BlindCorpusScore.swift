import BounceIngest
import Foundation

/// One row of Blind/expected.tsv: a failed (or complained-about) recipient of one blind message,
/// or a row with an empty recipient for a message that must yield no event.
struct BlindExpectation: Sendable {
    let file: String
    let recipient: String
    let kind: String
    let smtpCode: Int?
    let enhancedStatus: String?
    let hard: Bool

    var expectsEvent: Bool { !recipient.isEmpty && kind != "none" }
}

/// The blind corpus on disk: the messages (by file name) and what each must yield.
/// Read by path from Tests/BounceIngestBlind, outside every target folder, so it is neither bundled
/// nor reported by SwiftPM as an unhandled file.
struct BlindCorpus: Sendable {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("BounceIngestBlind")

    let messageFiles: [String]
    let expectations: [BlindExpectation]

    static func load() -> BlindCorpus {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let messages = names.filter { $0.hasSuffix(".eml") }.sorted()
        let table = (try? String(contentsOf: folder.appendingPathComponent("expected.tsv"), encoding: .utf8)) ?? ""
        var rows: [BlindExpectation] = []
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 7 else { continue }
            rows.append(BlindExpectation(
                file: fields[0], recipient: normalised(fields[1]), kind: fields[2],
                smtpCode: Int(fields[3]), enhancedStatus: fields[4].isEmpty ? nil : fields[4], hard: fields[5] == "yes"))
        }
        return BlindCorpus(messageFiles: messages, expectations: rows)
    }

    /// The file names listed in latest-refill.txt: the messages added by the most recent refill,
    /// whose figures are reported separately so a refill's difficulty stays visible.
    static func latestRefill() -> Set<String> {
        let list = (try? String(contentsOf: folder.appendingPathComponent("latest-refill.txt"), encoding: .utf8)) ?? ""
        return Set(list.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// The part of the corpus made of the given messages and their expectations.
    func restricted(to files: Set<String>) -> BlindCorpus {
        BlindCorpus(messageFiles: messageFiles.filter(files.contains), expectations: expectations.filter { files.contains($0.file) })
    }

    static func normalised(_ address: String) -> String {
        address.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t")).lowercased()
    }
}

/// Aggregate agreement between the parser's events and the expectations. Holds counts and file
/// names only, never a message's text, so that reporting it cannot leak the blind set.
struct BlindScore: Sendable {
    var messages = 0
    var expectedRecipients = 0
    var found = 0
    var kindAgrees = 0
    var codeComparable = 0
    var codeAgrees = 0
    var hardExpected = 0
    var hardFound = 0
    /// Hard bounces found whose event the classifier suppresses: what the sealed measurement calls
    /// "hard bounces suppressed" (ingest and classification together).
    var hardSuppressed = 0
    var events = 0
    var phantoms = 0
    var silentBounces: [String] = []
    var filesWithMisses: [String] = []
    /// Files with a hard bounce that was found but not suppressed, or not found at all.
    var filesWithUnsuppressedHardBounces: [String] = []
    /// Files where a found recipient's reply code or enhanced status differs from the expected one.
    var filesWithCodeDisagreements: [String] = []
    /// Files with an event whose recipient no expectation names (a phantom).
    var filesWithPhantoms: [String] = []

    static func measure(_ corpus: BlindCorpus, outcome: (String) -> MessageOutcome,
                        suppresses: (IngestedEvent) -> Bool = { _ in false }) -> BlindScore {
        var score = BlindScore()
        let byFile = Dictionary(grouping: corpus.expectations, by: \.file)
        for file in corpus.messageFiles {
            score.messages += 1
            let expected = (byFile[file] ?? []).filter(\.expectsEvent)
            let events = outcome(file).events
            score.events += events.count
            let wanted = Set(expected.map(\.recipient))
            let phantoms = events.filter { !wanted.contains(BlindCorpus.normalised($0.recipient)) }.count
            score.phantoms += phantoms
            if phantoms > 0 { score.filesWithPhantoms.append(file) }
            if !expected.isEmpty && events.isEmpty { score.silentBounces.append(file) }
            var missed = false
            var unsuppressed = false
            var codeDisagrees = false
            for row in expected {
                score.expectedRecipients += 1
                if row.hard { score.hardExpected += 1 }
                guard let event = events.first(where: { BlindCorpus.normalised($0.recipient) == row.recipient }) else {
                    missed = true
                    if row.hard { unsuppressed = true }
                    continue
                }
                score.found += 1
                if event.kind.rawValue == row.kind { score.kindAgrees += 1 }
                if row.hard && event.kind == .bounce {
                    score.hardFound += 1
                    if suppresses(event) { score.hardSuppressed += 1 } else { unsuppressed = true }
                } else if row.hard {
                    unsuppressed = true
                }
                if row.smtpCode != nil || row.enhancedStatus != nil {
                    score.codeComparable += 1
                    let codeMatches = row.smtpCode.map { $0 == event.smtpCode } ?? true
                    let statusMatches = row.enhancedStatus.map { $0 == event.enhancedStatus } ?? true
                    if codeMatches && statusMatches { score.codeAgrees += 1 } else { codeDisagrees = true }
                }
            }
            if missed { score.filesWithMisses.append(file) }
            if unsuppressed { score.filesWithUnsuppressedHardBounces.append(file) }
            if codeDisagrees { score.filesWithCodeDisagreements.append(file) }
        }
        return score
    }

    var recall: Double { Self.percent(found, of: expectedRecipients) }
    var phantomShare: Double { Self.percent(phantoms, of: events) }
    var kindShare: Double { Self.percent(kindAgrees, of: found) }
    var codeShare: Double { Self.percent(codeAgrees, of: codeComparable) }
    var hardSuppressedShare: Double { Self.percent(hardSuppressed, of: hardExpected) }

    static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    /// The figures, one per line, then the missed files on one line.
    var report: String {
        """
        blind ingest corpus: \(messages) messages, \(expectedRecipients) expected failed recipients
          found: \(found) (recall \(recall) %)
          phantom recipients: \(phantoms) of \(events) events (\(phantomShare) %)
          kind agreement: \(kindAgrees) of \(found) found (\(Self.percent(kindAgrees, of: found)) %)
          status-code agreement: \(codeAgrees) of \(codeComparable) comparable (\(Self.percent(codeAgrees, of: codeComparable)) %)
          hard bounces found: \(hardFound) of \(hardExpected) (\(Self.percent(hardFound, of: hardExpected)) %)
          hard bounces found and suppressed by the default rules: \(hardSuppressed) of \(hardExpected) (\(Self.percent(hardSuppressed, of: hardExpected)) %)
          messages with no event that should have had one: \(silentBounces.count)
          files with a missed recipient (\(filesWithMisses.count)): \(filesWithMisses.joined(separator: " "))
          files with a hard bounce not suppressed (\(filesWithUnsuppressedHardBounces.count)): \(filesWithUnsuppressedHardBounces.joined(separator: " "))
          files with a reply code or status unlike the expected (\(filesWithCodeDisagreements.count)): \(filesWithCodeDisagreements.joined(separator: " "))
          files with a phantom recipient (\(filesWithPhantoms.count)): \(filesWithPhantoms.joined(separator: " "))
        """
    }
}
