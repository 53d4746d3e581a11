import Progress
import Testing

@Suite("Progress line wording")
struct ProgressLineTests {
    @Test("numbers read in passing keep three significant digits", arguments: [
        (Int64(0), "0"), (950, "950"), (999, "999"), (1_000, "1.0 k"), (12_345, "12.3 k"), (410_000, "410 k"),
        (999_949, "1000 k"), (1_800_000, "1.8 M"), (25_000_000, "25.0 M"), (2_100_000_000, "2.1 G"),
    ])
    func compact(value: Int64, expected: String) {
        #expect(ProgressLine.compact(value) == expected)
    }

    @Test("log lines carry every digit", arguments: [
        (Int64(7), "7"), (1_000, "1,000"), (1_000_000, "1,000,000"), (123_456_789, "123,456,789"), (-4_200, "-4,200"),
    ])
    func grouped(value: Int64, expected: String) {
        #expect(ProgressLine.grouped(value) == expected)
    }

    @Test("elapsed and remaining time as a clock", arguments: [
        (0.0, "0:00"), (7.4, "0:07"), (59.6, "1:00"), (754, "12:34"), (3_723, "1:02:03"), (-3, "0:00"), (.infinity, "0:00"),
    ])
    func clock(seconds: Double, expected: String) {
        #expect(ProgressLine.clock(seconds) == expected)
    }

    @Test("a counted phase with an estimated total shows rate, share and time left")
    func countedWithTotal() {
        let snapshot = ProgressSnapshot(
            phase: "reading + classifying", completed: 1_800_000, total: 4_000_000, unit: "events", elapsed: 4.5)
        #expect(ProgressLine.status(snapshot, width: 120)
            == "reading + classifying · 1.8 M events, 400 k/s · 45 % · 0:06 left · 0:05")
    }

    @Test("bytes decide the share when the work is a file of known size")
    func bytesDecide() {
        let snapshot = ProgressSnapshot(
            phase: "reading messages", completed: 300, total: 10, unit: "messages", bytes: 250, totalBytes: 1_000, elapsed: 2)
        #expect(ProgressLine.status(snapshot, width: 120) == "reading messages · 300 messages, 150/s · 25 % · 0:06 left · 0:02")
    }

    @Test("a phase that counts nothing shows only its name and elapsed time")
    func uncounted() {
        #expect(ProgressLine.status(ProgressSnapshot(phase: "writing suppressions", elapsed: 3.2)) == "writing suppressions · 0:03")
    }

    @Test("no rate before half a second, no time left before a second")
    func tooEarlyToTell() {
        let snapshot = ProgressSnapshot(phase: "exporting", completed: 10, total: 100, unit: "rows", elapsed: 0.2)
        #expect(ProgressLine.status(snapshot) == "exporting · 10 rows · 10 % · 0:00")
    }

    @Test("the line never wraps: it is cut to the terminal's width")
    func cutToWidth() {
        let snapshot = ProgressSnapshot(phase: String(repeating: "x", count: 200), elapsed: 1)
        let line = ProgressLine.status(snapshot, width: 40)
        #expect(line.count == 39)
        #expect(line.hasSuffix("…"))
    }

    @Test("a finished phase for logs", arguments: [
        (ProgressSnapshot(phase: "reading + classifying", completed: 1_000_000, unit: "events", elapsed: 4.3),
         "reading + classifying: 1,000,000 events in 4.3 s (233 k/s)"),
        (ProgressSnapshot(phase: "writing retries", elapsed: 0.04), "writing retries: 0.0 s"),
        (ProgressSnapshot(phase: "analyzing", elapsed: 75), "analyzing: 1:15"),
    ])
    func finished(snapshot: ProgressSnapshot, expected: String) {
        #expect(ProgressLine.finished(snapshot) == expected)
    }

    @Test("auto shows the status line only on a terminal that understands escape codes", arguments: [
        (true, "xterm-256color", ProgressMode.statusLine), (true, nil, .statusLine), (true, "dumb", ProgressMode.none),
        (false, "xterm", ProgressMode.none), (false, nil, ProgressMode.none),
    ])
    func automatic(terminal: Bool, term: String?, expected: ProgressMode) {
        #expect(ProgressMode.automatic(standardErrorIsTerminal: terminal, term: term) == expected)
    }
}
