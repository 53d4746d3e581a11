import Foundation
import Testing

@testable import BounceIngest

/// What reading one webhook fixture (or bytes) produced, sorted by kind of record.
struct WebhookRead {
    var events: [WebhookEvent] = []
    var skipped: [String] = []
    var unusable: [String] = []
    var malformed: [(location: String, message: String)] = []

    init(_ service: WebhookService, fixture name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Messages/webhooks"))
        try WebhookReader(service: service).read(path: url.path) { collect($0) }
    }

    init(_ service: WebhookService, text: String, maximumValueBytes: Int = 8 << 20) throws {
        try WebhookReader(service: service, maximumValueBytes: maximumValueBytes).read(bytes: Array(text.utf8), origin: "test") { collect($0) }
    }

    /// Reads `text` from a file, as `ingest webhook FILE` does: streamed, so the size limit applies.
    init(_ service: WebhookService, file text: String) throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/notifications.json"
        try Fixtures.write(text, to: path)
        try WebhookReader(service: service).read(path: path) { record in
            if case .malformed(let location, let message) = record {
                malformed.append((location.description.replacing(path, with: "file"), message))
            } else {
                collect(record)
            }
        }
    }

    init(_ service: WebhookService, bytes: [UInt8]) throws {
        try WebhookReader(service: service).read(bytes: bytes, origin: "test") { collect($0) }
    }

    private mutating func collect(_ record: WebhookRecord) {
        switch record {
        case .item(.event(let event), _): events.append(event)
        case .item(.skipped(let type), _): skipped.append(type)
        case .item(.unusable(let reason), _): unusable.append(reason)
        case .malformed(let location, let message): malformed.append((location.description, message))
        }
    }

    /// The one event for `recipient`.
    func event(_ recipient: String) throws -> WebhookEvent {
        let found = events.filter { $0.event.recipient == recipient }
        try #require(found.count == 1, "expected one event for \(recipient), found \(found.count)")
        return found[0]
    }

    static func fixtureBytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Messages/webhooks"))
        return [UInt8](try Data(contentsOf: url))
    }
}

/// The facts a test expects of one event.
struct ExpectedWebhookEvent: Sendable, CustomTestStringConvertible {
    var recipient: String
    var kind: EventKind
    var code: Int?
    var status: String?
    var textPrefix: String
    var verdict: String

    var testDescription: String { "\(recipient) \(kind.rawValue)" }

    func check(in read: WebhookRead) throws {
        let found = try read.event(recipient)
        #expect(found.event.kind == kind)
        #expect(found.event.smtpCode == code)
        #expect(found.event.enhancedStatus == status)
        #expect(found.event.diagnostic.hasPrefix(textPrefix), "diagnostic: \(found.event.diagnostic)")
        #expect(found.verdict == verdict)
        #expect(found.event.sourceKey.count == 32)
    }
}
