import Foundation
import Testing

@testable import BounceIngest

@Suite struct OutcomeTests {
    @Test(arguments: ["ooo_german.eml", "autoreply_header.eml", "ooo_french.eml"])
    func autoRepliesAreNotFailures(_ file: String) throws {
        #expect(parseMessage(try Fixtures.bytes(file)) == .autoReply)
    }

    @Test(arguments: [
        "Auto-Submitted: auto-replied\nSubject: Re: Autumn sale",
        "X-Autorespond: yes\nSubject: Re: Autumn sale",
        "Precedence: auto_reply\nSubject: Re: Autumn sale",
        "Subject: Out of Office: Autumn sale",
        "Subject: Automatic reply: Autumn sale",
        "Subject: =?utf-8?q?R=C3=A9ponse_automatique_:_Soldes?=",
    ])
    func autoReplyMarkers(_ headers: String) {
        let text = "From: pat@example.com\nTo: news@sender.example\n\(headers)\n\nI am away.\n"
        #expect(parseMessage(Array(text.utf8)) == .autoReply)
    }

    @Test func autoSubmittedNoIsNotAnAutoReply() {
        let text = "From: pat@example.com\nAuto-Submitted: no\nSubject: Question\n\nHello.\n"
        #expect(parseMessage(Array(text.utf8)).reason?.contains("no auto-reply marker") == true)
    }

    @Test func vacationReplyWithNullReturnPathIsAnAutoReply() {
        let text = "Return-Path: <>\nFrom: pat@example.com\nSubject: Away until Monday\nAuto-Submitted: auto-replied (vacation)\n\nI am away.\n"
        #expect(parseMessage(Array(text.utf8)) == .autoReply)
    }

    @Test func ordinaryReplyIsNotABounce() throws {
        let outcome = parseMessage(try Fixtures.bytes("not_a_bounce.eml"))
        guard case .notABounce(let reason) = outcome else {
            Issue.record("expected notABounce, got \(outcome)")
            return
        }
        #expect(reason.contains("no delivery status report"))
    }

    @Test func feedbackReportBecomesAComplaint() throws {
        let events = parseMessage(try Fixtures.bytes("arf.eml")).events
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .complaint)
        #expect(event.recipient == "leo@example.com")
        #expect(event.messageID == "campaign-77.leo@sender.example")
        #expect(event.campaignID == "autumn-sale-2026")
        #expect(event.sender == "bounces+50@sender.example")
        #expect(event.remoteMTA == "mail.feedback.example.com")
        #expect(event.diagnostic == "complaint: feedback type abuse, reported by SomeGenerator/1.0")
        #expect(event.occurredAt == MailDate.parse("Sat, 28 Nov 2026 03:12:41 +0000"))
        #expect(event.smtpCode == nil)
    }

    @Test func feedbackReportWithoutRcptToUsesTheOriginalTo() throws {
        let text = String(decoding: try Fixtures.bytes("arf.eml"), as: UTF8.self)
            .replacingOccurrences(of: "Original-Rcpt-To: <leo@example.com>\n", with: "")
        let event = try #require(parseFeedbackReport(Array(text.utf8)).events.first)
        #expect(event.recipient == "leo@example.com")
    }

    @Test func redactedComplainantIsNeverReported() throws {
        let text = String(decoding: try Fixtures.bytes("arf.eml"), as: UTF8.self)
            .replacingOccurrences(of: "Original-Rcpt-To: <leo@example.com>\n", with: "")
            .replacingOccurrences(of: "To: Leo <leo@example.com>", with: "To: redacted@example.com")
        let reason = parseMessage(Array(text.utf8)).reason
        #expect(reason == "feedback report names no usable recipient: none given, or redacted (original Message-ID campaign-77.leo@sender.example)")
    }

    @Test func authFailureReportIsNotAComplaint() throws {
        let text = String(decoding: try Fixtures.bytes("arf.eml"), as: UTF8.self)
            .replacingOccurrences(of: "Feedback-Type: abuse", with: "Feedback-Type: auth-failure")
        #expect(parseMessage(Array(text.utf8)).reason?.contains("authentication failure") == true)
    }

    @Test func explicitFormatsRejectTheOtherKind() throws {
        #expect(parseFeedbackReport(try Fixtures.bytes("dsn_postfix.eml")) == .notABounce(reason: "no message/feedback-report part"))
        #expect(parseMessage(try Fixtures.bytes("arf.eml"), format: .arf).events.count == 1)
        #expect(parseMessage(try Fixtures.bytes("exim.eml"), format: .dsn).events.count == 1)
    }

    @Test func successNoticeIsNotABounce() throws {
        let text = """
            From: MAILER-DAEMON@mail.sender.example
            Subject: Successful Mail Delivery Report
            Content-Type: multipart/report; report-type=delivery-status; boundary="ok"

            --ok
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.sender.example

            Final-Recipient: rfc822; paul@example.com
            Action: delivered
            Status: 2.0.0
            --ok--

            """
        #expect(parseMessage(Array(text.utf8)) == .notABounce(reason: "delivery status report with no failed or delayed recipient"))
    }

    @Test func bounceLookingMessageWithoutRecipientIsUnreadable() {
        let text = "From: MAILER-DAEMON@mail.sender.example\nSubject: Undelivered Mail Returned to Sender\n\nSomething went wrong.\n"
        #expect(parseMessage(Array(text.utf8)).reason?.contains("names no failed recipient") == true)
    }
}
