import Foundation
import Testing

@testable import BounceIngest

/// The reader of unknown layouts: it finds recipients tied to a failure, and nothing else.
@Suite struct StructuralFallbackTests {
    private func outcome(_ text: String) -> MessageOutcome {
        parseMessage(Array(text.utf8))
    }

    @Test func addressWithItsReplyOnAnIndentedLineKeepsTheReply() {
        let events = outcome("""
            From: Mail Delivery System <Mailer-Daemon@relay.sender.example>
            Subject: Mail delivery failed: returning message to sender

            This message was created automatically by mail delivery software.
            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              <ruth@example.com>: 550 5.1.1 <ruth@example.com>: Recipient address rejected: User unknown

            """).events
        #expect(events.map(\.recipient) == ["ruth@example.com"])
        #expect(events.first?.diagnostic == "550 5.1.1 <ruth@example.com>: Recipient address rejected: User unknown")
        #expect(events.first?.smtpCode == 550)
        #expect(events.first?.enhancedStatus == "5.1.1")
    }

    @Test(arguments: [
        ("|/usr/bin/procmail -t", "pipe command"),
        ("/var/mail/ruth", "file path"),
        ("@mx.example.com", "host fragment"),
    ])
    func nonAddressRecipientsAreRefusedWithAReason(_ recipient: String, _ reason: String) {
        let result = outcome("""
            From: MAILER-DAEMON@mail.example.net
            Subject: Returned mail: see transcript for details
            Content-Type: multipart/report; report-type=delivery-status; boundary="r"

            --r
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.net

            Final-Recipient: rfc822; \(recipient)
            Action: failed
            Status: 5.3.0
            --r--

            """)
        #expect(result.events.isEmpty)
        #expect(result.reason?.contains(reason) == true, "\(result)")
    }

    @Test func sourceRouteGivesTheMailboxItEndsIn() throws {
        #expect(try RecipientAddress.validate("<@relay.example.com:ruth@example.com>").get() == "ruth@example.com")
    }

    @Test func ordinaryMailNamingAFailureIsNotABounce() {
        let result = outcome("""
            From: colleague@example.org
            To: news@sender.example
            Subject: Question about the newsletter

            Delivery to ruth@example.com failed last week: 550 5.1.1 user unknown, is that right?
            """)
        #expect(result.events.isEmpty)
    }

    @Test func originalHeadersAndContactAddressesAreNeverFailedRecipients() {
        let result = outcome("""
            From: MAILER-DAEMON@mail.example.net
            To: news@sender.example
            Subject: Undelivered Mail

            Your message could not be delivered. For questions contact postmaster@example.net
            or support@example.net about this error.

            To: ruth@example.com
            From: news@sender.example
            Subject: Autumn sale
            """)
        #expect(result.events.isEmpty)
        #expect(result.reason?.contains("names no failed recipient") == true, "\(result)")
    }

    @Test func failedRecipientsHeaderNamesTheRecipientsTheTextLeavesOut() {
        let events = outcome("""
            From: Mail Delivery System <Mailer-Daemon@relay.sender.example>
            To: news@sender.example
            Subject: Delivery failure
            X-Failed-Recipients: saul@example.com

            Your message could not be delivered.
            550 5.7.1 Message rejected by policy
            """).events
        #expect(events.map(\.recipient) == ["saul@example.com"])
        #expect(events.first?.diagnostic == "550 5.7.1 Message rejected by policy")
    }

    @Test func listUnderAFailureHeadingSharesTheOneReply() {
        let events = outcome("""
            From: MAILER-DAEMON@gw.example.org
            To: news@sender.example
            Subject: Returned mail

            Could not be delivered because of

            552 5.2.2 Mailbox over quota

            The following recipients were affected:

               tina@example.org
               ugo@example.org
            """).events
        #expect(events.map(\.recipient) == ["tina@example.org", "ugo@example.org"])
        #expect(events.allSatisfy { $0.smtpCode == 552 && $0.enhancedStatus == "5.2.2" })
    }

    @Test func sessionTranscriptTiesTheReplyToTheRcptCommand() {
        let events = outcome("""
            From: MAILER-DAEMON (Mail Delivery Subsystem)
            Subject: Returned mail: Service unavailable

               ----- Transcript of session follows -----
            >>> RCPT To:<vic@example.org>
            <<< 452 4.2.2 <vic@example.org>... Mailbox full
            """).events
        #expect(events.map(\.recipient) == ["vic@example.org"])
        #expect(events.first?.diagnostic == "452 4.2.2 <vic@example.org>... Mailbox full")
    }

    @Test func messageIDsInTheNoticeAreNotRecipients() {
        let result = outcome("""
            From: MAILER-DAEMON@mail.example.net
            To: news@sender.example
            Subject: Undelivered Mail
            Message-ID: <n-1@mail.example.net>

            Your message <20261130.a1b2@app.sender.example> could not be delivered: 554 5.4.0 routing loop.

            --- The header of the original message is following. ---
            Message-ID: <20261130.a1b2@app.sender.example>
            To: ruth@example.com
            """)
        // The returned message's only recipient is the one that failed; the message ids are nobody.
        #expect(result.events.map(\.recipient) == ["ruth@example.com"], "\(result)")
        #expect(result.events.first?.diagnostic == "554 5.4.0 routing loop.")
    }

    @Test func qmailReasonAfterABlankLineIsKept() {
        let events = outcome("""
            From: MAILER-DAEMON@lists.example.org
            Subject: failure notice

            Hi. This is the qmail-send program at lists.example.org.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <discuss@lists.example.org>:

            ezmlm-reject: fatal: Sorry, I don't accept message with empty Subject (#5.7.0)

            --- Below this line is a copy of the message.
            """).events
        #expect(events.map(\.recipient) == ["discuss@lists.example.org"])
        #expect(events.first?.enhancedStatus == "5.7.0")
    }

    @Test func reportRecipientWithADisplayNameGivesTheMailbox() {
        let events = outcome("""
            From: MAILER-DAEMON@mail.example.net
            Subject: Delivery Status Notification (Failure)
            Content-Type: multipart/report; report-type=delivery-status; boundary="r"

            --r
            Content-Type: message/delivery-status

            Final-Recipient: rfc822; "Ruth Example" <ruth@example.com>
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 unknown
            --r--

            """).events
        #expect(events.map(\.recipient) == ["ruth@example.com"])
    }

    @Test func aPastedOriginalMessageIsNotReadAsTheReport() {
        let result = outcome("""
            From: MAILER-DAEMON@mail.example.net
            To: news@sender.example
            Subject: Undelivered Mail

            Your message could not be delivered.

            Received: from app.sender.example by mail.example.net
            From: news@sender.example
            To: ruth@example.com

            Dear ruth@example.com, your payment failed: 554 card declined.
            """)
        #expect(result.events.isEmpty, "\(result)")
    }

    @Test func eximLayoutWithTheReasonAfterABlankLineKeepsTheReason() {
        let events = outcome("""
            From: Mail Delivery System <Mailer-Daemon@relay.sender.example>
            Subject: Mail delivery failed: returning message to sender

            This message was created automatically by mail delivery software.
            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              walt@example.com

            SMTP error from remote server for RCPT TO command, host: mx.example.com reason: 550 5.1.1 mailbox unavailable
            """).events
        #expect(events.map(\.recipient) == ["walt@example.com"])
        #expect(events.first?.diagnostic == "550 5.1.1 mailbox unavailable")
    }

    @Test func postfixAliasExpansionNamesOnlyTheFailedAddress() {
        let events = outcome("""
            From: MAILER-DAEMON@mail.sender.example (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender

            This is the mail system at host mail.sender.example.

            <xavier@example.net> (expanded from <sales@example.net>): host mx.example.net[192.0.2.5] said: 550
                5.1.1 <xavier@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)
            """).events
        #expect(events.map(\.recipient) == ["xavier@example.net"])
        #expect(events.first?.diagnostic == "550 5.1.1 <xavier@example.net>: Recipient address rejected: User unknown")
        #expect(events.first?.remoteMTA == "mx.example.net")
    }

    @Test func eximPipeFailureNamesTheAddressThePipeServes() {
        let events = outcome("""
            From: Mail Delivery System <Mailer-Daemon@host.example.net>
            Subject: Mail delivery failed: returning message to sender

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              pipe to |/usr/local/bin/ticket-intake
                generated by helpdesk@example.net
                local delivery failed

            """).events
        #expect(events.map(\.recipient) == ["helpdesk@example.net"])
        #expect(events.first?.diagnostic == "local delivery failed")
    }

    @Test func sendmailPipeFailureNamesTheAddressItWasExpandedFrom() {
        let events = outcome("""
            From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.net>
            Subject: Returned mail: see transcript for details

               ----- The following addresses had permanent fatal errors -----
            "|/usr/bin/procmail -t"
                (reason: 554 5.3.0 unknown mailer error 73)
                (expanded from: <yara@example.net>)

            """).events
        #expect(events.map(\.recipient) == ["yara@example.net"])
        #expect(events.first?.diagnostic == "554 5.3.0 unknown mailer error 73")
    }

    @Test func theSenderNamedInASentenceIsNotAFailedRecipient() {
        let events = outcome("""
            From: MAILER-DAEMON@mail.example.net
            To: bounces+77@sender.example
            Subject: Undelivered Mail

            A message from news@sender.example was rejected: 550 5.7.1 policy violation.
            Delivery to zoe@example.net failed: 550 5.1.1 user unknown
            """).events
        #expect(events.map(\.recipient) == ["zoe@example.net"])
    }

    @Test func anEmptyPlainAlternativeGivesWayToTheHTMLNotice() {
        let events = outcome("""
            From: postmaster@example.org
            To: news@sender.example
            Subject: Undeliverable: News
            Content-Type: multipart/alternative; boundary="alt"

            --alt
            Content-Type: text/plain

            \u{20}
            --alt
            Content-Type: text/html

            <p>Delivery has failed to these recipients or groups:</p><p>amy@example.org</p>
            <p>Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'</p>
            --alt--
            """).events
        #expect(events.map(\.recipient) == ["amy@example.org"])
        #expect(events.first?.smtpCode == 550)
    }
}

/// The last resort that takes the returned message's recipient: only one recipient, only a bounce.
@Suite struct ReturnedRecipientTests {
    private static let notice = """
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: news@sender.example
        Subject: Delivery Status Notification (Failure)
        Content-Type: multipart/mixed; boundary="b"

        --b
        Content-Type: text/plain

        We're writing to let you know that the group you tried to contact (team) may not exist, or you may not have permission to post messages to the group.

        --b
        Content-Type: message/rfc822

        From: news@sender.example
        RECIPIENTS
        Subject: Hello

        Hi.
        --b--

        """

    private func outcome(recipients: String) -> MessageOutcome {
        parseMessage(Array(Self.notice.replacingOccurrences(of: "RECIPIENTS", with: recipients).utf8))
    }

    @Test func theOnlyRecipientOfTheReturnedMessageFailed() {
        #expect(outcome(recipients: "To: team@example.org").events.map(\.recipient) == ["team@example.org"])
    }

    @Test(arguments: [
        "To: team@example.org, board@example.org",
        "To: team@example.org\nCc: board@example.org",
        "To: news@sender.example",
        "To: postmaster@example.org",
    ])
    func anythingButOneOtherRecipientGivesNoEvent(_ recipients: String) {
        let result = outcome(recipients: recipients)
        #expect(result.events.isEmpty, "\(result)")
    }

    @Test func aPastedOriginalCountsLikeAnAttachedOne() {
        let events = parseMessage(Array("""
            From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
            To: news@sender.example
            Subject: Delivery Status Notification (Failure)

            We're writing to let you know that the group you tried to contact (info) may not exist, or you may not have permission to post messages to the group.

            ----- Original message -----

            From: "News" <news@sender.example>
            To: Info Desk <info@example.org>
            Subject: Inquiry
            Message-ID: <pasted-1@sender.example>

            """.utf8)).events
        #expect(events.map(\.recipient) == ["info@example.org"])
        #expect(events.first?.messageID == "pasted-1@sender.example")
    }

    @Test func ordinaryMailWithAnAttachedMessageIsNotABounce() {
        let text = Self.notice.replacingOccurrences(of: "RECIPIENTS", with: "To: team@example.org")
            .replacingOccurrences(of: "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>", with: "From: colleague@example.net")
            .replacingOccurrences(of: "Subject: Delivery Status Notification (Failure)", with: "Subject: Fwd: Hello")
        #expect(parseMessage(Array(text.utf8)).events.isEmpty)
    }
}
