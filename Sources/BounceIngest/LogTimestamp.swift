import Foundation

/// Timestamps at the start of syslog lines: classic BSD (`Nov 28 03:12:45`, year taken from a
/// reference date), RFC 5424 (`<22>1 2026-11-28T03:12:45.123Z`) and ISO 8601 (`2026-11-28T03:12:45+01:00`).
enum LogTimestamp {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ line: Substring, clock: LogClock) -> Date? {
        var rest = line.drop(while: \.isWhitespace)
        if rest.first == "<", let close = rest.firstIndex(of: ">") {
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix("1 ") { rest = rest.dropFirst(2) }  // RFC 5424 version
        }
        // Only the head of the line can hold the timestamp; splitting the whole line costs more than the rest of the parse.
        let tokens = rest.prefix(64).split(whereSeparator: \.isWhitespace).prefix(3)
        guard let first = tokens.first else { return nil }
        if first.first?.isNumber == true { return MailDate.iso8601(first) }
        guard tokens.count == 3, let month = months.firstIndex(of: first.prefix(3).lowercased()),
            let day = Int(tokens[tokens.startIndex + 1])
        else { return nil }
        let timeParts = tokens[tokens.startIndex + 2].split(separator: ":")
        guard timeParts.count == 3, let hour = Int(timeParts[0]), let minute = Int(timeParts[1]), let second = Double(timeParts[2]) else { return nil }
        return classic(month: month + 1, day: day, hour: hour, minute: minute, second: second, clock: clock)
    }

    /// Classic syslog has no year: use the reference date's year, or the year before when that
    /// would put the line more than a day after the reference (a December line read in January).
    private static func classic(month: Int, day: Int, hour: Int, minute: Int, second: Double, clock: LogClock) -> Date? {
        for year in [clock.referenceYear, clock.referenceYear - 1] {
            guard let wallClock = MailDate.makeDate(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: 0)
            else { return nil }
            let date = wallClock.addingTimeInterval(-TimeInterval(clock.offset(at: wallClock)))
            if date.timeIntervalSince(clock.reference) <= 86_400 { return date }
        }
        return nil
    }

    static func civilYear(of date: Date) -> Int {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Inverse of MailDate.daysFromCivil, year only.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}

/// The reference date and zone for classic syslog timestamps, with the per-line work done once.
struct LogClock: Sendable {
    let reference: Date
    let timeZone: TimeZone
    let referenceYear: Int
    /// Set for zones without daylight saving time, where asking the zone per line is wasted work.
    private let fixedOffset: Int?

    init(reference: Date, timeZone: TimeZone) {
        self.reference = reference
        self.timeZone = timeZone
        let offset = timeZone.secondsFromGMT(for: reference)
        referenceYear = LogTimestamp.civilYear(of: reference.addingTimeInterval(TimeInterval(offset)))
        let yearAgo = reference.addingTimeInterval(-400 * 86_400)
        fixedOffset = timeZone.nextDaylightSavingTimeTransition(after: yearAgo) == nil ? offset : nil
    }

    func offset(at date: Date) -> Int {
        fixedOffset ?? timeZone.secondsFromGMT(for: date)
    }
}
