import Foundation

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Shows what a long command is doing, on standard error, in the chosen ``ProgressMode``.
///
/// Workers only store numbers (``update(completed:bytes:)`` takes a lock and returns); a separate
/// thread draws the status line at most ``refreshInterval`` apart, so the hot path pays for neither
/// formatting nor terminal writes. Call ``finish()`` before printing a summary: it erases the line.
public final class ProgressReporter: @unchecked Sendable {
    public let mode: ProgressMode
    /// How often the status line is redrawn at most.
    public static let refreshInterval = 0.25

    private let condition = NSCondition()
    private let descriptor: Int32
    private let width: Int
    /// Where plain mode's finished-phase lines go (the program's diagnostics), when not to `descriptor`.
    private let logLine: (@Sendable (String) -> Void)?
    private var current: (phase: String, unit: String, counted: Bool, started: ContinuousClock.Instant)?
    private var completed: Int64 = 0
    private var total: Int64?
    private var bytes: Int64?
    private var totalBytes: Int64?
    private var drawn = false
    private var stopped = false
    private var rendererExited = false
    private var renderer: Thread?

    /// A reporter that writes to `descriptor` (standard error unless a test says otherwise); in plain
    /// mode each finished phase goes to `logLine` instead, when given, so it reads like the program's
    /// other diagnostics.
    public init(mode: ProgressMode, descriptor: Int32 = 2, width: Int? = nil,
                logLine: (@Sendable (String) -> Void)? = nil) {
        self.mode = mode
        self.descriptor = descriptor
        self.logLine = logLine
        self.width = width ?? Self.terminalWidth(descriptor)
        if mode == .statusLine {
            let thread = Thread { [weak self] in self?.renderLoop() }
            thread.name = "bounceplan-progress"
            renderer = thread
            thread.start()
        }
    }

    /// A reporter that shows nothing.
    public static let silent = ProgressReporter(mode: .none)

    /// Ends the phase in progress (a plain line for logs) and starts `phase`. `unit` names what
    /// ``update(completed:bytes:)`` counts; a phase with no unit shows only its elapsed time.
    public func begin(_ phase: String, unit: String? = nil, total: Int64? = nil, totalBytes: Int64? = nil) {
        guard mode != .none else { return }
        condition.lock()
        let finished = endPhaseLocked()
        current = (phase, unit ?? "", unit != nil, ContinuousClock.now)
        completed = 0
        self.total = total
        bytes = totalBytes == nil ? nil : 0
        self.totalBytes = totalBytes
        let line = mode == .statusLine ? statusLineLocked() : nil
        condition.unlock()
        if let finished { log(finished) }
        if let line { emit(line) }
    }

    /// Sets the count (and the bytes) done so far in the current phase. Cheap: no formatting, no I/O.
    public func update(completed: Int64, bytes: Int64? = nil) {
        guard mode != .none else { return }
        condition.lock()
        self.completed = completed
        if let bytes { self.bytes = bytes }
        condition.unlock()
    }

    /// Adds to the count done so far.
    public func advance(by count: Int64, bytes: Int64 = 0) {
        guard mode != .none else { return }
        condition.lock()
        completed += count
        if self.bytes != nil || bytes != 0 { self.bytes = (self.bytes ?? 0) + bytes }
        condition.unlock()
    }

    /// Corrects the expected total once it is known better.
    public func setTotal(_ total: Int64?) {
        guard mode != .none else { return }
        condition.lock()
        self.total = total
        condition.unlock()
    }

    /// Ends the last phase, stops drawing and erases the status line. Safe to call more than once.
    public func finish() {
        guard mode != .none else { return }
        condition.lock()
        if stopped {
            condition.unlock()
            return
        }
        let finished = endPhaseLocked()
        stopped = true
        condition.broadcast()
        // The renderer may be writing a line: erase only once it has stopped for good.
        while renderer != nil && !rendererExited { condition.wait() }
        let erase = drawn
        drawn = false
        condition.unlock()
        if erase { emit("\r\u{1B}[2K") }
        if let finished { log(finished) }
    }

    /// What the current phase has done, for the renderer and for tests.
    public func snapshot() -> ProgressSnapshot? {
        condition.lock()
        defer { condition.unlock() }
        return snapshotLocked()
    }

    private func snapshotLocked() -> ProgressSnapshot? {
        guard let current else { return nil }
        return ProgressSnapshot(
            phase: current.phase, completed: current.counted ? completed : nil, total: total, unit: current.unit,
            bytes: bytes, totalBytes: totalBytes, elapsed: (ContinuousClock.now - current.started).seconds)
    }

    /// Closes the current phase; in plain mode, returns its log line. (The status line needs nothing:
    /// the next phase's line overwrites it in place.)
    private func endPhaseLocked() -> String? {
        guard let snapshot = snapshotLocked() else { return nil }
        current = nil
        return mode == .plain ? ProgressLine.finished(snapshot) : nil
    }

    private func log(_ line: String) {
        if let logLine { logLine(line) } else { emit("bounceplan: " + line + "\n") }
    }

    private func statusLineLocked() -> String? {
        guard !stopped, let snapshot = snapshotLocked() else { return nil }
        drawn = true
        return "\r\u{1B}[2K" + ProgressLine.status(snapshot, width: width)
    }

    private func renderLoop() {
        condition.lock()
        while !stopped {
            _ = condition.wait(until: Date(timeIntervalSinceNow: Self.refreshInterval))
            if stopped { break }
            if let line = statusLineLocked() {
                condition.unlock()
                emit(line)
                condition.lock()
            }
        }
        rendererExited = true
        condition.broadcast()
        condition.unlock()
    }

    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// The terminal's width in columns, or 80 when it cannot be asked.
    static func terminalWidth(_ descriptor: Int32) -> Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
