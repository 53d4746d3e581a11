import BounceIngest
import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `bounceplan ingest webhook` against a real database: idempotent, verdict kept, failures named.
@Suite("Webhook notifications in the database")
struct WebhookIngestTests {
    static let folder = TestDatabase.repositoryRoot + "/Tests/BounceIngestTests/Messages/webhooks/"
    static let fixtures: [(WebhookService, String, events: Int)] = [
        (.ses, "ses_bounce_sns.json", 2), (.ses, "ses_events.ndjson", 5), (.ses, "ses_notification.eml", 1),
        (.sendgrid, "sendgrid_batch.json", 5), (.mailgun, "mailgun_failed.json", 1), (.mailgun, "mailgun_events.ndjson", 4),
        (.postmark, "postmark_bounce.json", 1), (.postmark, "postmark_events.ndjson", 3), (.sparkpost, "sparkpost_batch.json", 5),
    ]

    static func newEvent(_ webhook: WebhookEvent) -> NewBounceEvent {
        let event = webhook.event
        return NewBounceEvent(
            occurredAt: event.occurredAt.map { ISO8601DateFormatter().string(from: $0) }, recipient: event.recipient,
            sender: event.sender, sourceIP: webhook.sourceIP, messageID: event.messageID, campaignID: event.campaignID,
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
            remoteMTA: event.remoteMTA, kind: event.kind.rawValue, sourceKey: event.sourceKey, reportedVerdict: webhook.verdict)
    }

    func ingestAll(into connection: Connection) throws -> EventBatchWriter {
        let writer = EventBatchWriter(connection: connection, batchSize: 4)
        for (service, name, _) in Self.fixtures {
            try WebhookReader(service: service).read(path: Self.folder + name) { record in
                if case .item(.event(let event), _) = record { try writer.add(Self.newEvent(event)) }
            }
        }
        try writer.flush()
        return writer
    }

    @Test func ingestingEveryFixtureTwiceAddsNothingTheSecondTime() throws {
        let fixture = try StoreFixture()
        let total = Self.fixtures.map(\.events).reduce(0, +)
        let first = try ingestAll(into: fixture.connection)
        #expect(first.inserted == total)
        let second = try ingestAll(into: fixture.connection)
        #expect(second.inserted == 0)
        #expect(second.duplicates == total)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == total)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events WHERE reported_verdict IS NULL") == 0)
        #expect(try fixture.connection.query(
            "SELECT reported_verdict FROM bounce_events WHERE recipient = 'ghost@example.net'").scalar
            == "sparkpost: bounce class 10 (Invalid Recipient)")

        // The planner reads the webhook events like any other: the recipient's fault suppresses, ours does not.
        _ = try fixture.run()
        let suppressed = Set(try fixture.connection.query("SELECT recipient FROM suppressions").rows.compactMap { $0[0] })
        for gone in ["nobody.here@example.net", "no.such.user@example.org", "missing@example.net", "typo@example.com",
                     "ghost@example.net", "annoyed@example.org", "grumpy@example.org", "unhappy@example.org",
                     // On the service's own suppression list (SES OnAccountSuppressionList, Mailgun 605 "previously bounced").
                     "listed@example.com", "known.bad@example.com"] {
            #expect(suppressed.contains(gone), "\(gone) should be suppressed")
        }
        for ours in ["strict@example.net", "picky@example.com", "slow.server@example.net", "happy@example.net"] {
            #expect(!suppressed.contains(ours), "\(ours) should not be suppressed")
        }
    }

    @Test func theCommandIsIdempotentAndExplainShowsTheServiceVerdict() throws {
        let fixture = try StoreFixture()
        let url = fixture.database.settings.conninfo
        let arguments = ["ingest", "webhook", "--format", "sendgrid", Self.folder + "sendgrid_batch.json", "--database-url", url]
        let first = try ProgramRunner.bounceplan(arguments)
        #expect(first.exited(0), "\(first)")
        #expect(first.stdout.contains("read 5 events (4 of other types skipped, 0 problems): stored 5, 0 already stored"), "\(first.stdout)")
        let second = try ProgramRunner.bounceplan(arguments)
        #expect(second.exited(0), "\(second)")
        #expect(second.stdout.contains("stored 0, 5 already stored"), "\(second.stdout)")
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 5)

        let run = try ProgramRunner.bounceplan(["run", "--database-url", url])
        #expect(run.exited(0), "\(run)")
        let explain = try ProgramRunner.bounceplan(["explain", "strict@example.net", "--database-url", url])
        #expect(explain.exited(0), "\(explain)")
        #expect(explain.stdout.contains("service said: sendgrid: bounce (blocked, Reputation)"), "\(explain.stdout)")
    }

    @Test func malformedInputIsNamedAndTheRestIsStoredBeforeExiting1() throws {
        let fixture = try StoreFixture()
        let folder = NSTemporaryDirectory() + "webhooks-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/events.ndjson"
        let lines = [
            #"{"event-data":{"event":"failed","severity":"permanent","id":"A1","recipient":"one@example.com","delivery-status":{"code":550,"message":"5.1.1 no such user"}}}"#,
            #"{"event-data":{"event":"failed","severity":"permanent","id":"A2","recipient":"two@exa"#,
            #"{"event-data":{"event":"failed","severity":"permanent","id":"A3","recipient":"three@example.com","delivery-status":{"code":550,"message":"5.1.1 no such user"}}}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let result = try ProgramRunner.bounceplan(
            ["ingest", "webhook", "--format", "mailgun", path, "/no/such/file.json", "--database-url", fixture.database.settings.conninfo])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("\(path):2: malformed JSON: line break inside a string"), "\(result.stderr)")
        #expect(result.stderr.contains("cannot read /no/such/file.json: no such file"), "\(result.stderr)")
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 2)
    }

    @Test func standardInputIsReadForADash() throws {
        let fixture = try StoreFixture()
        let result = try ProgramRunner.run(
            "/bin/sh", ["-c", ".build/debug/bounceplan ingest webhook --format postmark - < Tests/BounceIngestTests/Messages/webhooks/postmark_events.ndjson"],
            environment: ["DATABASE_URL": fixture.database.settings.conninfo])
        #expect(result.exited(0), "\(result)")
        #expect(result.stdout.contains("read 3 events (2 of other types skipped, 0 problems): stored 3"), "\(result.stdout)")
        #expect(try fixture.count("SELECT count(*) FROM bounce_events WHERE reported_verdict LIKE 'postmark: %'") == 3)
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let result = try ProgramRunner.bounceplan(["ingest", "webhook", "--format", "mandrill", "x.json"])
        #expect(result.exited(2), "\(result)")
    }
}
