import Foundation
import Progress
import Testing

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// What a reporter has written into a pipe so far; the body of ``captured(_:_:)`` can wait on it.
private final class PipeOutput {
    private let descriptor: Int32
    private(set) var bytes: [UInt8] = []

    init(reading descriptor: Int32) {
        self.descriptor = descriptor
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Reads what is available now, without waiting.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count <= 0 { return }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Waits until `fragment` has been written. The renderer is a thread of its own: on a loaded
    /// machine its next redraw may come much later than ``ProgressReporter/refreshInterval``, so the
    /// test waits for the redraw itself rather than for a fixed time.
    func wait(for fragment: String, upTo limit: Duration = .seconds(60)) {
        let deadline = ContinuousClock.now + limit
        repeat {
            drain()
            if text.contains(fragment) { return }
            usleep(10_000)
        } while ContinuousClock.now < deadline
    }
}

/// Runs `body` with a reporter writing into a pipe, and returns everything it wrote.
private func captured(_ mode: ProgressMode, _ body: (ProgressReporter, PipeOutput) -> Void) -> String {
    var ends: [Int32] = [0, 0]
    precondition(pipe(&ends) == 0)
    let output = PipeOutput(reading: ends[0])
    let reporter = ProgressReporter(mode: mode, descriptor: ends[1], width: 100)
    body(reporter, output)
    reporter.finish()
    close(ends[1])
    output.drain()
    close(ends[0])
    return output.text
}

private func captured(_ mode: ProgressMode, _ body: (ProgressReporter) -> Void) -> String {
    captured(mode) { reporter, _ in body(reporter) }
}

@Suite("Progress reporter")
struct ProgressReporterTests {
    @Test("the status line draws each phase at once, redraws in place and is erased at the end")
    func statusLine() {
        let output = captured(.statusLine) { reporter, written in
            reporter.begin("reading + classifying", unit: "events", total: 1_000)
            reporter.update(completed: 500)
            written.wait(for: "reading + classifying · 500 events")
            reporter.begin("writing suppressions")
        }
        #expect(output.hasPrefix("\r\u{1B}[2Kreading + classifying · 0 events · 0 % · 0:00"))
        #expect(output.contains("\r\u{1B}[2Kreading + classifying · 500 events"))
        #expect(output.contains("\r\u{1B}[2Kwriting suppressions · 0:00"))
        #expect(output.hasSuffix("\r\u{1B}[2K"))
        #expect(!output.contains("\n"))
    }

    @Test("plain mode writes one line per finished phase and no escape code")
    func plain() {
        let output = captured(.plain) { reporter in
            reporter.begin("reading + classifying", unit: "events")
            reporter.advance(by: 1_200)
            reporter.advance(by: 34)
            reporter.begin("writing suppressions")
        }
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("bounceplan: reading + classifying: 1,234 events in "))
        #expect(lines[1].hasPrefix("bounceplan: writing suppressions: "))
        #expect(!output.contains("\u{1B}"))
    }

    @Test("none writes nothing, whatever is reported")
    func silent() {
        let output = captured(.none) { reporter in
            reporter.begin("reading + classifying", unit: "events", total: 10)
            reporter.update(completed: 5)
        }
        #expect(output.isEmpty)
    }

    @Test("finish is idempotent and nothing is drawn after it")
    func finishTwice() {
        let output = captured(.statusLine) { reporter in
            reporter.begin("exporting", unit: "rows")
            reporter.finish()
            reporter.begin("too late")
        }
        #expect(!output.contains("too late"))
        #expect(output.hasSuffix("\r\u{1B}[2K"))
    }

    @Test("the snapshot reports the numbers workers stored")
    func snapshot() {
        let reporter = ProgressReporter(mode: .plain, descriptor: -1)
        reporter.begin("reading messages", unit: "messages", totalBytes: 4_000)
        reporter.advance(by: 3, bytes: 1_000)
        let snapshot = reporter.snapshot()
        #expect(snapshot?.completed == 3)
        #expect(snapshot?.bytes == 1_000)
        #expect(snapshot?.fraction == 0.25)
        reporter.finish()
    }
}
