/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
///
/// The planning module never reads a clock and does not import Foundation: every function that
/// needs "now" takes it as a parameter, so that a plan is a pure function of its inputs and tests
/// can travel in time. Whole seconds match `timestamptz` truncated to seconds and
/// `extract(epoch from …)::bigint` on the SQL side.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since the Unix epoch (negative before it).
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// The instant `duration` later (sub-second parts are dropped; saturates instead of trapping).
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        let (sum, overflow) = lhs.secondsSinceEpoch.addingReportingOverflow(rhs.components.seconds)
        if overflow { return Timestamp(secondsSinceEpoch: rhs.components.seconds > 0 ? .max : .min) }
        return Timestamp(secondsSinceEpoch: sum)
    }

    /// The instant `duration` earlier.
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        lhs + (Duration.zero - rhs)
    }

    /// The time from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        let (difference, overflow) = lhs.secondsSinceEpoch.subtractingReportingOverflow(rhs.secondsSinceEpoch)
        return .seconds(overflow ? (lhs > rhs ? Int64.max : Int64.min) : difference)
    }

    /// ISO 8601 in UTC, for example `2026-11-29T01:54:00Z`.
    public var description: String {
        let days = secondsSinceEpoch.floorDivided(by: 86_400)
        let secondOfDay = secondsSinceEpoch - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        let hour = secondOfDay / 3600, minute = secondOfDay % 3600 / 60, second = secondOfDay % 60
        return "\(year)-\(Self.twoDigits(month))-\(Self.twoDigits(day))T"
            + "\(Self.twoDigits(hour)):\(Self.twoDigits(minute)):\(Self.twoDigits(second))Z"
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, PostgreSQL's (Howard Hinnant's
    /// `days_from_civil`, the inverse of `civilDate(daysSinceEpoch:)`).
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Proleptic Gregorian date from a day count (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, so dates before 1970 format correctly.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension Duration {
    /// Whole seconds, dropping any fraction; the unit every policy value is kept in.
    var wholeSeconds: Int64 { components.seconds }

    static func minutes(_ count: Int64) -> Duration { .seconds(count * 60) }
    static func hours(_ count: Int64) -> Duration { .seconds(count * 3600) }
    static func days(_ count: Int64) -> Duration { .seconds(count * 86_400) }
}
