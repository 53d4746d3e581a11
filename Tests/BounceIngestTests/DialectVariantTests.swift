import Foundation
import Testing

@testable import BounceIngest

/// Variants of the bounce layouts beyond the one-file-per-format corpus.
@Suite struct DialectVariantTests {
    private func events(_ text: String) -> [IngestedEvent] {
        parseMessage(Array(text.utf8)).events
    }

    @Test func dsnWithSeveralRecipientsGivesOneEventEach() {
        let found = events("""
            From: MAILER-DAEMON@mail.sender.example
            Subject: Undelivered Mail Returned to Sender
            Content-Type: multipart/report; report-type=delivery-status; boundary="m"

            --m
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.sender.example

            Final-Recipient: rfc822; one@example.com
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 unknown

            Final-Recipient: rfc822; two@example.com
            Action: delayed
            Status: 4.4.1
            Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.9]:25: Connection timed out

            Final-Recipient: rfc822; three@example.com
            Action: relayed
            Status: 2.0.0
            --m--

            """)
        #expect(found.map(\.recipient) == ["one@example.com", "two@example.com"])
        #expect(found.map(\.kind) == [.bounce, .deferral])
        #expect(found[1].diagnostic == "connect to mx.example.com[192.0.2.9]:25: Connection timed out")
        #expect(found[1].smtpCode == nil)
        #expect(Set(found.map(\.sourceKey)).count == 2)
    }

    @Test func olderEximLayoutWithHostBeforeTheReply() {
        let found = events("""
            From: Mail Delivery System <Mailer-Daemon@relay.sender.example>
            Subject: Mail delivery failed: returning message to sender

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              quinn@example.com
                SMTP error from remote mail server after RCPT TO:<quinn@example.com>:
                host mx.example.com [192.0.2.30]: 550-5.1.1 The email account does not exist.
                550 5.1.1 Please check the address.
              rita@example.com
                Unrouteable address

            """)
        #expect(found.map(\.recipient) == ["quinn@example.com", "rita@example.com"])
        #expect(found[0].diagnostic == "550-5.1.1 The email account does not exist. 550 5.1.1 Please check the address.")
        #expect(found[0].smtpCode == 550)
        #expect(found[0].remoteMTA == "mx.example.com")
        #expect(found[1].diagnostic == "Unrouteable address")
        #expect(found[1].smtpCode == nil)
    }

    @Test func eximDelayWarningIsADeferral() {
        let found = events("""
            From: Mail Delivery System <Mailer-Daemon@relay.sender.example>
            Subject: Warning: message 1vAbCd-000123-Ef delayed 24 hours

            This message was created automatically by mail delivery software.
            A message that you sent has not yet been delivered to one or more of its
            recipients after more than 24 hours on the queue on relay.sender.example.

              sam@example.com
                host mx.example.com [192.0.2.31]
                Delay reason: SMTP error from remote mail server after RCPT TO:<sam@example.com>:
                451 4.7.1 Greylisted

            """)
        #expect(found.first?.kind == .deferral)
        #expect(found.first?.smtpCode == 451)
    }

    @Test func olderGmailLayout() {
        let found = events("""
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            Subject: Delivery Status Notification (Failure)

            Delivery to the following recipient failed permanently:

                 tom@example.net

            Technical details of permanent failure:
            Google tried to deliver your message, but it was rejected by the server for the recipient domain example.net by mx.example.net. [203.0.113.8].

            The error that the other server returned was:
            550 5.1.1 <tom@example.net>: Recipient address rejected: User unknown

            """)
        #expect(found.first?.recipient == "tom@example.net")
        #expect(found.first?.diagnostic == "550 5.1.1 <tom@example.net>: Recipient address rejected: User unknown")
        #expect(found.first?.remoteMTA == "mx.example.net")
    }

    @Test func postfixDelayWarningIsADeferral() {
        let found = events("""
            Return-Path: <>
            From: MAILER-DAEMON@mail.sender.example (Mail Delivery System)
            Subject: Delayed Mail (still being retried)

            This is the mail system at host mail.sender.example.

            ####################################################################
            # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
            ####################################################################

            <uma@example.org>: connect to mx.example.org[198.51.100.3]:25: Connection
                refused

            """)
        #expect(found.first?.kind == .deferral)
        #expect(found.first?.diagnostic == "connect to mx.example.org[198.51.100.3]:25: Connection refused")
    }

    @Test func qmailWithTwoRecipients() {
        let found = events("""
            From: MAILER-DAEMON@mx.example.org
            Subject: failure notice

            Hi. This is the qmail-send program at mx.example.org.
            I'm afraid I wasn't able to deliver your message to the following addresses.

            <vera@example.org>:
            Sorry, no mailbox here by that name. (#5.1.1)

            <walt@example.org>:
            Connected to 198.51.100.20 but sender was rejected.
            Remote host said: 553 5.7.1 Sender blocked

            """)
        #expect(found.map(\.recipient) == ["vera@example.org", "walt@example.org"])
        #expect(found[0].enhancedStatus == "5.1.1")
        #expect(found[1].smtpCode == 553)
        #expect(found[1].remoteMTA == "198.51.100.20")
    }

    @Test func htmlOnlyExchangeNotice() {
        let found = events("""
            From: postmaster@corp.example.net
            Subject: Undeliverable: Hi
            Content-Type: text/html; charset=utf-8

            <html><body><p>Delivery has failed to these recipients or groups:</p>
            <p>xena@example.net</p><p>Remote Server returned &#39;550 5.1.1 User unknown&#39;</p></body></html>
            """)
        #expect(found.first?.recipient == "xena@example.net")
        #expect(found.first?.diagnostic == "550 5.1.1 User unknown")
    }

    @Test func base64HumanPartIsDecoded() {
        let human = Data("<yuri@example.com>: host mx.example.com[192.0.2.4] said: 550 5.1.1 No such user (in reply to RCPT TO command)\n".utf8)
            .base64EncodedString(options: .lineLength76Characters)
        let found = events("""
            From: MAILER-DAEMON@mail.sender.example
            Subject: Undelivered Mail Returned to Sender
            Content-Type: multipart/mixed; boundary="z"

            --z
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            \(human)
            --z--
            """)
        #expect(found.first?.recipient == "yuri@example.com")
        #expect(found.first?.diagnostic == "550 5.1.1 No such user")
    }

    @Test func partStartingWithFromIsNotMistakenForAnMboxSeparator() {
        let text = "From: MAILER-DAEMON@x.example\nSubject: failure notice\nContent-Type: multipart/mixed; boundary=q\n\n--q\n\nFrom the mail system:\n\n<zack@example.com>:\nRemote host said: 550 5.1.1 unknown\n--q--\n"
        #expect(events(text).first?.recipient == "zack@example.com")
    }
}
