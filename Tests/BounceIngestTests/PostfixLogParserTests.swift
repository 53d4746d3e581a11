import Foundation
import Testing

@testable import BounceIngest

@Suite struct PostfixLogParserTests {
    static let reference = MailDate.parse("Sun, 29 Nov 2026 04:00:00 +0000")!

    @Test func bouncedLine() throws {
        var parser = PostfixLogParser(referenceDate: Self.reference)
        let cleanup = parser.parse(line: "Nov 28 03:12:40 mail postfix/cleanup[1200]: 4F2A31C0042: message-id=<campaign-77.bob@sender.example>")
        #expect(cleanup == nil)
        let qmgr = parser.parse(line: "Nov 28 03:12:40 mail postfix/qmgr[900]: 4F2A31C0042: from=<bounces+42@sender.example>, size=2048, nrcpt=1 (queue active)")
        #expect(qmgr == nil)
        let line = "Nov 28 03:12:45 mail postfix/smtp[1234]: 4F2A31C0042: to=<bob@example.net>, relay=mx.example.net[203.0.113.5]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.5] said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))"
        let parsed = parser.parse(line: line)
        let event = try #require(parsed)
        #expect(event.kind == .bounce)
        #expect(event.recipient == "bob@example.net")
        #expect(event.enhancedStatus == "5.1.1")
        #expect(event.smtpCode == 550)
        #expect(event.diagnostic == "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown")
        #expect(event.remoteMTA == "mx.example.net")
        #expect(event.messageID == "campaign-77.bob@sender.example")
        #expect(event.sender == "bounces+42@sender.example")
        #expect(event.occurredAt == MailDate.parse("Sat, 28 Nov 2026 03:12:45 +0000"))
        let again = parser.parse(line: line)
        #expect(event.sourceKey == again?.sourceKey)
    }

    @Test func deferredLineWithoutReplyCode() throws {
        var parser = PostfixLogParser(referenceDate: Self.reference)
        let line = "Nov 28 03:15:00 mail postfix/smtp[1240]: 7B1C2D3E4F: to=<carl@example.org>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.example.org[198.51.100.9]:25: Connection timed out)"
        let parsed = parser.parse(line: line)
        let event = try #require(parsed)
        #expect(event.kind == .deferral)
        #expect(event.smtpCode == nil)
        #expect(event.enhancedStatus == "4.4.1")
        #expect(event.diagnostic == "connect to mx.example.org[198.51.100.9]:25: Connection timed out")
        #expect(event.remoteMTA == nil)
        #expect(event.messageID == nil)
    }

    @Test(arguments: [
        "2026-11-28T03:12:45.250000+00:00 mail postfix/smtp[1234]: 4F2A31C0042: to=<bob@example.net>, relay=mx.example.net[203.0.113.5]:25, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.5] said: 550 5.1.1 unknown (in reply to RCPT TO command))",
        "<22>1 2026-11-28T04:12:45.250+01:00 mail postfix/smtp 1234 - - 4F2A31C0042: to=<bob@example.net>, relay=mx.example.net[203.0.113.5]:25, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.5] said: 550 5.1.1 unknown (in reply to RCPT TO command))",
    ])
    func modernTimestamps(_ line: String) throws {
        var parser = PostfixLogParser(referenceDate: Self.reference)
        let parsed = parser.parse(line: line)
        let event = try #require(parsed)
        #expect(event.occurredAt == MailDate.parse("Sat, 28 Nov 2026 03:12:45 +0000")!.addingTimeInterval(0.25))
        #expect(event.diagnostic == "550 5.1.1 unknown")
    }

    @Test func classicTimestampYearComesFromTheReference() throws {
        let january = MailDate.parse("Fri, 1 Jan 2027 00:30:00 +0000")!
        var parser = PostfixLogParser(referenceDate: january, timeZone: TimeZone(secondsFromGMT: 3600)!)
        let line = "Dec 31 23:59:59 mail postfix/smtp[1]: ABCDE12345: to=<a@example.com>, relay=none, dsn=4.4.1, status=deferred (connect timeout)"
        let parsed = parser.parse(line: line)
        let event = try #require(parsed)
        #expect(event.occurredAt == MailDate.parse("Thu, 31 Dec 2026 23:59:59 +0100"))
    }

    @Test(arguments: [
        "Nov 28 03:12:45 mail postfix/smtp[1]: 4F2A31C0042: to=<bob@example.net>, relay=mx.example.net[203.0.113.5]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
        "Nov 28 03:12:45 mail postfix/smtpd[2]: connect from unknown[192.0.2.1]",
        "",
        "garbage without structure: to=<",
    ])
    func otherLinesGiveNothing(_ line: String) {
        var parser = PostfixLogParser(referenceDate: Self.reference)
        let parsed = parser.parse(line: line)
        #expect(parsed == nil)
    }

    @Test func queueMemoryIsBounded() {
        var parser = PostfixLogParser(referenceDate: Self.reference, rememberedQueueIDs: 10)
        for index in 0..<1_000 {
            _ = parser.parse(line: "Nov 28 03:00:00 mail postfix/cleanup[1]: Q\(100_000 + index): message-id=<m\(index)@x.example>")
        }
        #expect(parser.rememberedCount == 10)
        let recent = parser.parse(line: "Nov 28 03:00:01 mail postfix/smtp[1]: Q100999: to=<a@example.com>, relay=none, dsn=4.4.1, status=deferred (timeout)")
        #expect(recent?.messageID == "m999@x.example")
        let old = parser.parse(line: "Nov 28 03:00:01 mail postfix/smtp[1]: Q100000: to=<a@example.com>, relay=none, dsn=4.4.1, status=deferred (timeout)")
        #expect(old != nil && old?.messageID == nil)
        _ = parser.parse(line: "Nov 28 03:00:02 mail postfix/qmgr[1]: Q100999: removed")
        #expect(parser.rememberedCount == 9)
    }
}

@Suite struct PostfixLogIngestTests {
    @Test func readsOnlyNewEventsOnTheSecondRun() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log", state = folder + "/mail.state"
        let bounced = "Nov 28 03:12:45 mail postfix/smtp[1]: 4F2A31C0042: to=<bob@example.net>, relay=mx.example.net[203.0.113.5]:25, dsn=5.1.1, status=bounced (host mx.example.net[203.0.113.5] said: 550 5.1.1 unknown (in reply to RCPT TO command))\n"
        let deferred = "Nov 28 03:15:00 mail postfix/smtp[2]: 7B1C2D3E4F: to=<carl@example.org>, relay=none, dsn=4.4.1, status=deferred (connect to mx.example.org[198.51.100.9]:25: Connection timed out)\n"
        try Fixtures.write("Nov 28 03:12:40 mail postfix/cleanup[1]: 4F2A31C0042: message-id=<m1@sender.example>\n" + bounced, to: log)
        var parser = PostfixLogParser(referenceDate: PostfixLogParserTests.reference)
        var first: [IngestedEvent] = []
        try ingestPostfixLog(path: log, stateFile: state, parser: &parser) { first.append($0) }
        #expect(first.map(\.recipient) == ["bob@example.net"])
        #expect(first.first?.messageID == "m1@sender.example")

        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(deferred.utf8))
        try handle.close()
        var second: [IngestedEvent] = []
        try ingestPostfixLog(path: log, stateFile: state, parser: &parser) { second.append($0) }
        #expect(second.map(\.recipient) == ["carl@example.org"])
        #expect(second.first?.kind == .deferral)
    }
}

extension PostfixLogIngestTests {
    @Test func queueMemorySurvivesARestart() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log", state = folder + "/mail.state"
        try Fixtures.write("Nov 28 03:12:40 mail postfix/cleanup[1]: 9C8D7E6F5A: message-id=<late@sender.example>\nNov 28 03:12:40 mail postfix/qmgr[1]: 9C8D7E6F5A: from=<bounces@sender.example>, size=10, nrcpt=1 (queue active)\n", to: log)
        var firstRun = PostfixLogParser(referenceDate: PostfixLogParserTests.reference)
        try ingestPostfixLog(path: log, stateFile: state, parser: &firstRun) { _ in }

        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("Nov 28 09:00:00 mail postfix/smtp[3]: 9C8D7E6F5A: to=<ann@example.com>, relay=none, dsn=4.4.1, status=deferred (connect timeout)\n".utf8))
        try handle.close()
        var secondRun = PostfixLogParser(referenceDate: PostfixLogParserTests.reference)
        var events: [IngestedEvent] = []
        try ingestPostfixLog(path: log, stateFile: state, parser: &secondRun) { events.append($0) }
        #expect(events.count == 1)
        #expect(events.first?.messageID == "late@sender.example")
        #expect(events.first?.sender == "bounces@sender.example")
    }
}

@Suite struct BoundedRecallTests {
    @Test func relearntKeyIsNotEvictedByItsStalePlace() {
        var recall = BoundedRecall<Int>(capacity: 2)
        recall.update("a") { $0 = 1 }
        recall.forget("a")
        recall.update("b") { $0 = 2 }
        recall.update("a") { $0 = 3 }
        recall.update("c") { $0 = 4 }  // evicts the oldest live entry, "b"
        #expect(recall["a"] == 3)
        #expect(recall["b"] == nil)
        #expect(recall["c"] == 4)
        #expect(recall.entriesOldestFirst.map(\.key) == ["a", "c"])
    }
}
