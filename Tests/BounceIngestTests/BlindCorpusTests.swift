import BounceClassification
import BounceIngest
import Foundation
import TestSupport
import Testing

/// Measures the ingest on bounce emails its authors never read (Tests/BounceIngestBlind, see its README).
/// Prints aggregate figures only; the floors are loose so the suite stays green while the
/// figures report the truth.
@Suite("Blind ingest corpus")
struct BlindCorpusTests {
    static let corpus = BlindCorpus.load()

    @Test("every blind message has expectations and every expectation names a message")
    func corpusIsConsistent() {
        let files = Set(Self.corpus.messageFiles)
        let described = Set(Self.corpus.expectations.map(\.file))
        #expect(files.count >= 120)
        #expect(files == described)
    }

    @Test("the ingest finds most failed recipients of the blind messages and invents almost none")
    func blindFigures() throws {
        let classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
        let score = BlindScore.measure(Self.corpus, outcome: { file in
            guard let data = FileManager.default.contents(atPath: BlindCorpus.folder.appendingPathComponent(file).path) else {
                return .unreadable(reason: "missing file")
            }
            return parseMessage([UInt8](data))
        }, suppresses: { event in
            classifier.classify(BounceResponse(
                smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
                recipientDomain: event.recipient.split(separator: "@").last.map(String.init))).category == .suppress
        })
        print(score.report)
        #expect(score.messages >= 120)
        #expect(score.recall >= 50)
        #expect(score.phantomShare <= 5)
    }
}
