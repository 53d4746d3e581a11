import Testing
@testable import BouncePlanning

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_795_917_240, "2026-11-29T01:54:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
    ])
    func formatsAsISO8601(seconds: Int64, expected: String) {
        #expect(Timestamp(secondsSinceEpoch: seconds).description == expected)
    }

    @Test func arithmeticSaturatesInsteadOfTrapping() {
        let late = Timestamp(secondsSinceEpoch: .max - 10)
        #expect((late + .seconds(100)).secondsSinceEpoch == .max)
        #expect(Timestamp(secondsSinceEpoch: 100) - Timestamp(secondsSinceEpoch: 40) == .seconds(60))
        #expect(Timestamp(secondsSinceEpoch: 100) - Duration.seconds(40) == Timestamp(secondsSinceEpoch: 60))
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("300", Int64(300)), ("300s", 300), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("7d", 604_800),
        ("2w", 1_209_600), ("1H", 3600), ("30min", 1800), ("30sec", 30), ("1h30min", 5400), ("2h", 7200),
    ])
    func parses(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == .seconds(seconds))
    }

    @Test(arguments: ["", "h", "5x", "-5m", "1h30", "99999999999999999999s", "5m m", "5 minutes", "30mins", "2hours"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    /// One notation for flags and policy; PostgreSQL gets what it reads (`30m` would be refused there).
    @Test(arguments: [("30m", "1800s"), ("30min", "1800s"), ("2h", "7200s"), ("500ms", "500ms"), ("1s500ms", "1500ms"), ("0", "0")])
    func postgresSettings(text: String, setting: String) throws {
        #expect(DurationText.postgresSetting(try #require(DurationText.parse(text))) == setting)
    }

    @Test(arguments: [("1000000000000d", true), ("99999999999999999999s", true), ("5x", false), ("30m", false)])
    func overflowIsToldApart(text: String, overflowing: Bool) {
        #expect(DurationText.isOverflowing(text) == overflowing)
    }

    @Test(arguments: [(Int64(0), "0s"), (37, "37s"), (300, "5m"), (4000, "1h6m40s"), (86_400, "1d"), (-300, "-5m")])
    func formats(seconds: Int64, expected: String) {
        #expect(DurationText.format(.seconds(seconds)) == expected)
    }
}

@Suite struct HashTests {
    @Test(arguments: [
        ("", UInt64(0xcbf2_9ce4_8422_2325)), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
    ])
    func fnv1a64MatchesPublishedVectors(text: String, expected: UInt64) {
        #expect(StableHash.fnv1a64(text) == expected)
    }

    @Test func unitFractionStaysBelowOne() {
        #expect(StableHash.unitFraction(.max) < 1)
        #expect(StableHash.unitFraction(0) == 0)
    }
}
