/// What one phase has done so far, as the status line shows it.
public struct ProgressSnapshot: Sendable, Equatable {
    /// The phase's name, e.g. `reading + classifying`.
    public var phase: String
    /// Items done, in `unit`s; nil for a phase that counts nothing (a single SQL statement).
    public var completed: Int64?
    /// Items expected in all, when known or estimated.
    public var total: Int64?
    /// What is counted, plural (`events`, `messages`, `rows`).
    public var unit: String
    /// Bytes done and expected, when the work is a file of known size: they decide the percentage.
    public var bytes: Int64?
    public var totalBytes: Int64?
    /// Seconds since the phase began.
    public var elapsed: Double

    public init(phase: String, completed: Int64? = nil, total: Int64? = nil, unit: String = "",
                bytes: Int64? = nil, totalBytes: Int64? = nil, elapsed: Double) {
        self.phase = phase
        self.completed = completed
        self.total = total
        self.unit = unit
        self.bytes = bytes
        self.totalBytes = totalBytes
        self.elapsed = elapsed
    }

    /// The share done, from bytes when both are known, else from items; nil when nothing is known.
    public var fraction: Double? {
        if let bytes, let totalBytes, totalBytes > 0 { return min(1, Double(bytes) / Double(totalBytes)) }
        if let completed, let total, total > 0 { return min(1, Double(completed) / Double(total)) }
        return nil
    }
}

/// Renders progress as text: pure, so every wording is tested without a terminal.
public enum ProgressLine {
    /// `reading + classifying · 1.8 M events, 410 k/s · 42 % · 0:12 left`, cut to `width` columns.
    public static func status(_ snapshot: ProgressSnapshot, width: Int = 80) -> String {
        var parts = [snapshot.phase]
        if let completed = snapshot.completed {
            var counted = "\(compact(completed)) \(snapshot.unit)"
            if snapshot.elapsed >= 0.5 {
                counted += ", \(compact(Int64((Double(completed) / snapshot.elapsed).rounded())))/s"
            }
            parts.append(counted)
        }
        if let fraction = snapshot.fraction {
            var share = "\(Int((fraction * 100).rounded(.down))) %"
            if fraction > 0.01, fraction < 1, snapshot.elapsed >= 1 {
                share += " · \(clock(snapshot.elapsed * (1 - fraction) / fraction)) left"
            }
            parts.append(share)
        }
        parts.append(clock(snapshot.elapsed))
        return cut(parts.joined(separator: " · "), to: width)
    }

    /// `reading + classifying: 1,000,000 events in 4.3 s (232 k/s)`: one finished phase, for logs.
    public static func finished(_ snapshot: ProgressSnapshot) -> String {
        let seconds = formatSeconds(snapshot.elapsed)
        guard let completed = snapshot.completed else { return "\(snapshot.phase): \(seconds)" }
        var line = "\(snapshot.phase): \(grouped(completed)) \(snapshot.unit) in \(seconds)"
        if snapshot.elapsed > 0 {
            line += " (\(compact(Int64((Double(completed) / snapshot.elapsed).rounded())))/s)"
        }
        return line
    }

    /// 950, 12.3 k, 1.8 M, 2.1 G: three significant digits at most, for a line read in passing.
    public static func compact(_ value: Int64) -> String {
        let magnitude = Swift.abs(value)
        if magnitude < 1_000 { return String(value) }
        let (scaled, suffix): (Double, String) =
            magnitude < 1_000_000 ? (Double(value) / 1e3, "k") : magnitude < 1_000_000_000 ? (Double(value) / 1e6, "M") : (Double(value) / 1e9, "G")
        let tenths = (scaled * 10).rounded()
        let text = Swift.abs(tenths) >= 1_000 ? String(Int64(scaled.rounded())) : oneDecimal(tenths)
        return "\(text) \(suffix)"
    }

    /// 1,000,000: every digit, for the line that stays in a log.
    public static func grouped(_ value: Int64) -> String {
        let digits = String(Swift.abs(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// 0:07, 12:34, 1:02:03.
    public static func clock(_ seconds: Double) -> String {
        let total = seconds.isFinite ? max(0, Int(seconds.rounded())) : 0
        let hours = total / 3600, minutes = total / 60 % 60, rest = total % 60
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : String(value) }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds < 60 ? oneDecimal((seconds * 10).rounded()) + " s" : clock(seconds)
    }

    /// `tenths` / 10 with one decimal, without Foundation's formatter.
    private static func oneDecimal(_ tenths: Double) -> String {
        let value = Int64(tenths)
        let sign = value < 0 ? "-" : ""
        return "\(sign)\(Swift.abs(value) / 10).\(Swift.abs(value) % 10)"
    }

    /// Keeps the line on one row of the terminal: a wrapped line cannot be erased in place.
    private static func cut(_ line: String, to width: Int) -> String {
        let limit = max(width - 1, 10)
        guard line.count > limit else { return line }
        return String(line.prefix(limit - 1)) + "…"
    }
}
