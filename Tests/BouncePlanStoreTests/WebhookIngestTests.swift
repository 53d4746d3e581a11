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

    /// Per service: a file holding a bounce, an open, a cut-off line and a notification whose recipient
    /// is no address. The bounce is stored, the open counted and skipped, both problems named with
    /// `file:line`, the command exits 1; run again, it stores nothing new.
    static let mixedFiles: [(WebhookService, [String])] = [
        (.ses, [
            #"{"notificationType":"Bounce","bounce":{"feedbackId":"mix-1","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"gone@example.com","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"messageId":"mix-m1"}}"#,
            #"{"eventType":"Open","mail":{"messageId":"mix-m2"},"open":{"timestamp":"2026-11-30T10:00:00.000Z"}}"#,
            #"{"notificationType":"Bounce","bounce":{"feedbackId":"mix-3","bouncedRecipients":[{"emailAddress":"cut@exa"#,
            #"{"notificationType":"Bounce","bounce":{"feedbackId":"mix-4","bouncedRecipients":[{"emailAddress":"|/usr/bin/procmail"}]}}"#,
        ]),
        (.sendgrid, [
            #"[{"event":"bounce","sg_event_id":"mix-1","email":"gone@example.com","reason":"550 5.1.1 user unknown","status":"5.1.1"},"#,
            #"{"event":"open","sg_event_id":"mix-2","email":"reader@example.com"}]"#,
            #"{"event":"bounce","sg_event_id":"mix-3","email":"cut@exa"#,
            #"{"event":"bounce","sg_event_id":"mix-4","email":"postmaster"}"#,
        ]),
        (.mailgun, [
            #"{"event-data":{"event":"failed","severity":"permanent","id":"mix-1","recipient":"gone@example.com","delivery-status":{"code":550,"message":"5.1.1 user unknown"}}}"#,
            #"{"event-data":{"event":"opened","id":"mix-2","recipient":"reader@example.com"}}"#,
            #"{"event-data":{"event":"failed","id":"mix-3","recipient":"cut@exa"#,
            #"{"event-data":{"event":"failed","severity":"permanent","id":"mix-4","recipient":"@mx.example.com"}}"#,
        ]),
        (.postmark, [
            #"{"RecordType":"Bounce","ID":9001,"Type":"HardBounce","TypeCode":1,"Email":"gone@example.com","Details":"550 5.1.1 user unknown"}"#,
            #"{"RecordType":"Open","MessageID":"mix-2","Recipient":"reader@example.com"}"#,
            #"{"RecordType":"Bounce","ID":9003,"Email":"cut@exa"#,
            #"{"RecordType":"Bounce","ID":9004,"Type":"HardBounce","Email":12345}"#,
        ]),
        (.sparkpost, [
            #"[{"msys":{"message_event":{"type":"bounce","event_id":"mix-1","rcpt_to":"gone@example.com","bounce_class":"10","raw_reason":"550 5.1.1 user unknown","error_code":"550"}}},"#,
            #"{"msys":{"track_event":{"type":"open","event_id":"mix-2","rcpt_to":"reader@example.com"}}}]"#,
            #"[{"msys":{"message_event":{"type":"bounce","event_id":"mix-3","rcpt_to":"cut@exa"#,
            #"[{"msys":{"message_event":{"type":"bounce","event_id":"mix-4","rcpt_to":"/var/mail/ruth"}}}]"#,
        ]),
    ]

    @Test(arguments: mixedFiles)
    func perServiceTheBounceIsStoredOnceTheOpenSkippedAndEachProblemNamed(_ service: WebhookService, _ lines: [String]) throws {
        let fixture = try StoreFixture()
        let folder = NSTemporaryDirectory() + "webhooks-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/\(service.rawValue).ndjson"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let arguments = ["ingest", "webhook", "--format", service.rawValue, path, "--database-url", fixture.database.settings.conninfo]
        let first = try ProgramRunner.bounceplan(arguments)
        #expect(first.exited(1), "\(first)")
        #expect(first.stdout.contains("read 1 events (1 of other types skipped, 2 problems): stored 1, 0 already stored"), "\(first.stdout)")
        #expect(first.stderr.contains("\(path):3: malformed JSON:"), "\(first.stderr)")
        #expect(first.stderr.contains("\(path):4: a \(service.rawValue) bounce whose recipient"), "\(first.stderr)")
        let second = try ProgramRunner.bounceplan(arguments)
        #expect(second.exited(1), "\(second)")
        #expect(second.stdout.contains("stored 0, 1 already stored"), "\(second.stdout)")
        let rows = try fixture.connection.query("SELECT recipient, smtp_code::text, enhanced_status, reported_verdict FROM bounce_events").rows
        #expect(rows.count == 1)
        #expect(rows.first?[0] == "gone@example.com")
        #expect(rows.first?[1] == "550")
        #expect(rows.first?[2] == "5.1.1")
        #expect(rows.first?[3]?.hasPrefix("\(service.rawValue): ") == true)
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

    @Test func aBadLineOnStandardInputIsNamedAndTheRestStored() throws {
        let fixture = try StoreFixture()
        let good = #"{"RecordType":"Bounce","ID":7001,"Type":"HardBounce","TypeCode":1,"Email":"first@example.com","Details":"550 5.1.1 user unknown"}"#
        let bad = #"{"RecordType":"Bounce","ID":7002,"Email":"#
        let last = good.replacing("7001", with: "7003").replacing("first@", with: "third@")
        let path = NSTemporaryDirectory() + "postmark-\(UUID().uuidString).ndjson"
        try Data(([good, bad, last].joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try ProgramRunner.run(
            "/bin/sh", ["-c", ".build/debug/bounceplan ingest webhook --format postmark - < '\(path)'"],
            environment: ["DATABASE_URL": fixture.database.settings.conninfo])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("<stdin>:2: malformed JSON"), "\(result.stderr)")
        #expect(try fixture.count("SELECT count(*) FROM bounce_events") == 2)
    }

    @Test func anUnknownFormatIsAUsageError() throws {
        let result = try ProgramRunner.bounceplan(["ingest", "webhook", "--format", "mandrill", "x.json"])
        #expect(result.exited(2), "\(result)")
    }
}
