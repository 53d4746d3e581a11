import Foundation
import Testing

@testable import BounceIngest

/// Issue 13's robustness demands for every service: wrong types, recipients that are no address,
/// truncation anywhere, a 10 MB field and 100,000 levels of nesting. Each costs only itself: the
/// valid notification after it is still read, and nothing becomes a phantom recipient.
@Suite("Hostile webhook input, per service")
struct WebhookHostileInputTests {
    /// One valid bounce per service, for `valid@example.com`.
    static func valid(_ service: WebhookService) -> String {
        switch service {
        case .ses:
            #"{"notificationType":"Bounce","bounce":{"feedbackId":"ok-1","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"valid@example.com","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"messageId":"m-ok"}}"#
        case .sendgrid:
            #"{"event":"bounce","sg_event_id":"ok-1","email":"valid@example.com","reason":"550 5.1.1 user unknown","status":"5.1.1"}"#
        case .mailgun:
            #"{"event-data":{"event":"failed","severity":"permanent","id":"ok-1","recipient":"valid@example.com","delivery-status":{"code":550,"message":"5.1.1 user unknown"}}}"#
        case .postmark:
            #"{"RecordType":"Bounce","ID":1,"Type":"HardBounce","TypeCode":1,"Email":"valid@example.com","Details":"550 5.1.1 user unknown"}"#
        case .sparkpost:
            #"[{"msys":{"message_event":{"type":"bounce","event_id":"ok-1","rcpt_to":"valid@example.com","bounce_class":"10","raw_reason":"550 5.1.1 user unknown","error_code":"550"}}}]"#
        }
    }

    /// Notifications whose fields have the wrong type, or whose recipient is no address: refused
    /// with a reason naming what is wrong.
    static let unusable: [(WebhookService, String, String)] = [
        (.ses, #"{"notificationType":"Bounce","bounce":{"feedbackId":"f1","bouncedRecipients":"a@example.com"}}"#, "without bouncedRecipients"),
        (.ses, #"{"notificationType":"Bounce","bounce":{"feedbackId":"f2","bouncedRecipients":[{"emailAddress":5}]}}"#, "has no domain"),
        (.ses, #"{"notificationType":"Bounce","bounce":{"feedbackId":"f3","bouncedRecipients":[{"emailAddress":{"a":1}}]}}"#, "without a recipient address"),
        (.ses, #"{"notificationType":"Bounce","bounce":[1,2]}"#, "without a bounce object"),
        (.ses, #"{"notificationType":7}"#, "no notificationType or eventType"),
        (.ses, #"{"notificationType":"Delivery","delivery":{"recipients":[null]},"mail":{"messageId":"d1"}}"#, "without a recipient address"),
        (.ses, #"{"Type":"Notification","MessageId":"s1","Message":{"notificationType":"Bounce"}}"#, "without a Message string"),
        (.ses, #"{"Type":"Notification","MessageId":"s2","Message":"{\"notificationType\":\"Bounce\","}"#, "not valid JSON"),
        (.sendgrid, #"{"event":"bounce","sg_event_id":"g1","email":"|/usr/bin/procmail"}"#, "is a pipe command"),
        (.sendgrid, #"{"event":"bounce","sg_event_id":"g2","email":"/var/mail/ruth"}"#, "is a file path"),
        (.sendgrid, #"{"event":"delivered","sg_event_id":"g3","email":true}"#, "without a recipient address"),
        (.mailgun, #"{"event-data":"failed"}"#, "no event-data.event field"),
        (.mailgun, #"{"event-data":{"event":"failed","severity":"permanent","id":"x1","recipient":"@mx.example.net"}}"#, "host fragment"),
        (.mailgun, #"{"event-data":{"event":"failed","severity":"permanent","id":"x2","recipient":["a@example.com"]}}"#, "without a recipient address"),
        (.postmark, #"{"RecordType":"Bounce","ID":2,"Type":"HardBounce","Email":"ruth"}"#, "has no domain"),
        (.postmark, #"{"RecordType":"Bounce","ID":3,"Type":"HardBounce","Email":["a@example.com"]}"#, "without a recipient address"),
        (.postmark, #"{"RecordType":["Bounce"],"Email":"c@example.com"}"#, "no RecordType field"),
        (.sparkpost, #"[{"msys":{"message_event":"bounce"}}]"#, "no msys.message_event.type field"),
        (.sparkpost, #"[{"msys":{"message_event":{"type":"bounce","event_id":"e1","rcpt_to":12345}}}]"#, "has no domain"),
        (.sparkpost, #"[{"msys":{"message_event":{"type":"bounce","event_id":"e2","rcpt_to":"two words@example.com"}}}]"#, "not shaped like local@domain"),
    ]

    @Test(arguments: unusable)
    func refusedWithAReasonAndTheNextIsRead(_ service: WebhookService, _ document: String, _ reason: String) throws {
        let read = try WebhookRead(service, text: document + "\n" + Self.valid(service) + "\n")
        #expect(read.malformed.isEmpty)
        #expect(read.unusable.count == 1)
        #expect(read.unusable.first?.contains(reason) == true, "\(read.unusable)")
        #expect(read.events.map(\.event.recipient) == ["valid@example.com"])
    }

    /// Fields of the wrong type beside a usable recipient: the event is kept without them.
    @Test(arguments: [
        (WebhookService.ses, #"{"notificationType":"Bounce","bounce":{"feedbackId":"w1","bounceType":["Permanent"],"timestamp":[5],"bouncedRecipients":[{"emailAddress":"w@example.com","status":{"code":"5.1.1"},"diagnosticCode":["550"]}]},"mail":{"messageId":{"id":1}}}"#),
        (.mailgun, #"{"event-data":{"event":"failed","severity":"permanent","id":"w2","recipient":"w@example.com","timestamp":"noon","delivery-status":"550 no","envelope":[1]}}"#),
        (.postmark, #"{"RecordType":"Bounce","ID":{"n":4},"Type":5,"Email":"w@example.com","Details":null,"BouncedAt":[]}"#),
        (.sparkpost, #"[{"msys":{"message_event":{"type":"bounce","event_id":"w3","rcpt_to":"w@example.com","error_code":"abc","bounce_class":[10],"raw_reason":{"a":1},"timestamp":{}}}}]"#),
    ])
    func fieldsOfTheWrongTypeAreLeftOut(_ service: WebhookService, _ document: String) throws {
        let read = try WebhookRead(service, text: document)
        #expect(read.malformed.isEmpty && read.unusable.isEmpty)
        let event = try read.event("w@example.com").event
        #expect(event.smtpCode == nil)
        #expect(event.enhancedStatus == nil)
        #expect(event.occurredAt == nil)
        #expect(event.messageID == nil)
        #expect(!event.diagnostic.isEmpty)
    }

    static let fixtures: [(WebhookService, String)] = [
        (.ses, "ses_events.ndjson"), (.ses, "ses_bounce_sns.json"), (.ses, "ses_notification.eml"),
        (.sendgrid, "sendgrid_batch.json"), (.mailgun, "mailgun_failed.json"), (.mailgun, "mailgun_events.ndjson"),
        (.postmark, "postmark_bounce.json"), (.postmark, "postmark_events.ndjson"), (.sparkpost, "sparkpost_batch.json"),
    ]

    /// A file cut anywhere (a crashed writer, a full disk) gives only events of the whole file, and the
    /// cut is named when it falls inside a notification.
    @Test(arguments: fixtures)
    func everyTruncationGivesOnlyTrueEvents(_ service: WebhookService, _ fixture: String) throws {
        let bytes = try WebhookRead.fixtureBytes(fixture)
        let whole = try WebhookRead(service, fixture: fixture)
        let truth = Set(whole.events.map(\.event))
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + fixture
        for length in stride(from: 1, to: bytes.count, by: 23) {
            try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: path))
            var events: [IngestedEvent] = []
            var problems = 0
            try WebhookReader(service: service).read(path: path) { record in
                switch record {
                case .item(.event(let event), _): events.append(event.event)
                case .item(.unusable, _), .malformed: problems += 1
                case .item(.skipped, _): break
                }
            }
            #expect(events.allSatisfy(truth.contains), "\(fixture) cut at \(length): \(events.map(\.recipient))")
            if events.count < truth.count, !fixture.hasSuffix(".eml") {
                #expect(problems > 0, "\(fixture) cut at \(length) lost events without saying so")
            }
        }
    }

    /// A 10 MB string in the field each service puts the reply in is refused (over the 8 MiB limit)
    /// and named; the notification after it is read.
    @Test(arguments: WebhookService.allCases)
    func aTenMegabyteFieldIsRefusedAndTheNextIsRead(_ service: WebhookService) throws {
        let huge = String(repeating: "x", count: 10_000_000)
        let valid = Self.valid(service)
        let document = valid.replacing("user unknown", with: huge).replacing("valid@", with: "huge@")
        let read = try WebhookRead(service, file: document + "\n" + valid + "\n")
        #expect(read.malformed.map(\.message) == ["a JSON value longer than 8388608 bytes; skipped"])
        #expect(read.malformed.first?.location == "file:1")
        #expect(read.events.map(\.event.recipient) == ["valid@example.com"])
    }

    @Test func aTenMegabyteNotificationInsideAnSNSEnvelopeIsRefused() throws {
        let inner = Self.valid(.ses).replacing("user unknown", with: String(repeating: "x", count: 10_000_000))
        let escaped = inner.replacing("\"", with: "\\\"")
        let envelope = #"{"Type":"Notification","MessageId":"big-1","Message":""# + escaped + "\"}"
        let read = try WebhookRead(.ses, file: envelope + "\n" + Self.valid(.ses) + "\n")
        #expect(read.malformed.map(\.message) == ["a JSON value longer than 8388608 bytes; skipped"])
        #expect(read.events.map(\.event.recipient) == ["valid@example.com"])
    }

    /// 100,000 nested arrays (or objects) never reach the stack: refused at 64 levels, named, and
    /// the next notification is read. Also where SES hides JSON inside a string or an email.
    @Test(arguments: WebhookService.allCases)
    func a100000LevelNestingIsRefusedAndTheNextIsRead(_ service: WebhookService) throws {
        let arrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let objects = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let read = try WebhookRead(service, file: [arrays, objects, Self.valid(service)].joined(separator: "\n") + "\n")
        #expect(read.malformed.count == 2)
        #expect(read.malformed.allSatisfy { $0.message.contains("nested deeper than 64 levels") }, "\(read.malformed)")
        #expect(read.events.map(\.event.recipient) == ["valid@example.com"])
    }

    @Test(arguments: ["[", #"{\"a\":"#])
    func deepNestingInsideAnSNSMessageIsNamed(_ opener: String) throws {
        let message = String(repeating: opener, count: 100_000)
        let envelope = #"{"Type":"Notification","MessageId":"deep-1","Message":""# + message + "\"}"
        let read = try WebhookRead(.ses, text: envelope + "\n" + Self.valid(.ses) + "\n")
        #expect(read.unusable.count == 1)
        #expect(read.unusable.first?.contains("nested deeper than 64 levels") == true, "\(read.unusable)")
        #expect(read.events.map(\.event.recipient) == ["valid@example.com"])
    }

    @Test func deepNestingInAnSESEmailIsNamed() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/deep.eml"
        let body = String(repeating: #"{"a":"#, count: 100_000)
        try Fixtures.write("From: no-reply@sns.amazonaws.com\nSubject: AWS Notification Message\n\n\(body)\n", to: path)
        var problems: [String] = []
        try WebhookReader(service: .ses).read(path: path) { record in
            if case .malformed(_, let message) = record { problems.append(message) }
        }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("nested deeper than 64 levels") == true, "\(problems)")
    }
}
