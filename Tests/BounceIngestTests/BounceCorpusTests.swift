import Foundation
import Testing

@testable import BounceIngest

/// One sample bounce and what must be read from it.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    var file: String
    var kind: EventKind = .bounce
    var recipient: String
    var status: String?
    var code: Int?
    var diagnostic: String
    var remoteMTA: String?
    var messageID: String?
    var campaignID: String?

    var testDescription: String { file }
}

@Suite struct BounceCorpusTests {
    static let cases: [CorpusCase] = [
        CorpusCase(
            file: "dsn_postfix.eml", recipient: "bob@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
            remoteMTA: "mx.example.net", messageID: "campaign-77.bob@sender.example", campaignID: "autumn-sale-2026"),
        CorpusCase(
            file: "dsn_delayed_headers.eml", kind: .deferral, recipient: "dave@example.com", status: "4.4.7", code: 451,
            diagnostic: "451 4.7.1 Greylisted, please try again later", remoteMTA: "mx1.example.com",
            messageID: "campaign-78.dave@sender.example", campaignID: "winter-2026"),
        CorpusCase(
            file: "exim.eml", recipient: "erin@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <erin@example.net>: Recipient address rejected: User unknown",
            remoteMTA: "mx.example.net", messageID: "campaign-79.erin@sender.example", campaignID: "exim-test"),
        CorpusCase(
            file: "qmail.eml", recipient: "frank@example.org", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <frank@example.org>... No such user here", remoteMTA: "198.51.100.20",
            messageID: "campaign-80.frank@sender.example", campaignID: "qmail-test"),
        CorpusCase(
            file: "postfix_text.eml", recipient: "grace@example.com", status: "5.2.2", code: 552,
            diagnostic: "552 5.2.2 <grace@example.com>: Mailbox full", remoteMTA: "mx2.example.com",
            messageID: "campaign-81.grace@sender.example"),
        CorpusCase(
            file: "exchange_online.eml", recipient: "henry@example.co.uk", status: "5.1.10", code: 550,
            diagnostic: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            messageID: "campaign-82.henry@sender.example", campaignID: "exchange-test"),
        CorpusCase(
            file: "exchange_2010.eml", recipient: "ivan@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", remoteMTA: "mx.example.net",
            messageID: "campaign-83.ivan@sender.example"),
        CorpusCase(
            file: "gmail.eml", recipient: "judy@example.com", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
            messageID: "campaign-84.judy@sender.example", campaignID: "gmail-test"),
        CorpusCase(
            file: "yahoo.eml", recipient: "kim@example.com", code: 554,
            diagnostic: "554: delivery error: dd This user doesn't have a example.com account (kim@example.com) [0] - mta1234.mail.bf1.yahoo.com",
            messageID: "campaign-85.kim@sender.example"),
        CorpusCase(
            file: "missing_boundary.eml", recipient: "mallory@example.net", status: "5.1.2", code: 550,
            diagnostic: "550 5.1.2 Host unknown"),
        CorpusCase(
            file: "garbled_boundary.eml", recipient: "nina@example.net", status: "5.7.1", code: 554,
            diagnostic: "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"),
        CorpusCase(
            file: "eight_bit_header.eml", recipient: "oskar@example.de", status: "5.2.1", code: 550,
            diagnostic: "550 5.2.1 Mailbox disabled"),
        CorpusCase(
            file: "truncated.eml", recipient: "bob@example.net", status: "5.1.1", code: 550,
            diagnostic: "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
            remoteMTA: "mx.example.net"),
    ]

    @Test(arguments: cases)
    func readsTheFailedRecipient(_ expected: CorpusCase) throws {
        try expected.expectReadFromItsFixture()
    }

    @Test func dsnCarriesEnvelopeSenderAndLastAttemptDate() throws {
        let event = try #require(parseMessage(try Fixtures.bytes("dsn_postfix.eml")).events.first)
        #expect(event.sender == "bounces+42@sender.example")
        #expect(event.occurredAt == MailDate.parse("Sat, 28 Nov 2026 03:12:45 +0000"))
    }

    @Test func deliveredRecipientsAreSkipped() throws {
        let events = parseMessage(try Fixtures.bytes("dsn_postfix.eml")).events
        #expect(!events.contains { $0.recipient == "carol@example.org" })
    }

    @Test func textBounceFallsBackToTheOriginalSenderAndBounceDate() throws {
        let event = try #require(parseMessage(try Fixtures.bytes("qmail.eml")).events.first)
        #expect(event.sender == "bounces+45@sender.example")
        #expect(event.occurredAt == MailDate.parse("28 Nov 2026 03:25:00 -0000"))
    }

    @Test func sameFileGivesSameKeysAndRecipientsGetDistinctKeys() throws {
        let bytes = try Fixtures.bytes("dsn_postfix.eml")
        #expect(parseMessage(bytes).events.map(\.sourceKey) == parseMessage(bytes).events.map(\.sourceKey))
        let keys = Set(Self.cases.compactMap { try? parseMessage(Fixtures.bytes($0.file)).events.first?.sourceKey })
        // truncated.eml lost the original message (and its Message-ID), so even it has a key of its own.
        #expect(keys.count == Self.cases.count)
    }

    @Test func campaignHeadersAreTheCallersChoice() throws {
        let options = IngestOptions(campaignHeaders: ["X-Mailer-Campaign"])
        let event = try #require(parseMessage(try Fixtures.bytes("dsn_postfix.eml"), options: options).events.first)
        #expect(event.campaignID == nil)
    }
}

extension CorpusCase {
    /// Parses the fixture and expects exactly one event carrying every field this case names.
    func expectReadFromItsFixture() throws {
        let outcome = parseMessage(try Fixtures.bytes(file))
        let events = outcome.events
        #expect(events.count == 1, "outcome: \(outcome)")
        let event = try #require(events.first)
        #expect(event.kind == kind)
        #expect(event.recipient == recipient)
        #expect(event.enhancedStatus == status)
        #expect(event.smtpCode == code)
        #expect(event.diagnostic == diagnostic)
        #expect(event.remoteMTA == remoteMTA)
        #expect(event.messageID == messageID)
        #expect(event.campaignID == campaignID)
        #expect(event.sourceKey.count == 32)
    }
}
