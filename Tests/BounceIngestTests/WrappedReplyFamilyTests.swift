import BounceClassification
import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// The families behind the five messages the blind set's fifth refill missed (now in
/// `Messages/moved-from-blind/`): ARPANET-era host notices (ITS COMSAT, the TOPS-20 mailer) that name
/// the recipient as `user at host`; replies wrapped in the reporting MTA's words (old Postfix's
/// `X-Postfix; host … said: 550 …`, Cisco Secure Email's `5.1.0 - Unknown address error …`); Sendmail's
/// local-mailer exit status (`X-Unix; 73`); and webmail notices for several recipients, one of them a
/// service account. The notices here are written for this test from the layouts those products document
/// (ZMail's COMSAT-REPLY and XMAILR-REPLY readers, Postfix before 2.3, AsyncOS's bounce log format,
/// sendmail's `sm_sysexmsg()` table).
@Suite struct WrappedReplyFamilyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var message: String
        var recipients: [String]
        var recipient: String
        var code: Int?
        var status: String?
        var diagnostic: String
        var category: BounceCategory
        var testDescription: String { "\(name) → \(recipient)" }
    }

    static let comsat = """
        Date: Mon, 30 Nov 2026 09:12:00 EST
        From: COMSAT@AI.EXAMPLE.ORG
        Subject: Msg of Monday, 30 November 2026 09:12-EST
        To: ALICE@AI.EXAMPLE.ORG

        ============ A copy of your message is being returned, because: ============
        "ZOOKEEPER" at AI.EXAMPLE.ORG is an unknown recipient.
        KEEPER at MC.EXAMPLE.ORG is an unknown recipient.
        ============ Failed message follows: ============
        Date: Mon, 30 Nov 2026 09:11:58 EST
        From: ALICE@AI.EXAMPLE.ORG
        To: ZOOKEEPER@AI.EXAMPLE.ORG, KEEPER@MC.EXAMPLE.ORG, CARETAKER@AI.EXAMPLE.ORG
        Subject: Feeding times

        The lions at noon.
        """

    static let comsatFailedLine = """
        Date: Mon, 30 Nov 2026 10:40:00 EST
        From: COMSAT@ML.EXAMPLE.ORG
        Subject: Msg of Monday, 30 November 2026 10:40-EST
        To: BOB@ML.EXAMPLE.ORG

        ============ A copy of your message is being returned, because: ============
        FAILED: LOSER at DM.EXAMPLE.ORG; No such mailbox
        ============ Failed message follows: ============
        From: BOB@ML.EXAMPLE.ORG
        To: LOSER@DM.EXAMPLE.ORG
        Subject: Tapes

        Please mount the tapes.
        """

    static let tops20 = """
        Date: Mon, 30 Nov 2026 11:02:00 PST
        From: The Mailer Daemon <Mailer@SCORE.EXAMPLE.EDU>
        Subject: Message of 30-Nov-26 11:01:40
        To: CAROL@SCORE.EXAMPLE.EDU

        Message failed for the following:
        DAVE@SAIL.EXAMPLE.EDU: No such user at this site
                    ------------
        From: CAROL@SCORE.EXAMPLE.EDU
        To: DAVE@SAIL.EXAMPLE.EDU
        Subject: Lunch

        Noon?
        """

    static func report(diagnosticCode: String, status: String = "5.0.0", recipient: String, text: String = "Your message could not be delivered.") -> String {
        """
        From: MAILER-DAEMON@relay.example.org (Mail Delivery System)
        To: news@sender.example
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        \(text)

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.org

        Final-Recipient: rfc822; \(recipient)
        Action: failed
        Status: \(status)
        Diagnostic-Code: \(diagnosticCode)

        --b1--
        """
    }

    static let webmail = """
        Return-Path: <>
        From: postmaster@mail.example.cn
        To: wang@mail.example.cn
        Subject: Mail delivery failed (System notification)
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b2"

        --b2
        Content-Type: text/plain; charset=UTF-8

        Unable to send to support@shop.example.com
        Bounce reason: The recipient's email address does not exist, so the message could not be delivered.
        550 5.1.1 Mailbox not found
        Solution: Please contact your recipient, verify the email address again, or report spam to abuse@mail.example.cn.

        Unable to send to orders@shop.example.com
        Bounce reason: The recipient's mailbox is full.
        host mx.shop.example.com[198.51.100.8] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)
        Solution: Please try again later.

        --b2
        Content-Type: message/rfc822

        From: wang@mail.example.cn
        To: support@shop.example.com, orders@shop.example.com
        Subject: Order 1234
        Message-ID: <order-1234@mail.example.cn>

        Where is my order?

        --b2--
        """

    static let cases: [Case] = [
        Case(name: "ITS COMSAT, quoted name", message: comsat, recipients: ["zookeeper@ai.example.org", "keeper@mc.example.org"],
             recipient: "zookeeper@ai.example.org", code: nil, status: nil,
             diagnostic: "\"ZOOKEEPER\" at AI.EXAMPLE.ORG is an unknown recipient.", category: .suppress),
        Case(name: "ITS COMSAT, bare name", message: comsat, recipients: ["zookeeper@ai.example.org", "keeper@mc.example.org"],
             recipient: "keeper@mc.example.org", code: nil, status: nil,
             diagnostic: "KEEPER at MC.EXAMPLE.ORG is an unknown recipient.", category: .suppress),
        Case(name: "ITS COMSAT, FAILED line", message: comsatFailedLine, recipients: ["loser@dm.example.org"],
             recipient: "loser@dm.example.org", code: nil, status: nil, diagnostic: "No such mailbox", category: .suppress),
        Case(name: "TOPS-20 mailer", message: tops20, recipients: ["dave@sail.example.edu"],
             recipient: "dave@sail.example.edu", code: nil, status: nil, diagnostic: "No such user at this site", category: .suppress),
        Case(name: "old Postfix, reply after said:",
             message: report(
                diagnosticCode: "X-Postfix; host mx.example.com[192.0.2.25] said: 550 5.1.1\n    <erin@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)",
                recipient: "erin@example.com"),
             recipients: ["erin@example.com"], recipient: "erin@example.com", code: 550, status: "5.1.1",
             diagnostic: "host mx.example.com[192.0.2.25] said: 550 5.1.1 <erin@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)",
             category: .suppress),
        Case(name: "Cisco Secure Email, bounce-log tuple",
             message: report(diagnosticCode: "smtp; 5.1.0 - Unknown address error ('550', ['5.1.1 <frank@example.net>... User unknown'])", recipient: "frank@example.net"),
             recipients: ["frank@example.net"], recipient: "frank@example.net", code: 550, status: "5.1.1",
             diagnostic: "5.1.0 - Unknown address error ('550', ['5.1.1 <frank@example.net>... User unknown'])", category: .suppress),
        Case(name: "Cisco Secure Email, reply without a status",
             message: report(diagnosticCode: "smtp; 5.1.0 - Unknown address error 550-'<gina@example.net>... No such user' (delivery attempts: 0)", recipient: "gina@example.net"),
             recipients: ["gina@example.net"], recipient: "gina@example.net", code: 550, status: "5.1.0",
             diagnostic: "5.1.0 - Unknown address error 550-'<gina@example.net>... No such user' (delivery attempts: 0)", category: .suppress),
        Case(name: "Sendmail X-Unix exit status without a transcript",
             message: report(diagnosticCode: "X-Unix; 67", recipient: "hank@example.org"),
             recipients: ["hank@example.org"], recipient: "hank@example.org", code: 550, status: "5.1.1",
             diagnostic: "550 5.1.1 User unknown (X-Unix; 67)", category: .suppress),
        Case(name: "Sendmail X-Unix exit status with its transcript line",
             message: report(
                diagnosticCode: "X-Unix; 73", recipient: "ivy@example.org",
                text: "   ----- Transcript of session follows -----\nmaildrop: maildir over quota.\n550 5.0.0 <ivy@example.org>... Can't create output"),
             recipients: ["ivy@example.org"], recipient: "ivy@example.org", code: 550, status: "5.0.0",
             diagnostic: "550 5.0.0 <ivy@example.org>... Can't create output (maildrop: maildir over quota.)", category: .retry),
        Case(name: "webmail notice, service account as recipient", message: webmail, recipients: ["support@shop.example.com", "orders@shop.example.com"],
             recipient: "support@shop.example.com", code: 550, status: "5.1.1", diagnostic: "550 5.1.1 Mailbox not found", category: .suppress),
        Case(name: "webmail notice, reply after said:", message: webmail, recipients: ["support@shop.example.com", "orders@shop.example.com"],
             recipient: "orders@shop.example.com", code: 552, status: "5.2.2", diagnostic: "552 5.2.2 Mailbox full", category: .retry),
    ]

    static let classifier = Result { try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules") }

    @Test(arguments: cases)
    func readsTheRecipientWithItsReplyCodeStatusAndText(_ expected: Case) throws {
        let events = parseMessage(Array(expected.message.utf8)).events
        #expect(events.map { $0.recipient.lowercased() } == expected.recipients)
        let event = try #require(events.first { $0.recipient.lowercased() == expected.recipient })
        #expect(event.kind == .bounce)
        #expect(event.smtpCode == expected.code)
        #expect(event.enhancedStatus == expected.status)
        #expect(event.diagnostic == expected.diagnostic)
        let verdict = try Self.classifier.get().classify(BounceResponse(
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
            recipientDomain: event.recipient.split(separator: "@").last.map(String.init)))
        #expect(verdict.category == expected.category, "\(verdict)")
    }

    /// `user at host` in ordinary mail, or a list under no announcement, is nobody's failure.
    @Test func proseAboutAnUnknownRecipientIsNoLegacyNotice() {
        let message = """
            From: alice@example.org
            To: bob@example.org
            Subject: the old mailer

            On the old machine, "ZOOKEEPER" at AI.EXAMPLE.ORG is an unknown recipient, so write to me instead.
            """
        #expect(parseMessage(Array(message.utf8)).events.isEmpty)
    }

    /// The words each moved message gives its recipient (MovedFromBlindTests checks code, status and verdict).
    static let movedMessageTexts: [(file: String, recipient: String, diagnostic: String)] = [
        ("its_comsat_unknown_recipient_returned.eml", "bday-notices@es-its.example.org",
         "\"BDAY-NOTICES\" at ES-ITS.EXAMPLE.ORG is an unknown recipient."),
        ("webmail_cn_english_notice_two_recipients_no_such_user.eml", "abuse@cdn-project.example.com", "550 No such user (TB)"),
        ("webmail_cn_english_notice_two_recipients_no_such_user.eml", "legal@cdn-project.example.com",
         "550 5.1.1 Address does not exist. xV1r0v6Deqaq"),
        ("postfix_old_ocn_template_japanese_iso2022jp.eml", "tanaka@example-firm.co.jp",
         "host mx.example-firm.co.jp[192.0.2.80] said: 550 5.1.1 <tanaka@example-firm.co.jp>... User unknown (in reply to RCPT TO command)"),
        ("sendmail_procmail_quota_exceeded_cant_create_output.eml", "taro@nttbiz-customer.example.jp",
         "550 5.0.0 <taro@nttbiz-customer.example.jp>... Can't create output (procmail: Quota exceeded while writing \"/var/spool/mail/taro\")"),
        ("cisco_secure_email_unknown_address_error_qp.eml", "nonexistant@member-lir.example.net",
         "5.1.0 - Unknown address error 550-'5.1.1 <nonexistant@member-lir.example.net>: Recipient address rejected: User unknown in virtual mailbox table' (delivery attempts: 0)"),
    ]

    @Test(arguments: movedMessageTexts.indices)
    func theMovedMessagesKeepTheReplyText(_ index: Int) throws {
        let expected = Self.movedMessageTexts[index]
        let events = try MovedFromBlindTests.events(of: expected.file)
        let event = try #require(events.first { $0.recipient.lowercased() == expected.recipient }, "\(expected.file): \(events.map(\.recipient))")
        #expect(event.diagnostic == expected.diagnostic, "\(expected.file)")
    }
}
