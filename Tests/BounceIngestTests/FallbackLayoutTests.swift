import Foundation
import Testing

@testable import BounceIngest

/// Layouts no dialect parser names, read by the structural fallback; each body is written here
/// after the product's documented or commonly quoted notice.
@Suite struct FallbackLayoutTests {
    struct Layout: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var recipient: String
        var code: Int?
        var status: String?
        var diagnostic: String
        var testDescription: String { name }
    }

    static let layouts: [Layout] = [
        Layout(name: "Apache James", body: """
            Hi. This is the James mail server at mx.example.org.
            I'm afraid I wasn't able to deliver your message to the following addresses.

            Failed recipient(s):
            abby@example.org

            Error message:
            550 5.1.1 User unknown
            """, recipient: "abby@example.org", code: 550, status: "5.1.1", diagnostic: "550 5.1.1 User unknown"),
        Layout(name: "Apache James message details", body: """
            Message details:
              Subject: News
              MAIL FROM: news@sender.example
              RCPT TO: bert@example.org
              Size (in bytes): 1024

            Error message below:
            550 - Requested action not taken: no such user here
            """, recipient: "bert@example.org", code: 550, status: nil, diagnostic: "550 - Requested action not taken: no such user here"),
        Layout(name: "Oracle Messaging Server", body: """
            This report relates to a message you sent with the following header fields:

              Subject: News

            Your message cannot be delivered to the following recipients:

              Recipient address: cleo@example.com
              Reason: Remote SMTP server has rejected address
              Diagnostic code: smtp;550 5.1.1 <cleo@example.com>... User unknown
              Remote system: dns;mx.example.com (TCP|198.51.100.7|25|192.0.2.9|25)
            """, recipient: "cleo@example.com", code: 550, status: "5.1.1", diagnostic: "550 5.1.1 <cleo@example.com>... User unknown"),
        Layout(name: "1&1 with a blank line under the address", body: """
            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of
            its recipients. This is a permanent error. The following address
            failed:

            dirk@example.de:

            SMTP error from remote server for RCPT TO command, host: mx.example.de (192.0.2.10) reason: 550 5.1.1 <dirk@example.de>... User unknown
            """, recipient: "dirk@example.de", code: 550, status: "5.1.1", diagnostic: "550 5.1.1 <dirk@example.de>... User unknown"),
        Layout(name: "SurfControl", body: """
            Your message:
               From:    news@sender.example
               Subject: News

            was not delivered to:
               elke@example.com
            because:
               550 5.2.2 Mailbox full
            """, recipient: "elke@example.com", code: 550, status: "5.2.2", diagnostic: "550 5.2.2 Mailbox full"),
        Layout(name: "Lotus Notes, older layout", body: """
            Your message

              Subject: News

            was not delivered to:

              hugo@example.com

            because:

              User hugo (hugo@example.com) not listed in public Name & Address Book
            """, recipient: "hugo@example.com", code: nil, status: nil,
            diagnostic: "User hugo (hugo@example.com) not listed in public Name & Address Book"),
        Layout(name: "Mail Administrator, reason above the address", body: """
            This Message was undeliverable due to the following reason:

            The user(s) account is temporarily over quota.

            <iris@isp.example.jp>

            Please reply to <Postmaster@isp.example.jp>
            if you feel this message to be in error.
            """, recipient: "iris@isp.example.jp", code: nil, status: nil,
            diagnostic: "The user(s) account is temporarily over quota."),
        Layout(name: "McAfee", body: """
            --- The following addresses had delivery problems ---

            <finn@example.com>   (User unknown finn@example.com)

            --- Session Transcript ---
             220 mx.example.com ESMTP
            """, recipient: "finn@example.com", code: nil, status: nil, diagnostic: "User unknown finn@example.com"),
        Layout(name: "KDDI au", body: """
            Your mail sent on: Mon, 30 Nov 2026 21:00:00 +0900
               could not be delivered to the following address(es):

            <gen-k@au.example.jp>

            """, recipient: "gen-k@au.example.jp", code: nil, status: nil, diagnostic: "could not be delivered to the following address(es):"),
    ]

    @Test(arguments: layouts)
    func readsTheRecipient(_ layout: Layout) {
        let message = "From: MAILER-DAEMON@relay.example.net\nTo: news@sender.example\nSubject: Undeliverable mail\n\n" + layout.body + "\n"
        let events = parseMessage(Array(message.utf8)).events
        #expect(events.map(\.recipient) == [layout.recipient])
        #expect(events.first?.smtpCode == layout.code)
        #expect(events.first?.enhancedStatus == layout.status)
        #expect(events.first?.diagnostic == layout.diagnostic)
    }
}
