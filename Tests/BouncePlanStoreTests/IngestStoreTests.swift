import BounceIngest
import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Ingested events in the database")
struct IngestStoreTests {
    static func newEvent(_ event: IngestedEvent) -> NewBounceEvent {
        NewBounceEvent(
            occurredAt: event.occurredAt.map { ISO8601DateFormatter().string(from: $0) },
            recipient: event.recipient, sender: event.sender, messageID: event.messageID, campaignID: event.campaignID,
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
            remoteMTA: event.remoteMTA, kind: event.kind.rawValue, sourceKey: event.sourceKey)
    }

    func ingestDemoFolder(into connection: Connection) throws -> EventBatchWriter {
        let writer = EventBatchWriter(connection: connection, batchSize: 3)
        try MessageSource(paths: [TestDatabase.repositoryRoot + "/Demo/bounces"]).forEach { item in
            guard case .message(let message) = item else { return }
            for event in parseMessage(message.bytes).events { try writer.add(Self.newEvent(event)) }
        }
        try writer.flush()
        return writer
    }

    @Test func ingestingTheSameMessagesTwiceAddsNothing() throws {
        let fixture = try StoreFixture()
        let first = try ingestDemoFolder(into: fixture.connection)
        #expect(first.inserted == 7)
        #expect(first.duplicates == 0)
        let second = try ingestDemoFolder(into: fixture.connection)
        #expect(second.inserted == 0)
        #expect(second.duplicates == 7)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 7)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events WHERE kind = 'complaint'") == 1)
        let summary = try fixture.run()
        #expect(summary.events == 7)
        #expect(summary.totals["suppress"] == 3)  // two unknown users and the complaint
    }

    @Test func duplicateKeysWithinOneBatchCollapse() throws {
        let fixture = try StoreFixture()
        let event = NewBounceEvent(recipient: "x@example.com", smtpCode: 550, diagnostic: "550 5.1.1 unknown", sourceKey: "k1")
        let result = try fixture.connection.transaction { try EventInserter.insert([event, event, event], into: fixture.connection) }
        #expect(result.inserted == 1)
        #expect(result.duplicates == 2)
    }
}
