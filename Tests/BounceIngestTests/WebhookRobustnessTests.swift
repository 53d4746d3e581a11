import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// Malformed JSON never crashes the reader, is reported with its line, and costs only itself.
@Suite("Malformed webhook JSON")
struct WebhookRobustnessTests {
    static let bounce = #"{"event":"bounce","sg_event_id":"E%d","email":"u%d@example.com","reason":"550 5.1.1 unknown","status":"5.1.1"}"#

    static func line(_ number: Int) -> String {
        bounce.replacing("%d", with: String(number))
    }

    @Test func aBadLineCostsOnlyThatLine() throws {
        let text = [Self.line(1), #"{"event":"bounce","email":"broken@example.com","reason":"550 "#, Self.line(3)].joined(separator: "\n") + "\n"
        let read = try WebhookRead(.sendgrid, text: text)
        #expect(read.events.map(\.event.recipient) == ["u1@example.com", "u3@example.com"])
        #expect(read.malformed.count == 1)
        #expect(read.malformed.first?.location == "test:2")
        #expect(read.malformed.first?.message.contains("line break inside a string") == true)
    }

    @Test func aTruncatedBatchKeepsTheEventsBeforeTheCut() throws {
        let batch = try WebhookRead.fixtureBytes("sendgrid_batch.json")
        let cut = Array(batch.prefix(batch.count * 2 / 3))
        let read = try WebhookRead(.sendgrid, bytes: cut)
        #expect(read.events.count + read.skipped.count >= 5)
        #expect(read.malformed.count == 1)
        #expect(read.malformed.first?.message.contains("truncated") == true)
    }

    static let malformedDocuments: [(String, String)] = [
        (#"{"event":"bounce",}"#, "where a member name should start"),
        (#"{"event" "bounce"}"#, "where ':' should follow a member name"),
        (#"{"event":bounce}"#, "where a value should start"),
        (#"{"event":"bounce" "email":"a@example.com"}"#, "where ',' or '}' should follow"),
        (#"{"a":[1,2,]}"#, "where a value should start"),
        (#"{"a":01}"#, "where ',' or '}' should follow"),
        (#"{"a":-}"#, "a digit should follow"),
        (#"{"a":1.}"#, "a digit should follow"),
        (#"{"a":"\x"}"#, "unknown escape"),
        (#"{"a":"\u12G4"}"#, #"bad \u escape"#),
        (#"{"a":tru}"#, "not true, false or null"),
        ("{\"a\":\"tab\tinside\"}", "unescaped control character"),
        (#"{"a":1"#, "truncated"),
        ("[", "top-level array"),
    ]

    @Test(arguments: malformedDocuments) func malformedJSONIsNamedWithItsLine(_ document: String, _ message: String) throws {
        let read = try WebhookRead(.sendgrid, text: Self.line(1) + "\n" + document + "\n" + Self.line(3) + "\n")
        #expect(read.malformed.count == 1)
        let problem = try #require(read.malformed.first)
        #expect(problem.location == "test:2")
        #expect(problem.message.contains(message), "\(problem.message)")
        // The lines around it are still read (after an unclosed top-level array, as its elements).
        #expect(read.events.first?.event.recipient == "u1@example.com")
        #expect(read.events.last?.event.recipient == "u3@example.com")
    }

    /// A line cut right after a `:`, `,`, `[` or `{` is still open JSON: the next line (valid) must not
    /// be taken as its continuation.
    @Test(arguments: [#"{"event":"bounce","email":"#, #"{"event":"bounce","#, #"{"event":"bounce","x":["#, #"{"event":{"#, "{", "["])
    func aLineCutOpenDoesNotSwallowTheNextOne(_ cut: String) throws {
        for reader in [{ try WebhookRead(.sendgrid, text: $0) }, { try WebhookRead(.sendgrid, file: $0) }] as [(String) throws -> WebhookRead] {
            let read = try reader([Self.line(1), cut, Self.line(3), Self.line(4)].joined(separator: "\n") + "\n")
            #expect(read.events.map(\.event.recipient) == ["u1@example.com", "u3@example.com", "u4@example.com"], "\(cut)")
            #expect(read.malformed.map(\.location).allSatisfy { $0.hasSuffix(":2") }, "\(read.malformed)")
            #expect(read.malformed.count == 1, "\(read.malformed)")
        }
    }

    static let wrongTypes: [(String, String?)] = [
        (#"{"event":5,"email":"a@example.com"}"#, "no event field"),
        (#"{"event":"bounce","email":{"address":"a@example.com"}}"#, "without a recipient"),
        (#"{"event":"bounce","email":["a@example.com"]}"#, "without a recipient"),
        (#"{"event":"bounce","email":null}"#, "without a recipient"),
        (#"{"event":"bounce","email":""}"#, "without a recipient"),
        (#""just a string""#, "not an object"),
        ("42", "not an object"),
        ("null", "not an object"),
    ]

    @Test(arguments: wrongTypes) func wrongTypesAreUnusableNotFatal(_ document: String, _ reason: String?) throws {
        let read = try WebhookRead(.sendgrid, text: document + "\n" + Self.line(2) + "\n")
        #expect(read.malformed.isEmpty)
        #expect(read.unusable.count == 1)
        if let reason { #expect(read.unusable.first?.contains(reason) == true, "\(read.unusable)") }
        #expect(read.events.map(\.event.recipient) == ["u2@example.com"])
    }

    @Test func fieldsOfTheWrongTypeAreIgnored() throws {
        let read = try WebhookRead(.sendgrid, text: #"{"event":"bounce","email":"a@example.com","sg_event_id":12345,"timestamp":"soon","reason":{"x":1},"status":550,"ip":[1]}"#)
        let event = try read.event("a@example.com")
        #expect(event.event.occurredAt == nil)
        #expect(event.event.enhancedStatus == nil)
        #expect(event.sourceIP == nil)
        #expect(event.event.diagnostic == "bounce (bounce)")
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() throws {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        let nestedObject = #"{"event":"bounce","email":"a@example.com","x":"# + String(repeating: #"{"a":"#, count: 100_000)
        let read = try WebhookRead(.sendgrid, text: Self.line(1) + "\n" + deep + "\n" + nestedObject + "\n" + Self.line(4) + "\n")
        #expect(read.malformed.count == 2)
        #expect(read.malformed.allSatisfy { $0.message.contains("nested deeper than 64 levels") })
        #expect(read.events.map(\.event.recipient) == ["u1@example.com", "u4@example.com"])
    }

    @Test func aHugeValueIsSkippedInBoundedMemory() throws {
        let huge = #"{"event":"bounce","email":"big@example.com","reason":""# + String(repeating: "x", count: 20 << 20) + "\"}"
        var chunks = [Array((Self.line(1) + "\n" + huge + "\n" + Self.line(3) + "\n").utf8)]
        var highWater = 0
        let chunk = 64 * 1024
        var reader = JSONStreamReader(maximumValueBytes: 1 << 20) { count in
            guard var rest = chunks.popLast(), !rest.isEmpty else { return [] }
            let piece = Array(rest.prefix(min(count, chunk)))
            rest.removeFirst(piece.count)
            chunks.append(rest)
            return piece
        }
        var values = 0
        var problems: [String] = []
        while let item = try reader.next() {
            highWater = max(highWater, reader.bufferedByteCount)
            switch item {
            case .value: values += 1
            case .malformed(let line, let message): problems.append("\(line): \(message)")
            }
        }
        #expect(values == 2)
        #expect(problems == ["2: a JSON value longer than 1048576 bytes; skipped"])
        #expect(highWater <= (1 << 20) + 2 * chunk)
    }

    @Test func aLargeFieldUnderTheLimitIsKept() throws {
        let reason = "550 5.1.1 " + String(repeating: "y", count: 500_000)
        let read = try WebhookRead(.sendgrid, text: #"{"event":"bounce","email":"a@example.com","reason":""# + reason + "\"}")
        #expect(try read.event("a@example.com").event.diagnostic.count == reason.count)
    }

    @Test func stringsAreUnescaped() throws {
        let read = try WebhookRead(.sendgrid, text: #"{"event":"bounce","email":"\u00e9l\u00e8ve@example.com","reason":"550 5.1.1 \"quoted\" \ud83d\ude00 \/ tab\t end","status":"5.1.1"}"#)
        let event = try read.event("élève@example.com")
        #expect(event.event.diagnostic == "550 5.1.1 \"quoted\" 😀 / tab\t end")
    }

    @Test func arraysOfBatchesAndConcatenatedDocumentsAreRead() throws {
        let text = "[" + Self.line(1) + "," + Self.line(2) + "]\n[[" + Self.line(3) + "]]" + Self.line(4) + "  " + Self.line(5)
        let read = try WebhookRead(.sendgrid, text: text)
        #expect(read.events.map(\.event.recipient) == (1...5).map { "u\($0)@example.com" })
        #expect(read.malformed.isEmpty)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let read = try WebhookRead(.sendgrid, bytes: [0xEF, 0xBB, 0xBF] + Array((Self.line(1) + "\n").utf8))
        #expect(read.events.map(\.event.recipient) == ["u1@example.com"])
        #expect(read.malformed.isEmpty)
    }

    @Test(arguments: ["", "\n\n", "[]", "  [ ]  \n"])
    func emptyAndBlankInputsYieldNothing(_ text: String) throws {
        let read = try WebhookRead(.sendgrid, text: text)
        #expect(read.events.isEmpty && read.malformed.isEmpty && read.unusable.isEmpty)
    }

    @Test(arguments: WebhookHostileInputTests.fixtures.filter { !$0.1.hasSuffix(".eml") })
    func corruptedFixturesNeverCrash(_ service: WebhookService, _ name: String) throws {
        var random = SplitMix64(seed: 0x5EED_0013 &+ UInt64(name.utf8.count))
        let original = try WebhookRead.fixtureBytes(name)
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: index)
                default: bytes.insert(Array("{}[]\",:\\\n".utf8).randomElement(using: &random)!, at: index)
                }
            }
            let read = try WebhookRead(service, bytes: bytes)
            for event in read.events {
                // Damage never turns a fragment into a recipient.
                #expect((try? WebhookEventBuilder.validRecipient(event.event.recipient).get()) == event.event.recipient)
                #expect(event.event.sourceKey.count == 32)
            }
        }
    }

    @Test func sesEmailWithoutJSONIsReported() throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder + "/not-a-notification.eml"
        try Fixtures.write("From: someone@example.com\nSubject: hello\n\nJust words, no JSON.\n", to: path)
        var problems: [String] = []
        try WebhookReader(service: .ses).read(path: path) { record in
            if case .malformed(let location, let message) = record { problems.append("\(location.description): \(message)") }
        }
        #expect(problems == ["\(path): an email without an SES notification (JSON) in its body"])
    }

    @Test func aMissingFileThrowsAndNamesIt() {
        #expect(throws: WebhookReadError.self) {
            try WebhookReader(service: .mailgun).read(path: "/no/such/webhooks.json") { _ in }
        }
    }
}
