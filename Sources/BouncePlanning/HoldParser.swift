/// Finds a waiting time stated in a throttling reply: "try again in an hour", "try again later in
/// 15 minutes", "retry in 300 seconds", "try again after 24 hours", "please wait 10 min".
///
/// Plain byte scanning, no `Regex` (measured 1000× slower on this machine): the text is split into
/// runs of ASCII letters and runs of digits ("15min" gives "15", "min"), then a quantity followed by
/// a unit is accepted when introduced by "in", "after", "for" or "wait" and preceded within a few
/// words by a retry word (try, retry, again, wait, later, resume, blocked, deferred, limited).
/// The retry word guards against "message expired after 24 hours", which is not a hold.
public enum HoldParser {
    /// Longest hold believed from a text (a week); anything longer is more likely a misreading.
    public static let longestBelievable: Duration = .seconds(7 * 86_400)

    /// The stated hold, or nil when the text states none.
    public static func hold(in text: String) -> Duration? {
        let words = tokens(of: text)
        var index = 0
        while index < words.count {
            if introducers.contains(words[index]), hasRetryWord(in: words, before: index),
               let found = quantity(in: words, from: index + 1) {
                return found
            }
            index += 1
        }
        return nil
    }

    private static let introducers: Set<String> = ["in", "after", "for", "wait"]
    private static let retryWords: Set<String> = [
        "try", "retry", "again", "wait", "later", "resume", "blocked", "deferred", "limited", "throttled",
    ]

    private static func hasRetryWord(in words: [String], before index: Int) -> Bool {
        let start = max(0, index - 6)
        return words[start...index].contains { retryWords.contains($0) }
    }

    /// "an hour", "1 hour", "15 minutes", "300 s", "24hrs" starting at `index`.
    private static func quantity(in words: [String], from index: Int) -> Duration? {
        guard index + 1 < words.count else { return nil }
        let count: Int64
        switch words[index] {
        case "a", "an", "one": count = 1
        case "two": count = 2
        case let digits where digits.utf8.first.map(isDigit) == true:
            guard digits.utf8.count <= 9, let value = Int64(digits) else { return nil }
            count = value
        default: return nil
        }
        guard let unit = unitSeconds[words[index + 1]], count > 0 else { return nil }
        let seconds = count * unit
        return seconds <= longestBelievable.components.seconds ? .seconds(seconds) : nil
    }

    private static let unitSeconds: [String: Int64] = [
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "d": 86_400, "day": 86_400, "days": 86_400,
    ]

    /// Lower-cased runs of ASCII letters and runs of ASCII digits; everything else separates.
    private static func tokens(of text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var currentIsDigits = false
        for var byte in text.utf8 {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
            let letter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            let digit = isDigit(byte)
            if (letter || digit) && (current.isEmpty || currentIsDigits == digit) {
                current.append(byte)
                currentIsDigits = digit
                continue
            }
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current = (letter || digit) ? [byte] : []
            currentIsDigits = digit
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
