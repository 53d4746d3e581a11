import Foundation
import Testing

@testable import BounceIngest

/// One fixture per service, written from each service's published payload documentation with our own values.
@Suite("Sending services' notifications")
struct WebhookServiceTests {
    static let ses: [ExpectedWebhookEvent] = [
        .init(recipient: "full.box@example.com", kind: .bounce, code: 552, status: "5.2.2",
              textPrefix: "552 5.2.2 Mailbox full", verdict: "ses: Transient bounce (MailboxFull)"),
        .init(recipient: "listed@example.com", kind: .bounce, code: nil, status: nil,
              textPrefix: "Permanent bounce (OnAccountSuppressionList)", verdict: "ses: Permanent bounce (OnAccountSuppressionList)"),
        .init(recipient: "annoyed@example.org", kind: .complaint, code: nil, status: nil,
              textPrefix: "complaint (abuse)", verdict: "ses: complaint (abuse) from ExampleMail-FBL/1.0"),
        .init(recipient: "happy@example.net", kind: .delivery, code: 250, status: "2.0.0",
              textPrefix: "250 2.0.0 OK", verdict: "ses: delivered"),
        .init(recipient: "slow@example.net", kind: .deferral, code: 421, status: "4.4.1",
              textPrefix: "421 4.4.1 Connection timed out", verdict: "ses: delivery delayed (TransientCommunicationFailure)"),
    ]

    @Test(arguments: ses) func sesNotificationsOnePerLine(_ expected: ExpectedWebhookEvent) throws {
        let read = try WebhookRead(.ses, fixture: "ses_events.ndjson")
        try expected.check(in: read)
        #expect(read.events.count == 5)
        #expect(read.skipped.sorted() == ["Open", "Send"])
        #expect(read.malformed.isEmpty && read.unusable.isEmpty)
    }

    @Test func sesBounceInsideAnSNSEnvelope() throws {
        let read = try WebhookRead(.ses, fixture: "ses_bounce_sns.json")
        #expect(read.events.count == 2)
        let unknown = try read.event("nobody.here@example.net")
        #expect(unknown.event.kind == .bounce)
        #expect(unknown.event.smtpCode == 550)
        #expect(unknown.event.enhancedStatus == "5.1.1")
        #expect(unknown.event.diagnostic == "550 5.1.1 <nobody.here@example.net>: Recipient address rejected: User unknown in virtual mailbox table")
        #expect(unknown.verdict == "ses: Permanent bounce (General)")
        #expect(unknown.event.messageID == "0101018c1f2e2b11-aa11bb22-cc33-dd44-ee55-ff6677889900-000000")
        #expect(unknown.event.sender == "news@mail.example.com")
        #expect(unknown.event.remoteMTA == "203.0.113.25")
        #expect(unknown.event.occurredAt == WebhookTime.iso8601("2026-11-27T22:14:05.311Z"))
        // SES copied the To header's display-name form: only the address is kept.
        let disabled = try read.event("closed@example.org")
        #expect(disabled.event.smtpCode == 550)
        #expect(disabled.event.enhancedStatus == "5.2.1")
    }

    @Test func theSameNotificationBareOrEnvelopedHasTheSameKeys() throws {
        let enveloped = try WebhookRead(.ses, fixture: "ses_bounce_sns.json")
        let envelope = try WebhookRead.fixtureBytes("ses_bounce_sns.json")
        var reader = JSONStreamReader(bytes: envelope)
        guard case .value(let document, _)? = try reader.next(), let message = document.root["Message"]?.string else {
            Issue.record("the fixture has no Message")
            return
        }
        let bare = try WebhookRead(.ses, text: message)
        #expect(bare.events.map(\.event.sourceKey) == enveloped.events.map(\.event.sourceKey))
        #expect(Set(bare.events.map(\.event.sourceKey)).count == 2)
    }

    @Test func sesNotificationReceivedByEmail() throws {
        let read = try WebhookRead(.ses, fixture: "ses_notification.eml")
        #expect(read.malformed.isEmpty)
        let gone = try read.event("gone@example.org")
        #expect(gone.event.kind == .bounce)
        #expect(gone.event.smtpCode == 550)
        #expect(gone.event.enhancedStatus == "5.1.1")
        #expect(gone.event.diagnostic == "550-5.1.1 The email account that you tried to reach does not exist.")
        #expect(gone.verdict == "ses: Permanent bounce (NoEmail)")
    }

    @Test func sesNotificationsReceivedByEmailInAnMbox() throws {
        let first = String(decoding: try WebhookRead.fixtureBytes("ses_notification.eml"), as: UTF8.self)
        let second = first.replacing("0102018c20bb0001-mailed-000000", with: "0102018c20bb0002-mailed-000000")
            .replacing("gone@example.org", with: "left@example.net")
        let mbox = "From MAILER-DAEMON Sat Nov 28 12:00:03 2026\n\(first)\nFrom MAILER-DAEMON Sat Nov 28 12:05:09 2026\n\(second)\n"
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/ses.mbox"
        try Fixtures.write(mbox, to: path)
        var events: [WebhookEvent] = []
        var problems: [String] = []
        try WebhookReader(service: .ses).read(path: path) { record in
            switch record {
            case .item(.event(let event), _): events.append(event)
            case .item(.skipped, _): break
            case .item(.unusable(let reason), let location), .malformed(let location, let reason): problems.append("\(location): \(reason)")
            }
        }
        #expect(problems.isEmpty, "\(problems)")
        #expect(events.map(\.event.recipient) == ["gone@example.org", "left@example.net"])
        #expect(events.allSatisfy { $0.event.smtpCode == 550 && $0.event.enhancedStatus == "5.1.1" })
        #expect(events.allSatisfy { $0.verdict == "ses: Permanent bounce (NoEmail)" })
        #expect(Set(events.map(\.event.sourceKey)).count == 2)
    }

    @Test func otherServicesJSONIsNotTakenForSES() throws {
        let read = try WebhookRead(.ses, fixture: "sendgrid_batch.json")
        #expect(read.events.isEmpty)
        #expect(read.unusable.count == 9)
        #expect(read.unusable.allSatisfy { $0.contains("not an Amazon SES notification") })
    }

    static let sendGrid: [ExpectedWebhookEvent] = [
        .init(recipient: "no.such.user@example.org", kind: .bounce, code: 550, status: "5.1.1",
              textPrefix: "550 5.1.1 <no.such.user@example.org>... User unknown", verdict: "sendgrid: bounce (bounce, Invalid Address)"),
        .init(recipient: "strict@example.net", kind: .bounce, code: 554, status: "5.7.1",
              textPrefix: "554 5.7.1 Service unavailable; Client host [192.0.2.77] blocked", verdict: "sendgrid: bounce (blocked, Reputation)"),
        .init(recipient: "slow.server@example.net", kind: .deferral, code: 451, status: "4.7.1",
              textPrefix: "451 4.7.1 Greylisted", verdict: "sendgrid: deferred (attempt 2)"),
        .init(recipient: "new.user@example.com", kind: .delivery, code: 250, status: "2.0.0",
              textPrefix: "250 2.0.0 Ok: queued", verdict: "sendgrid: delivered"),
        .init(recipient: "grumpy@example.org", kind: .complaint, code: nil, status: nil,
              textPrefix: "spam report", verdict: "sendgrid: spam report"),
    ]

    @Test(arguments: sendGrid) func sendGridEventWebhookBatch(_ expected: ExpectedWebhookEvent) throws {
        let read = try WebhookRead(.sendgrid, fixture: "sendgrid_batch.json")
        try expected.check(in: read)
        #expect(read.events.count == 5)
        #expect(read.skipped.sorted() == ["click", "dropped", "open", "processed"])
    }

    @Test func sendGridMessageFieldsAndTime() throws {
        let bounce = try WebhookRead(.sendgrid, fixture: "sendgrid_batch.json").event("no.such.user@example.org")
        #expect(bounce.event.messageID == "Q1w2E3r4T5y6U7i8O9p0aA")
        #expect(bounce.sourceIP == "192.0.2.77")
        #expect(bounce.event.campaignID == "onboarding")
        #expect(bounce.event.occurredAt == Date(timeIntervalSince1970: 1_764_320_000))
    }

    static let mailgun: [ExpectedWebhookEvent] = [
        .init(recipient: "busy@example.org", kind: .deferral, code: 421, status: "4.7.0",
              textPrefix: "4.7.0 Try again later", verdict: "mailgun: failed temporary (reason generic)"),
        .init(recipient: "fine@example.com", kind: .delivery, code: 250, status: nil, textPrefix: "OK", verdict: "mailgun: delivered"),
        .init(recipient: "spam.clicker@example.net", kind: .complaint, code: nil, status: nil,
              textPrefix: "complained", verdict: "mailgun: complained"),
        // 605 is Mailgun's own code, not an SMTP reply: it is not stored as one.
        .init(recipient: "known.bad@example.com", kind: .bounce, code: nil, status: nil,
              textPrefix: "Not delivering to previously bounced address", verdict: "mailgun: failed permanent (reason suppress-bounce)"),
    ]

    @Test(arguments: mailgun) func mailgunEventsOnePerLine(_ expected: ExpectedWebhookEvent) throws {
        let read = try WebhookRead(.mailgun, fixture: "mailgun_events.ndjson")
        try expected.check(in: read)
        #expect(read.events.count == 4)
        #expect(read.skipped == ["opened"])
    }

    @Test func mailgunPermanentFailureWebhook() throws {
        let read = try WebhookRead(.mailgun, fixture: "mailgun_failed.json")
        try ExpectedWebhookEvent(
            recipient: "missing@example.net", kind: .bounce, code: 550, status: "5.1.1",
            textPrefix: "5.1.1 <missing@example.net>: Recipient address rejected: User unknown in local recipient table",
            verdict: "mailgun: failed permanent (reason bounce)"
        ).check(in: read)
        let event = try read.event("missing@example.net")
        #expect(event.event.remoteMTA == "mx1.example.net")
        #expect(event.sourceIP == "198.51.100.61")
        #expect(event.event.sender == "bounces+abc@mg.example.com")
        #expect(event.event.messageID == "20261128091000.1.ABCDEF0123456789@mg.example.com")
    }

    static let postmark: [ExpectedWebhookEvent] = [
        .init(recipient: "unhappy@example.org", kind: .complaint, code: nil, status: nil,
              textPrefix: "The subscriber explicitly marked this message as spam.", verdict: "postmark: SpamComplaint 100001, address deactivated by Postmark"),
        .init(recipient: "reader@example.net", kind: .delivery, code: 250, status: "2.0.0", textPrefix: "250 2.0.0 OK", verdict: "postmark: delivered"),
        .init(recipient: "later@example.com", kind: .deferral, code: 451, status: "4.3.0",
              textPrefix: "451 4.3.0 Temporary system problem", verdict: "postmark: Transient 2"),
    ]

    @Test(arguments: postmark) func postmarkWebhooksOnePerLine(_ expected: ExpectedWebhookEvent) throws {
        let read = try WebhookRead(.postmark, fixture: "postmark_events.ndjson")
        try expected.check(in: read)
        #expect(read.events.count == 3)
        #expect(read.skipped.sorted() == ["Bounce AutoResponder", "Open"])
    }

    @Test func postmarkHardBounceWebhook() throws {
        let read = try WebhookRead(.postmark, fixture: "postmark_bounce.json")
        try ExpectedWebhookEvent(
            recipient: "typo@example.com", kind: .bounce, code: 550, status: "5.1.1",
            textPrefix: "550 5.1.1 The email account that you tried to reach does not exist.",
            verdict: "postmark: HardBounce 1, address deactivated by Postmark"
        ).check(in: read)
        let event = try read.event("typo@example.com")
        #expect(event.event.campaignID == "password-reset")
        #expect(event.event.occurredAt == WebhookTime.iso8601("2026-11-28T14:20:31.4570123Z"))
    }

    @Test func postmarkIDsKeepEveryDigit() throws {
        // Two bounces whose 64-bit ids differ only in the last digit, beyond a double's precision.
        let line = #"{"RecordType":"Bounce","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"Email":"a@example.com","Details":"550 5.1.1 no"}"#
        let read = try WebhookRead(.postmark, text: line + "\n" + line.replacing("775807", with: "775806") + "\n")
        #expect(Set(read.events.map(\.event.sourceKey)).count == 2)
    }

    static let sparkPost: [ExpectedWebhookEvent] = [
        .init(recipient: "ghost@example.net", kind: .bounce, code: 550, status: "5.1.1",
              textPrefix: "550 5.1.1 <Ghost@example.net>: Recipient address rejected: User unknown", verdict: "sparkpost: bounce class 10 (Invalid Recipient)"),
        .init(recipient: "stuffed@example.org", kind: .deferral, code: 452, status: "4.2.2",
              textPrefix: "452 4.2.2 The email account", verdict: "sparkpost: delay class 22 (Mailbox Full)"),
        .init(recipient: "buyer@example.com", kind: .delivery, code: nil, status: nil, textPrefix: "delivered", verdict: "sparkpost: delivered"),
        .init(recipient: "reporter@example.net", kind: .complaint, code: nil, status: nil,
              textPrefix: "spam complaint (abuse)", verdict: "sparkpost: spam complaint (abuse)"),
        .init(recipient: "picky@example.com", kind: .bounce, code: 554, status: "5.7.1",
              textPrefix: "554 5.7.1 Service unavailable", verdict: "sparkpost: bounce class 51 (Spam Block)"),
    ]

    @Test(arguments: sparkPost) func sparkPostEventBatch(_ expected: ExpectedWebhookEvent) throws {
        let read = try WebhookRead(.sparkpost, fixture: "sparkpost_batch.json")
        try expected.check(in: read)
        #expect(read.events.count == 5)
        #expect(read.skipped.sorted() == ["open", "out_of_band class 60"])
        let ghost = try read.event("ghost@example.net")
        #expect(ghost.event.campaignID == "winter-sale")
        #expect(ghost.sourceIP == "192.0.2.133")
        #expect(ghost.event.occurredAt == Date(timeIntervalSince1970: 1_764_349_200))
    }

    @Test(arguments: [
        (WebhookService.ses, "ses_events.ndjson"), (.ses, "ses_bounce_sns.json"), (.ses, "ses_notification.eml"),
        (.sendgrid, "sendgrid_batch.json"), (.mailgun, "mailgun_failed.json"), (.mailgun, "mailgun_events.ndjson"),
        (.postmark, "postmark_bounce.json"), (.postmark, "postmark_events.ndjson"), (.sparkpost, "sparkpost_batch.json"),
    ])
    func readingTwiceGivesTheSameDistinctKeys(_ service: WebhookService, _ fixture: String) throws {
        let first = try WebhookRead(service, fixture: fixture).events.map(\.event.sourceKey)
        let second = try WebhookRead(service, fixture: fixture).events.map(\.event.sourceKey)
        #expect(!first.isEmpty)
        #expect(first == second)
        #expect(Set(first).count == first.count)
    }

    @Test func keysDifferBetweenServicesForTheSameEventID() throws {
        let sendGrid = try WebhookRead(.sendgrid, text: #"{"event":"bounce","sg_event_id":"X1","email":"a@example.com","reason":"550 no"}"#)
        let mailgun = try WebhookRead(.mailgun, text: #"{"event":"failed","severity":"permanent","id":"X1","recipient":"a@example.com"}"#)
        #expect(sendGrid.events.count == 1 && mailgun.events.count == 1)
        #expect(sendGrid.events.first?.event.sourceKey != mailgun.events.first?.event.sourceKey)
    }
}
