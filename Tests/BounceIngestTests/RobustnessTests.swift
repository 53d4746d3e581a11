import Foundation
import TestSupport
import Testing

@testable import BounceIngest

@Suite struct RobustnessTests {
    @Test func emptyFileIsUnreadable() {
        #expect(parseMessage([]) == .unreadable(reason: "empty message"))
        #expect(parseMessage(Array(" \r\n\n".utf8)) == .unreadable(reason: "empty message"))
    }

    @Test func binaryGarbageIsUnreadable() {
        var generator = SplitMix64(seed: 0x6A12_BA6E)
        let garbage = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(parseMessage(garbage).reason?.hasPrefix("binary data") == true)
    }

    @Test func textWithoutHeadersIsUnreadable() {
        #expect(parseMessage(Array("just some words\nand more\n".utf8)) == .unreadable(reason: "no header fields at the start of the message"))
    }

    @Test func largeAttachmentIsParsedWithoutTrouble() throws {
        let payload = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n", count: 5 * 1024 * 1024 / 37)
        let bounce = String(decoding: try Fixtures.bytes("dsn_postfix.eml"), as: UTF8.self)
        let withAttachment = bounce.replacingOccurrences(
            of: "--4F2A31C0042.1764299642/mail.sender.example--",
            with: """
                --4F2A31C0042.1764299642/mail.sender.example
                Content-Type: application/octet-stream; name="big.bin"
                Content-Transfer-Encoding: base64

                \(payload)
                --4F2A31C0042.1764299642/mail.sender.example--
                """)
        let bytes = Array(withAttachment.utf8)
        #expect(bytes.count > 5_000_000)
        let event = try #require(parseMessage(bytes).events.first)
        #expect(event.recipient == "bob@example.net")
        #expect(event.smtpCode == 550)
    }

    @Test func everyFixtureIsCoveredByTheRobustnessTests() {
        // The tables below run over the folder's listing: an empty listing would pass them vacuously.
        #expect(Fixtures.allMessages.count >= 100)
    }

    @Test(arguments: Fixtures.allMessages)
    func everyPrefixOfABounceIsHandled(_ file: String) throws {
        let bytes = try Fixtures.bytes(file)
        let whole = parseMessage(bytes)
        for length in stride(from: 0, through: bytes.count, by: 97) {
            let outcome = parseMessage(Array(bytes.prefix(length)))
            switch outcome {
            case .events(let events):
                #expect(!events.isEmpty)
                // A cut never turns a fragment into a recipient.
                for event in events {
                    #expect((try? RecipientAddress.validate(event.recipient).get()) == event.recipient, "\(file) at \(length): \(event.recipient)")
                }
            case .unreadable(let reason), .notABounce(let reason): #expect(!reason.isEmpty)
            case .autoReply: #expect(whole == .autoReply, "a truncated bounce is not an auto-reply (length \(length))")
            }
        }
    }

    @Test func bouncesWrappedInsideWrappedBouncesStopUnwrapping() throws {
        // Twenty LISTSERV notices, each enclosing the next, around one real bounce: only two levels are opened.
        var message = String(decoding: try Fixtures.bytes("qmail.eml"), as: UTF8.self)
        for level in 0..<20 {
            message = """
                From: LISTSERV@lists.example.edu
                Subject: L\(level): error report from mail.example.com
                Content-Type: multipart/mixed; boundary="w\(level)"

                --w\(level)
                Content-Type: text/plain

                The enclosed message has been identified as a possible delivery error notice.
                --w\(level)
                Content-Type: message/rfc822

                \(message)
                --w\(level)--

                """
        }
        let outcome = parseMessage(Array(message.utf8))
        #expect(outcome.events.isEmpty)
        #expect(outcome.reason?.isEmpty == false)
    }

    @Test func aLongListOfRecipientsInWrappedSentencesStaysLinear() {
        let sentences = (0..<3_000).map { "Your message to user\($0)@example.org could not\nbe delivered." }.joined(separator: "\n")
        let text = "From: MAILER-DAEMON@gw.example.org\nSubject: Returned mail\n\n\(sentences)\n"
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = parseMessage(Array(text.utf8)) }
        #expect(elapsed < .seconds(10))
    }

    @Test func deeplyNestedMultipartStops() {
        var text = "From: MAILER-DAEMON@x.example\nSubject: Undelivered\n"
        for level in 0..<40 {
            text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\n\n--b\(level)\n"
        }
        text += "Content-Type: text/plain\n\nnothing here\n"
        let outcome = parseMessage(Array(text.utf8))
        #expect(outcome.reason?.contains("names no failed recipient") == true)
    }

    @Test func headerWithoutBlankLineBeforeBody() {
        let text = "From: MAILER-DAEMON@mail.sender.example\nSubject: failure notice\nHi. This is the qmail-send program at x.example.\n\n<zoe@example.com>:\nRemote host said: 550 5.1.1 unknown user\n"
        let event = parseMessage(Array(text.utf8)).events.first
        #expect(event?.recipient == "zoe@example.com")
        #expect(event?.smtpCode == 550)
    }

    @Test func contentHashIsTheKeyWhenNoMessageIDExists() {
        let text = "From: MAILER-DAEMON@x.example\nSubject: failure notice\n\n<zoe@example.com>:\nRemote host said: 550 5.1.1 unknown user\n"
        let first = parseMessage(Array(text.utf8)).events.first?.sourceKey
        let changed = parseMessage(Array((text + "Giving up.\n").utf8)).events.first?.sourceKey
        #expect(first != nil && changed != nil && first != changed)
        #expect(first == parseMessage(Array(text.utf8)).events.first?.sourceKey)
    }

    @Test func longRecipientListUnderAFailureHeadingIsReadWhole() {
        let addresses = (0..<2_000).map { "   user\($0)@example.org" }.joined(separator: "\n")
        let text = "From: MAILER-DAEMON@gw.example.org\nSubject: Returned mail\n\nCould not be delivered because of\n\n550 5.1.1 User unknown\n\nThe following recipients were affected:\n\n\(addresses)\n"
        let events = parseMessage(Array(text.utf8)).events
        #expect(events.count == 2_000)
        #expect(Set(events.map(\.sourceKey)).count == 2_000)
    }

    @Test(arguments: ["|/usr/bin/procmail", "/home/ruth/mbox", "~/mbox", "@example.net", "ruth@", "ruth", "\"|/usr/bin/vacation ruth\""])
    func pipeAndFileRecipientsNeverBecomeEvents(_ recipient: String) {
        let text = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\nContent-Type: multipart/report; boundary=\"b\"\n\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; \(recipient)\nAction: failed\nStatus: 5.0.0\n--b--\n"
        let outcome = parseMessage(Array(text.utf8))
        #expect(outcome.events.isEmpty, "\(outcome)")
        #expect(outcome.reason?.contains("no usable recipient") == true, "\(outcome)")
    }

    @Test func oneHugeLineOfAddressesIsNotRead() {
        let line = String(repeating: "user@example.org failed 550 ", count: 10_000)
        let text = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\n\n\(line)\n"
        // No MTA explains a failure in a line that long: it is not read (and `make bench-ingest`, not
        // a timed test, shows that such input costs nothing measurable).
        let outcome = parseMessage(Array(text.utf8))
        #expect(outcome.events.isEmpty)
        #expect(outcome.reason != nil)
    }
}
