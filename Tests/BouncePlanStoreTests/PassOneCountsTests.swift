import BouncePlanning
import Postgres
import Testing

@testable import BouncePlanStore

/// The pieces pass 1 counts with: the timestamp reader and the storm guard's failure rows must give what
/// the SQL aggregates they replace gave.
@Suite("Pass 1 counts")
struct PassOneCountsTests {
    /// (text as PostgreSQL prints a timestamptz, microseconds since the epoch).
    static let times: [(String, Int64?)] = [
        ("1970-01-01 00:00:00+00", 0),
        ("2026-11-27 00:00:00+00", 1_795_737_600_000_000),
        ("2026-11-27 00:00:00.5+00", 1_795_737_600_500_000),
        ("2026-11-26 23:59:59.999999+00", 1_795_737_599_999_999),
        ("1969-12-31 23:59:59.25+00", -750_000),
        ("2000-02-29 12:00:00+05:30", 951_805_800_000_000),
        ("2000-03-01 00:00:00-01", 951_868_800_000_000 + 3_600_000_000),
        ("0001-01-01 00:00:00+00 BC", -62_167_219_200_000_000),
        ("infinity", nil),
        ("2026-11-27", nil),
    ]

    @Test("timestamps read as PostgreSQL wrote them", arguments: times)
    func timestampText(_ text: String, _ micros: Int64?) {
        var bytes = Array(text.utf8)
        let read = bytes.withUnsafeMutableBytes { EventTime.micros(UnsafeRawBufferPointer($0)) }
        #expect(read == micros)
    }

    @Test("a suppression that is not a complaint is one failure row, with its slot's start")
    func failureRows() {
        var counts = StormCounts(.defaults)
        let micros: Int64 = 1_795_737_600_000_000 + 61_000_000
        #expect(StormCounts.isFailure(outcome: "suppress", reason: "user_unknown"))
        #expect(!StormCounts.isFailure(outcome: "suppress", reason: "complaint"))
        #expect(!StormCounts.isFailure(outcome: "retry", reason: "mailbox_full"))
        counts.addFailure(destination: "google", recipient: "a@gmail.com", occurredMicros: micros, reason: "user_unknown", reply: 42)
        counts.addFailure(destination: "google", recipient: "b@gmail.com", occurredMicros: -1, reason: "policy", reply: nil)
        let slot = micros / 1_000_000 / counts.slotSeconds * counts.slotSeconds
        #expect(String(decoding: counts.failures.bytes, as: UTF8.self)
            == "google\t\(slot)\ta@gmail.com\t42\tt\ngoogle\t-\(counts.slotSeconds)\tb@gmail.com\t\\N\tf\n")
    }
}
