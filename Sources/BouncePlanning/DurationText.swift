/// Reads and writes the one duration notation of policy.yaml, the command-line flags and explanations:
/// `300`, `300s`, `30sec`, `5m`, `5min`, `1h`, `1h30m`, `5d`, `2w` (seconds, minutes, hours, days,
/// weeks; `ms` for the flags' short timeouts).
public enum DurationText {
    /// Examples for error messages.
    public static let examples = "30s, 30m (or 30min), 2h, 7d"

    /// Whether `text` is in the notation but too long for a 64-bit count of seconds.
    public static func isOverflowing(_ text: String) -> Bool {
        guard parse(text) == nil else { return false }
        // The same text with every number cut to one digit parses: only the size was wrong.
        var shortened = ""
        var previousWasDigit = false
        for character in text {
            if character.isNumber {
                if !previousWasDigit { shortened.append("1") }
                previousWasDigit = true
            } else {
                shortened.append(character)
                previousWasDigit = false
            }
        }
        return parse(shortened) != nil
    }

    /// The duration as PostgreSQL reads a time setting such as `statement_timeout` (`1800s`; `0` = none).
    public static func postgresSetting(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds <= 0 && attoseconds <= 0 { return "0" }
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }

    /// The duration `text` spells, or nil when it is not in the notation (or would overflow).
    public static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8).filter { $0 != UInt8(ascii: " ") }
        guard !bytes.isEmpty else { return nil }
        var total: Int64 = 0
        var index = 0
        while index < bytes.count {
            var number: Int64 = 0
            let start = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                let (times10, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times10.addingReportingOverflow(digit)
                if overflow1 || overflow2 { return nil }
                number = next
                index += 1
            }
            guard index > start else { return nil }
            let multiplier: Int64
            if index == bytes.count {
                // A bare number is seconds, but only as the whole text ("90"), not as a tail ("1h30").
                guard start == 0 else { return nil }
                multiplier = 1000
            } else {
                var unitEnd = index
                while unitEnd < bytes.count, digitValue(bytes[unitEnd]) == nil { unitEnd += 1 }
                let unit = String(decoding: bytes[index..<unitEnd].map { $0 | 0x20 }, as: UTF8.self)
                switch unit {
                case "ms": multiplier = 1
                case "s", "sec": multiplier = 1000
                case "m", "min": multiplier = 60_000
                case "h": multiplier = 3_600_000
                case "d": multiplier = 86_400_000
                case "w": multiplier = 604_800_000
                default: return nil
                }
                index = unitEnd
            }
            let (part, overflow3) = number.multipliedReportingOverflow(by: multiplier)
            let (sum, overflow4) = total.addingReportingOverflow(part)
            if overflow3 || overflow4 { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// The shortest spelling of `duration` in whole seconds: `5m`, `1h`, `1h7m`, `37s`, `5d`, `-5m`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds == 0 { return "0s" }
        if seconds < 0 { return seconds == .min ? "-∞" : "-" + format(.seconds(-seconds)) }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }

    private static func digitValue(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}
