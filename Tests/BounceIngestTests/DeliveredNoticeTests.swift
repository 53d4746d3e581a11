import Foundation
import Testing

@testable import BounceIngest

/// Notices that a message was delivered after all, or handed on to a system that confirms nothing, come
/// from the mailer daemon and name the recipient: they must give no event (issue 13: no phantom
/// recipients). Written from MDaemon's Retry Queue settings ("Inform the sender when previously delayed
/// messages are delivered", help.mdaemon.com/MDaemon/en/pdc--delivery--retry_queue_settings.html), Sun Java
/// System Messaging Server's `DSN_RELAYED_FORMAT` ("Your message to $a has been relayed to a messaging
/// system which may not provide a final delivery confirmation", docs.oracle.com/cd/E19563-01/819-4428/bgbpg)
/// and Exchange's relay notice, here without its delivery-status part.
@Suite struct DeliveredNoticeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var from: String
        var subject: String
        var body: String
        var testDescription: String { name }
    }

    static func notice(_ item: Case) -> String {
        """
        Return-Path: <>
        From: \(item.from)
        To: writer@sender.example.org
        Subject: \(item.subject)
        Auto-Submitted: auto-generated
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        \(item.body)
        """
    }

    static let cases: [Case] = [
        Case(
            name: "MDaemon, delivered after delay", from: "MDaemon@mail.example.org", subject: "Delivered after delay: Quarterly figures",
            body: "Your message to <ana@example.net>, which was delayed, has finally been delivered.\n\nSubject: Quarterly figures"),
        Case(
            name: "MDaemon, now delivered after a warning", from: "\"MDaemon at mx.example.org\" <MDaemon@mx.example.org>",
            subject: "Delivery Status Notification (Delivered)",
            body: "A warning was sent earlier about your message to ben@example.net.\nThe message has now been delivered to the recipient's server.\nNo further action is required."),
        Case(
            name: "Sun Messaging Server, relayed", from: "Internet Mail Delivery <postmaster@ims.example.org>",
            subject: "Delivery Notification: Delivery has been relayed",
            body: "Your message to carla@example.net has been relayed to a messaging system which may not provide a final delivery confirmation."),
        Case(
            name: "Exchange relay notice pasted as text", from: "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.org>",
            subject: "Relayed: Invoice 42",
            body: "Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:\n\ndan@example.net (dan@example.net)"),
        Case(
            name: "relayed successfully", from: "Mail Delivery System <MAILER-DAEMON@relay.example.org>", subject: "Delivery notification",
            body: "Your message to <eva@example.net> was relayed successfully to mx.example.net [198.51.100.7]."),
    ]

    @Test(arguments: cases)
    func aDeliveredOrRelayedNoticeGivesNoEvent(_ item: Case) {
        let outcome = parseMessage(Array(Self.notice(item).utf8))
        // No event, and not reported as an unreadable bounce either: a notice from a system that does not
        // look like a mailer daemon is an automatic message; one from a mailer daemon is "not a bounce".
        switch outcome {
        case .notABounce(let reason): #expect(reason.contains("delivered"))
        case .autoReply: #expect(!item.from.lowercased().contains("mailer-daemon"))
        default: Issue.record("expected no event, got \(outcome)")
        }
    }

    @Test func theMovedMDaemonNoticeGivesNoEvent() throws {
        let url = try #require(Bundle.module.url(
            forResource: "not_bounce_mdaemon_delayed_message_now_delivered.eml", withExtension: nil, subdirectory: "Messages/moved-from-blind"))
        let outcome = parseMessage([UInt8](try Data(contentsOf: url)))
        #expect(outcome.events.isEmpty, "\(outcome)")
    }

    /// A report that delivered to one recipient and failed for another is still a bounce for the second.
    @Test func aMixedReportKeepsItsFailedRecipient() throws {
        let item = Case(
            name: "mixed", from: "Mail Delivery System <MAILER-DAEMON@relay.example.org>", subject: "Undelivered Mail Returned to Sender",
            body: "Your message was successfully delivered to fay@example.net.\nIt could not be delivered to the following recipient:\n\n<gus@example.net>: host mx.example.net[198.51.100.9] said: 550 5.1.1 <gus@example.net>: User unknown (in reply to RCPT TO command)")
        let events = parseMessage(Array(Self.notice(item).utf8)).events
        #expect(events.map { $0.recipient.lowercased() } == ["gus@example.net"])
        let event = try #require(events.first)
        #expect(event.kind == .bounce)
        #expect(event.smtpCode == 550)
        #expect(event.enhancedStatus == "5.1.1")
    }
}
