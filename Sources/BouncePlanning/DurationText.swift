/// Reads and writes the short duration notation used in policy.yaml and in explanations:
/// `300`, `300s`, `5m`, `1h`, `1h30m`, `5d`, `2w` (seconds, minutes, hours, days, weeks).
public enum DurationText {
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
                multiplier = 1
            } else {
                switch bytes[index] | 0x20 {
                case UInt8(ascii: "s"): multiplier = 1
                case UInt8(ascii: "m"): multiplier = 60
                case UInt8(ascii: "h"): multiplier = 3600
                case UInt8(ascii: "d"): multiplier = 86_400
                case UInt8(ascii: "w"): multiplier = 604_800
                default: return nil
                }
                index += 1
            }
            let (part, overflow3) = number.multipliedReportingOverflow(by: multiplier)
            let (sum, overflow4) = total.addingReportingOverflow(part)
            if overflow3 || overflow4 { return nil }
            total = sum
        }
        return .seconds(total)
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
