import Foundation

/// Date parsing for RFC 5322 (`Sat, 28 Nov 2026 03:12:45 +0000`) and ISO 8601 timestamps,
/// written by hand so it is locale-free and thread-safe.
enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
        "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "cet": 1, "cest": 2,
    ]

    /// Parses RFC 5322 dates, their common variants (no weekday, two-digit year, named zones,
    /// asctime order), and falls back to ISO 8601.
    static func parse(_ text: String) -> Date? {
        var cleaned = text
        if let comment = cleaned.firstIndex(of: "(") { cleaned = String(cleaned[..<comment]) }
        let tokens = cleaned.split(whereSeparator: { $0 == "," || $0.isWhitespace })
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset = 0
        for token in tokens {
            let lower = token.lowercased()
            if month == nil, lower.count >= 3, let index = months.firstIndex(of: String(lower.prefix(3))) {
                month = index + 1
            } else if token.utf8.contains(ASCII.colon), time == nil {
                let pieces = token.split(separator: ":").map { Int($0) }
                guard pieces.count >= 2, let hour = pieces[0], let minute = pieces[1] else { continue }
                time = (hour, minute, pieces.count > 2 ? (pieces[2] ?? 0) : 0)
            } else if (token.hasPrefix("+") || token.hasPrefix("-")), token.count == 5, let value = Int(token.dropFirst()) {
                offset = (token.hasPrefix("-") ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
            } else if let hours = zones[lower] {
                offset = hours * 3600
            } else if let number = Int(token) {
                if day == nil, token.count <= 2, number >= 1, number <= 31 {
                    day = number
                } else if year == nil {
                    year = number < 50 ? 2000 + number : (number < 100 ? 1900 + number : number)
                }
            }
        }
        guard let day, let month, let year, let time else { return iso8601(text) }
        return makeDate(year: year, month: month, day: day, hour: time.0, minute: time.1, second: Double(time.2), offset: offset)
    }

    /// `2026-11-28T03:12:45.123456+01:00`, `2026-11-28 03:12:45Z`; no zone means UTC.
    static func iso8601(_ text: some StringProtocol) -> Date? {
        let chars = Array(text.trimmed.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            return Int(String(decoding: chars[range], as: UTF8.self))
        }
        guard chars.count >= 19, chars[4] == UInt8(ascii: "-"), chars[7] == UInt8(ascii: "-"),
            chars[10] == UInt8(ascii: "T") || chars[10] == ASCII.space,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == UInt8(ascii: ".") {
            let start = index
            index += 1
            while index < chars.count, (48...57).contains(chars[index]) { index += 1 }
            fraction = Double(String(decoding: chars[start..<index], as: UTF8.self)) ?? 0
        }
        var offset = 0
        if index < chars.count, chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            let sign = chars[index] == UInt8(ascii: "-") ? -1 : 1
            let digits = chars[(index + 1)...].filter { (48...57).contains($0) }.prefix(4)
            if digits.count == 4, let value = Int(String(decoding: digits, as: UTF8.self)) {
                offset = sign * ((value / 100) * 3600 + (value % 100) * 60)
            }
        }
        return makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: Double(second) + fraction, offset: offset)
    }

    static func makeDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double, offset: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            second >= 0, second < 61, (1970...9999).contains(year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 - offset) + second
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
