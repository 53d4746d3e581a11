import Foundation
import Testing

@testable import BounceIngest

@Suite struct ResumableLogReaderTests {
    private func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func resumesAfterTheLastCompleteLine() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log", state = folder + "/state.json"
        try Fixtures.write("one\ntwo\nthr", to: log)
        let reader = ResumableLogReader(path: log, stateFile: state)
        var lines: [String] = []
        let first = try reader.readNewLines { lines.append($0) }
        #expect(lines == ["one", "two"])
        #expect(first.offset == 8)
        #expect(LogPosition.load(from: state) == first)

        try append("ee\nfour\r\n", to: log)
        lines = []
        try reader.readNewLines { lines.append($0) }
        #expect(lines == ["three", "four"])

        lines = []
        try reader.readNewLines { lines.append($0) }
        #expect(lines.isEmpty)
    }

    @Test func rotatedFileStartsFromZero() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log", state = folder + "/state.json"
        try Fixtures.write("old 1\nold 2\nold 3\n", to: log)
        let reader = ResumableLogReader(path: log, stateFile: state)
        try reader.readNewLines { _ in }
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try Fixtures.write("new 1\nnew 2 is long enough to pass the old offset\n", to: log)
        var lines: [String] = []
        try reader.readNewLines { lines.append($0) }
        #expect(lines == ["new 1", "new 2 is long enough to pass the old offset"])
    }

    @Test func truncatedFileStartsFromZero() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log"
        try Fixtures.write("a fairly long first line\nanother\n", to: log)
        let saved = try ResumableLogReader.readLines(path: log, from: nil) { _ in }
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.truncate(atOffset: 0)
        try handle.close()
        try append("fresh\n", to: log)
        var lines: [String] = []
        _ = try ResumableLogReader.readLines(path: log, from: saved) { lines.append($0) }
        #expect(lines == ["fresh"])
    }

    @Test func failingHandlerDoesNotAdvanceTheSavedPosition() throws {
        struct Stop: Error {}
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log", state = folder + "/state.json"
        try Fixtures.write("x\ny\n", to: log)
        let reader = ResumableLogReader(path: log, stateFile: state)
        #expect(throws: Stop.self) { try reader.readNewLines { _ in throw Stop() } }
        var lines: [String] = []
        try reader.readNewLines { lines.append($0) }
        #expect(lines == ["x", "y"])
    }

    @Test func followStopsWhenAsked() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/mail.log"
        try Fixtures.write("a\n", to: log)
        var rounds = 0
        var lines: [String] = []
        try ResumableLogReader(path: log, stateFile: nil).follow(pollInterval: 0.01, shouldStop: {
            rounds += 1
            if rounds == 1 { try? append("b\n", to: log) }
            return rounds == 2
        }) { lines.append($0) }
        #expect(lines == ["a", "b"])
    }

    @Test func missingFileThrows() {
        #expect(throws: LogReadError.cannotOpen(path: "/nonexistent/mail.log")) {
            try ResumableLogReader.readLines(path: "/nonexistent/mail.log", from: nil) { _ in }
        }
    }
}
