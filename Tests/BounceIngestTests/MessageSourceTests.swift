import Foundation
import Testing

@testable import BounceIngest

@Suite struct MessageSourceTests {
    private func collect(_ source: MessageSource) -> [SourceItem] {
        var items: [SourceItem] = []
        source.forEach { items.append($0) }
        return items
    }

    @Test func mboxIsSplitAndFromLinesAreUnquoted() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let exim = String(decoding: try Fixtures.bytes("exim.eml"), as: UTF8.self)
        let mbox = """
            From MAILER-DAEMON Sat Nov 28 03:20:11 2026
            From: someone@example.com
            Subject: first

            >From the start, this line was quoted.
            >>From stays quoted once.

            From MAILER-DAEMON Sat Nov 28 03:21:00 2026
            \(exim)
            From MAILER-DAEMON Sat Nov 28 03:22:00 2026
            From: third@example.com
            Subject: third

            last
            """
        let path = (folder as NSString).appendingPathComponent("bounces.mbox")
        try Fixtures.write(mbox, to: path)
        let items = collect(MessageSource(paths: [path]))
        let messages = items.compactMap { item -> SourceMessage? in
            if case .message(let message) = item { return message }
            return nil
        }
        #expect(messages.map(\.origin) == ["\(path)#1", "\(path)#2", "\(path)#3"])
        let first = String(decoding: messages[0].bytes, as: UTF8.self)
        #expect(first.contains("\nFrom the start, this line was quoted.\n"))
        #expect(first.contains("\n>From stays quoted once.\n"))
        #expect(parseMessage(messages[1].bytes).events.first?.recipient == "erin@example.net")
        #expect(String(decoding: messages[2].bytes, as: UTF8.self).hasSuffix("last"))
    }

    @Test func oversizedMboxEntryIsReportedAndTheRestStillRead() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = (folder as NSString).appendingPathComponent("big.mbox")
        let big = String(repeating: "x", count: 5_000)
        try Fixtures.write("From a\nSubject: big\n\n\(big)\n\nFrom b\nSubject: small\n\nok\n", to: path)
        let items = collect(MessageSource(paths: [path], maximumMessageBytes: 1_000))
        #expect(items.count == 2)
        #expect(items.first == .unreadable(origin: "\(path)#1", reason: "message exceeds the 1000-byte limit"))
        if case .message(let message) = items.last { #expect(message.origin == "\(path)#2") } else { Issue.record("second entry lost") }
    }

    @Test func maildirCurAndNewAreRead() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let maildir = (folder as NSString).appendingPathComponent("Maildir")
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: (maildir as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try Data(try Fixtures.bytes("qmail.eml")).write(to: URL(fileURLWithPath: maildir + "/cur/1764300000.1.host:2,S"))
        try Data(try Fixtures.bytes("gmail.eml")).write(to: URL(fileURLWithPath: maildir + "/new/1764300001.2.host"))
        try Fixtures.write("From: half-written\n", to: maildir + "/tmp/1764300002.3.host")
        var recipients: [String: String] = [:]
        ingestMessages(from: MessageSource(paths: [folder])) { origin, outcome in
            recipients[(origin as NSString).lastPathComponent] = outcome.events.first?.recipient
        }
        #expect(recipients == ["1764300000.1.host:2,S": "frank@example.org", "1764300001.2.host": "judy@example.com"])
    }

    @Test func symbolicLinkLoopEnds() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Fixtures.write("From: x@example.com\n\nhi\n", to: folder + "/one.eml")
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: folder)
        let items = collect(MessageSource(paths: [folder]))
        #expect(items.contains { if case .unreadable(_, let reason) = $0 { reason.contains("nested deeper") } else { false } })
        #expect(items.count == MessageSource.maximumFolderDepth + 1)  // one message per level, then the refusal
    }

    @Test func missingPathIsReportedNotThrown() {
        let items = collect(MessageSource(paths: ["/nonexistent/bounces"]))
        #expect(items == [.unreadable(origin: "/nonexistent/bounces", reason: "no such file or directory")])
    }

    @Test func directoryOfSingleMessagesIsWalkedInOrder() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["b.eml", "a.eml", ".hidden"] { try Fixtures.write("From: x@example.com\n\nhi\n", to: folder + "/" + name) }
        let origins = collect(MessageSource(paths: [folder])).compactMap { item -> String? in
            if case .message(let message) = item { return (message.origin as NSString).lastPathComponent }
            return nil
        }
        #expect(origins == ["a.eml", "b.eml"])
    }
}
