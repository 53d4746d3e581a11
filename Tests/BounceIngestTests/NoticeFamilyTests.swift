import BounceClassification
import Foundation
import TestSupport
import Testing

@testable import BounceIngest

/// The notice families of issue 13's last round: Gromox local bounces, bounces wrapped by list managers,
/// Russian notices in their charsets. Each fixture is read and then classified with the default rules,
/// as `ingest dsn` + `run` would: hard bounces must end `suppress`, Gromox's operation error must not.
@Suite struct NoticeFamilyTests {
    static let verdicts: [(file: String, category: BounceCategory, reason: String)] = [
        ("gromox_no_user.eml", .suppress, "user_unknown"),
        ("gromox_v1_no_user.eml", .suppress, "user_unknown"),
        ("gromox_no_user_zh.eml", .suppress, "user_unknown"),
        ("gromox_no_user_ja.eml", .suppress, "user_unknown"),
        ("gromox_operation_error.eml", .retry, "temporary_failure"),
        ("gromox_v0_operation_error.eml", .retry, "temporary_failure"),
        ("gromox_mailbox_full.eml", .retry, "mailbox_full"),
        ("gromox_mlist_specified.eml", .suppress, "recipient_refuses_sender"),
        ("listserv_possible_delivery_error.eml", .suppress, "user_unknown"),
        ("listserv_inline.eml", .suppress, "user_unknown"),
        ("mailman_uncaught_bounce.eml", .suppress, "user_unknown"),
        ("ru_robot_qp.eml", .suppress, "user_unknown"),
        ("ru_koi8.eml", .suppress, "user_unknown"),
        ("ru_cp1251.eml", .suppress, "user_unknown"),
        ("dma_dns_failure.eml", .suppress, "domain_not_found"),
        ("groupwise_userid.eml", .suppress, "user_unknown"),
        ("exchange_display_name.eml", .suppress, "user_unknown"),
        ("hmailserver_remote.eml", .suppress, "user_unknown"),
        ("hmailserver_no_mx.eml", .suppress, "domain_not_found"),
        ("hmailserver_inbox_full.eml", .retry, "mailbox_full"),
        ("masqmail_de.eml", .suppress, "user_unknown"),
        ("imail_zh.eml", .suppress, "user_unknown"),
        ("coremail_account_disabled.eml", .suppress, "mailbox_disabled"),
        ("exmail_account_frozen_gbk.eml", .suppress, "mailbox_disabled"),
        ("domino_no_route.eml", .suppress, "domain_not_found"),
        ("mailman_bounce_action.eml", .suppress, "user_unknown"),
        ("postfix_host_not_found.eml", .suppress, "domain_not_found"),
        ("xmail_max_attempts.eml", .suppress, "user_unknown"),
        ("indented_reply_line.eml", .suppress, "user_unknown"),
        ("gmail_delay_retry.eml", .retry, "greylisted"),
        ("gmail_delay_report.eml", .retry, "connection_failed"),
    ]

    /// Notices that list several recipients: each is found, with the words the notice gives it.
    static let multiRecipient: [(file: String, recipients: [String], diagnostics: [String])] = [
        ("exchange_2003_display_names.eml", ["lena.brandt@corp.example.com", "tomas.weber@corp.example.com"],
         ["The e-mail account does not exist at the organization", "The e-mail address could not be found."]),
        ("masqmail_de_two_recipients.eml", ["h.vogt@example.de", "m.kranz@example.de"],
         ["550 5.1.1 <m.kranz@example.de>... User unknown", "550 5.1.1 <m.kranz@example.de>... User unknown"]),
        ("postfix_old_three_recipients.eml", ["g.ricci@example.it", "l.conti@example.it", "s.moretti@exmaple.it"],
         ["550 <g.ricci@example.it>... User unknown", "550 <l.conti@example.it>... User unknown",
          "Name service error for name=exmaple.it type=A: Host not found"]),
    ]

    @Test(arguments: multiRecipient.map(\.file))
    func everyListedRecipientIsSuppressedWithItsOwnWords(_ file: String) throws {
        let expected = try #require(Self.multiRecipient.first { $0.file == file })
        let events = parseMessage(try Fixtures.bytes(file)).events
        #expect(events.map(\.recipient) == expected.recipients)
        for (event, words) in zip(events, expected.diagnostics) {
            #expect(event.diagnostic.hasPrefix(words), "\(file): \(event.diagnostic)")
            let verdict = try Self.classifier.get().classify(BounceResponse(
                smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
                recipientDomain: event.recipient.split(separator: "@").last.map(String.init)))
            #expect(verdict.category == .suppress, "\(file) \(event.recipient): \(verdict)")
        }
    }

    /// masqmail's Italian warning (tpl/warnmsg.tpl.it) after a timeout quotes the server's last good
    /// answer: a deferral, with no reply code taken from a 250.
    @Test func masqmailWarningAfterATimeoutIsADeferralWithoutACode() throws {
        let events = parseMessage(try Fixtures.bytes("masqmail_it_warning.eml")).events
        #expect(events.map(\.recipient) == ["marco.bianchi@example.it"])
        #expect(events.map(\.kind) == [.deferral])
        #expect(events.first?.smtpCode == nil)
        #expect(events.first?.enhancedStatus == nil)
        #expect(events.first?.diagnostic == "while connected with mx.example.it, the server replied 250 2.1.5 Ok")
    }

    /// Where the server's reply gives no enhanced status, the status the reporting MTA states for the
    /// recipient is kept: Exchange 2003's `<host #5.5.0 smtp;554 …>` (the layout of Microsoft's own
    /// example, technet.microsoft.com/en-us/exchange/bb288511.aspx), sendmail's own line after the
    /// transcript (`550 5.1.1 sara@…... User unknown`).
    @Test(arguments: [
        ("exchange_2003_relay_denied.eml", "nina.koch@partner.example.com", 554, "5.5.0"),
        ("sendmail_transcript_summary.eml", "sara@example.net", 550, "5.1.1"),
    ])
    func theReportingMTAsStatusFillsAReplyWithoutOne(_ file: String, _ recipient: String, _ code: Int, _ status: String) throws {
        let events = parseMessage(try Fixtures.bytes(file)).events
        #expect(events.map(\.recipient) == [recipient])
        #expect(events.first?.smtpCode == code)
        #expect(events.first?.enhancedStatus == status)
    }

    @Test func mailmanBounceActionNamesTheMemberEvenWhenTheAttachedBounceNamesAnother() throws {
        let original = String(decoding: try Fixtures.bytes("mailman_bounce_action.eml"), as: UTF8.self)
        // The member's mail was forwarded: the attached bounce names the forwarding target.
        let forwarded = original.replacingOccurrences(of: "<olaf.berg@example.net>:", with: "<o.berg@elsewhere.example>:")
        let events = parseMessage(Array(forwarded.utf8)).events
        #expect(events.map(\.recipient) == ["olaf.berg@example.net"])
        #expect(events.first?.diagnostic == "Sorry, no mailbox here by that name. (#5.1.1)")
        // Without a readable attachment the notice's own reason stands.
        let bare = original.components(separatedBy: "Content-Type: message/rfc822")[0] + "--===============4406128794061836015==--\n"
        let alone = parseMessage(Array(bare.utf8)).events
        #expect(alone.map(\.recipient) == ["olaf.berg@example.net"])
        #expect(alone.first?.diagnostic == "Excessive or fatal bounces.")
    }

    static let classifier = Result { try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules") }

    @Test(arguments: verdicts.map(\.file))
    func ingestThenClassifyGivesTheVerdict(_ file: String) throws {
        let expected = try #require(Self.verdicts.first { $0.file == file })
        let event = try #require(parseMessage(try Fixtures.bytes(file)).events.first)
        let verdict = try Self.classifier.get().classify(BounceResponse(
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
            recipientDomain: event.recipient.split(separator: "@").last.map(String.init)))
        #expect(verdict.category == expected.category, "\(file): \(verdict)")
        #expect(verdict.reason == expected.reason, "\(file): \(verdict)")
    }

    @Test func groupWiseListsEachAddressWithItsReasonInParentheses() throws {
        let events = parseMessage(try Fixtures.bytes("groupwise_addresses.eml")).events
        #expect(events.map(\.recipient) == ["anna.lind@example.net", "bo.ek@no-such-host.example"])
        #expect(events.map(\.diagnostic) == ["user not found", "host not found"])
        #expect(events.allSatisfy { $0.messageID == "gw-952.anna@sender.example" })
    }

    @Test(arguments: [
        "Ваше сообщение пока не доставлено.",
        "Доставка следующим получателям или группам задерживается:",
        "Die Zustellung an folgende Empfänger oder Gruppen verzögert sich:",
        "La remise aux destinataires ou groupes suivants est retardée :",
    ])
    func localisedDelayNoticesAreDeferrals(_ opening: String) {
        let text = """
            From: MAILER-DAEMON@mx.example.org
            To: news@sender.example
            Subject: Delivery notification
            Content-Type: text/plain; charset=utf-8

            \(opening)

            <anna.k@example.org>: 451 4.7.1 Greylisted, please try again later

            """
        let events = parseMessage(Array(text.utf8)).events
        #expect(events.map(\.kind) == [.deferral])
        #expect(events.first?.smtpCode == 451)
    }

    @Test func aWrappedBounceGivesTheSameEventAsTheBounceItself() throws {
        let wrapper = try Fixtures.bytes("mailman_uncaught_bounce.eml")
        let text = String(decoding: wrapper, as: UTF8.self)
        // The enclosed message is everything between the message/rfc822 part's blank line and the closing boundary.
        let start = try #require(text.range(of: "Content-Type: message/rfc822\nMIME-Version: 1.0\n\n"))
        let end = try #require(text.range(of: "\n--===============2281794653213450117==--"))
        let enclosed = Array(text[start.upperBound..<end.lowerBound].utf8)
        let direct = try #require(parseMessage(enclosed).events.first)
        let wrapped = try #require(parseMessage(wrapper).events.first)
        #expect(wrapped.recipient == direct.recipient)
        #expect(wrapped.diagnostic == direct.diagnostic)
        #expect(wrapped.sourceKey == direct.sourceKey)
    }

    @Test func aWrapperMarkedAutoSubmittedIsStillUnwrapped() throws {
        let marked = Array("Auto-Submitted: auto-generated\n".utf8) + (try Fixtures.bytes("mailman_uncaught_bounce.eml"))
        #expect(parseMessage(marked).events.map(\.recipient) == ["paula.k@example.net"])
    }

    @Test func aBounceForwardedInlineByHandIsRead() {
        let text = """
            From: Carol <carol@sender.example>
            To: bounces@sender.example
            Subject: Fwd: Undelivered Mail Returned to Sender
            Content-Type: text/plain; charset=utf-8

            This one came back, can you check?

            ---------- Forwarded message ---------
            From: Mail Delivery System <MAILER-DAEMON@mx.sender.example>
            Date: Mon, 30 Nov 2026 10:00:00 +0000
            Subject: Undelivered Mail Returned to Sender
            To: carol@sender.example

            This is the mail system at host mx.sender.example.

            <dora@example.net>: host mx.example.net[192.0.2.9] said: 550 5.1.1
                <dora@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)

            """
        let events = parseMessage(Array(text.utf8)).events
        #expect(events.map(\.recipient) == ["dora@example.net"])
        #expect(events.first?.smtpCode == 550)
    }

    @Test func ordinaryForwardedMailIsNotABounce() {
        let text = """
            From: Carol <carol@sender.example>
            To: dave@sender.example
            Subject: Fwd: lunch
            Content-Type: text/plain

            ---------- Forwarded message ---------
            From: Erin <erin@example.net>
            Date: Mon, 30 Nov 2026 10:00:00 +0000
            Subject: lunch
            To: carol@sender.example

            The delivery failed, we could not get a table. Ask frank@example.org.

            """
        #expect(parseMessage(Array(text.utf8)).events.isEmpty)
    }

    @Test func aWrapperThatForwardsNoBounceGivesNoEvent() throws {
        let text = """
            From: LISTSERV@lists.example.edu
            To: owner-stats-l@lists.example.edu
            Subject: STATS-L: error report from mail.example.com
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            The enclosed message has been identified as a possible delivery error notice
            for the following reason: it was sent to 'owner-stats-l@lists.example.edu'.

            --b
            Content-Type: message/rfc822

            From: carol@example.com
            To: owner-stats-l@lists.example.edu
            Subject: Question about the list

            Could you add my colleague dave@example.com?
            --b--

            """
        #expect(parseMessage(Array(text.utf8)).events.isEmpty)
    }

    @Test(arguments: [
        ("koi8-r", [0xE1, 0xC4, 0xD2, 0xC5, 0xD3, 0xC1, 0xD4] as [UInt8], "Адресат"),
        ("windows-1251", [0xC0, 0xE4, 0xF0, 0xE5, 0xF1, 0xE0, 0xF2], "Адресат"),
        ("cp1251", [0xED, 0xE5, 0x20, 0xED, 0xE0, 0xE9, 0xE4, 0xE5, 0xED], "не найден"),
        ("KOI8-U", [0xA4, 0xA6, 0xA7], "єії"),
        ("iso-8859-5", [0xB0, 0xD4, 0xE0], "Адр"),
        ("ibm866", [0x80, 0xA4, 0xE0], "Адр"),
        ("windows-1250", [0x8A, 0xB9, 0xF8], "Šąř"),
        ("iso-8859-2", [0xA9, 0xB1, 0xF8], "Šąř"),
        ("windows-1252", [0x80, 0x93, 0x94], "€“”"),
    ])
    func singleByteCharsetsDecode(_ charset: String, _ bytes: [UInt8], _ expected: String) {
        #expect(TextDecoding.string(bytes, charset: charset) == expected)
    }

    @Test func utf8MislabelledAsACyrillicCharsetStaysUTF8() {
        #expect(TextDecoding.string(Array("адресат не найден".utf8), charset: "koi8-r") == "адресат не найден")
    }

    @Test func koi8EncodedWordSubjectDecodes() {
        #expect(EncodedWords.decode("=?koi8-r?B?7sXEz9PUwdfMxc7Oz8Ug08/Pwt3FzsnF?=") == "Недоставленное сообщение")
    }
}
