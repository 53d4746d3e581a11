import BounceClassification
import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// The messages that left the blind ingest set once their families were named
/// (`Messages/moved-from-blind/`): each is read and classified as `ingest dsn` + `run` would, against
/// the expectations table of that folder's README (recipient, kind, reply code, enhanced status, and
/// whether it is a hard bounce that must end `suppress`).
@Suite struct MovedFromBlindTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var recipient: String
        var kind: String
        var code: Int?
        var status: String?
        var hard: Bool
        var description: String { "\(file) → \(recipient)" }
    }

    static let folder = "Messages/moved-from-blind"

    /// The rows of the README's table: `| \`file\` | recipient | kind | code | status | hard | source |`.
    static let expectations: [Expectation] = {
        guard let url = Bundle.module.url(forResource: "README.md", withExtension: nil, subdirectory: folder),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6 else { return nil }
            return Expectation(
                file: cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")), recipient: cells[1].lowercased(), kind: cells[2],
                code: Int(cells[3]), status: cells[4].isEmpty ? nil : cells[4], hard: cells[5] == "yes")
        }
    }()

    /// Hard bounces by the writer's label whose reply the rules deliberately keep from suppressing, by a
    /// decision documented in Config/rules/README.md ("Temporary DNS failures never suppress, even under a
    /// 5.x.x status": Postfix's "Host not found, try again" under 5.4.4 is `retry` / `dns_temporary`; the
    /// planner's persistent-soft-bounce escalation suppresses such an address once it keeps failing).
    static let documentedRetries: [String: String] = [
        "hanako.y@dokomo.example.ne.jp": "dns_temporary",
        "other@nonexistent-isp.example": "dns_temporary",
    ]

    static let classifier = Result { try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules") }

    static func events(of file: String) throws -> [IngestedEvent] {
        let url = try #require(Bundle.module.url(forResource: file, withExtension: nil, subdirectory: folder))
        return parseMessage([UInt8](try Data(contentsOf: url))).events
    }

    @Test func theTableCoversEveryMessageInTheFolder() throws {
        let url = try #require(Bundle.module.url(forResource: "README.md", withExtension: nil, subdirectory: Self.folder))
        let messages = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasSuffix(".eml") }
        #expect(messages.count == 19)
        #expect(Set(Self.expectations.map(\.file)) == Set(messages))
    }

    @Test(arguments: expectations.filter { $0.kind != "none" })
    func theRecipientIsFoundWithItsKindCodeAndStatus(_ expected: Expectation) throws {
        let events = try Self.events(of: expected.file)
        let event = try #require(events.first { $0.recipient.lowercased() == expected.recipient }, "\(expected): \(events.map(\.recipient))")
        #expect(event.kind.rawValue == expected.kind, "\(expected)")
        #expect(event.smtpCode == expected.code, "\(expected): \(event.diagnostic)")
        #expect(event.enhancedStatus == expected.status, "\(expected): \(event.diagnostic)")
        if expected.hard, let decision = Self.documentedRetries[expected.recipient] {
            // The rules' documented decision outranks the writer's label: the event must still be found, with
            // the reply the message gives, and classified as that decision says.
            let verdict = try Self.classifier.get().classify(BounceResponse(
                smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
                recipientDomain: event.recipient.split(separator: "@").last.map(String.init)))
            #expect(verdict.category == .retry && verdict.reason == decision, "\(expected): \(verdict)")
        } else if expected.hard {
            let verdict = try Self.classifier.get().classify(BounceResponse(
                smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
                recipientDomain: event.recipient.split(separator: "@").last.map(String.init)))
            #expect(verdict.category == .suppress, "\(expected): \(event.diagnostic) → \(verdict)")
        }
    }

    @Test(arguments: Set(expectations.map(\.file)).sorted())
    func noOtherRecipientIsInvented(_ file: String) throws {
        // A `none` row (a message that must give no event) names no recipient.
        let expected = Set(Self.expectations.filter { $0.file == file && $0.kind != "none" }.map(\.recipient))
        #expect(Set(try Self.events(of: file).map { $0.recipient.lowercased() }) == expected)
    }
}
