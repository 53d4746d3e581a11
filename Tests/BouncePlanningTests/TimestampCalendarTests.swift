import Testing

@testable import BouncePlanning

/// `Timestamp.daysSinceEpoch` (which the run's pass 1 uses to read PostgreSQL's times) is the inverse of
/// `civilDate(daysSinceEpoch:)`, across leap days, centuries and years before the epoch.
@Suite("Timestamp: days since the epoch")
struct TimestampCalendarTests {
    @Test(arguments: [
        (1970 as Int64, 1 as Int64, 1 as Int64, 0 as Int64), (2000, 2, 29, 11_016), (2026, 12, 1, 20_788),
        (1969, 12, 31, -1), (1900, 3, 1, -25_508), (2100, 2, 28, 47_540), (1, 1, 1, -719_162),
    ])
    func knownDays(year: Int64, month: Int64, day: Int64, days: Int64) {
        #expect(Timestamp.daysSinceEpoch(year: year, month: month, day: day) == days)
        let (y, m, d) = Timestamp.civilDate(daysSinceEpoch: days)
        #expect([y, m, d] == [year, month, day])
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        for days in Int64(-146_097)...Int64(146_097) {
            let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
            #expect(Timestamp.daysSinceEpoch(year: year, month: month, day: day) == days)
        }
    }
}
