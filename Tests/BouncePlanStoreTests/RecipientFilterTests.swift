@testable import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport
import Testing

/// The recipient pass looks up prior state only for the recipients `RecipientFilter` may hold (migration
/// 0011). A filter that said "no" for a recipient with a row would change decisions (or make the run's
/// COPY of a "new" suppression fail on its primary key): these tests cover every way a row reaches the
/// four tables.
@Suite("The recipient filter: prior state is found however it was written")
struct RecipientFilterTests {
    @Test("what was inserted is always found; the rest mostly not; the stored bytes read back the same")
    func insertedIsFound() throws {
        var filter = RecipientFilter()
        let inserted = (0..<100_000).map { "user\($0)@example.com" }
        for recipient in inserted { filter.insert(recipient.utf8) }
        #expect(inserted.allSatisfy { filter.mayContain($0.utf8) })
        let others = (0..<100_000).filter { !filter.mayContain("other\($0)@example.org".utf8) }.count
        #expect(others > 99_000, "too many false 'maybe's: \(100_000 - others)")
        let bytes = filter.bytes
        let readBack = bytes.withUnsafeBytes { RecipientFilter(bytes: $0) }
        #expect(readBack == filter)
        #expect([UInt8](repeating: 0, count: 8).withUnsafeBytes { RecipientFilter(bytes: $0) } == nil)
    }

    @Test("the hash is the persisted one (changing it needs a new format)", arguments: [
        ("", UInt64(0xefd0_1f60_ba99_2926)), ("a", UInt64(0x82a2_a958_a9be_ce5b)),
    ])
    func hashIsStable(text: String, expected: UInt64) {
        // FNV-1a's offset basis through MurmurHash3's finaliser.
        #expect(RecipientFilter.hash(text.utf8) == expected)
    }

    /// Night one plans some recipients; between the nights a suppression is added by hand, a retry and a
    /// delivery are written by SQL (as an operator or another tool might), and, in one database, the stored
    /// filter is dropped. Night two must see all of that prior state, and both databases must decide alike.
    @Test("state written outside a run is seen by the next run, and a rebuilt filter decides alike")
    func stateWrittenOutsideTheRunIsSeen() throws {
        var dumps: [[String: [String]]] = []
        for dropFilter in [false, true] {
            let fixture = try StoreFixture()
            try fixture.insert(Events.mixed)
            try fixture.run()
            #expect(try fixture.count("SELECT count(*) FROM recipient_filter WHERE valid") == 1)
            _ = try ManualSuppression(connection: fixture.connection).add("asked@example.com", why: "asked to be left alone")
            #expect(try fixture.count("SELECT count(*) FROM recipient_filter_pending") == 1)
            // A manual suppression is timed by the wall clock; pinned, so that the two databases compare.
            try fixture.connection.query("UPDATE suppressions SET suppressed_at = '2026-11-28T12:00:00Z' WHERE recipient = 'asked@example.com'")
            try fixture.connection.query("""
                INSERT INTO retry_schedule (message_id, recipient, destination, source, attempt, first_failed_at,
                    last_failed_at, next_attempt_at, status, jitter, category, reason, rule_id, last_event_id)
                VALUES ('<m9@news.example>', 'elsewhere@example.net', 'example.net', '192.0.2.10', 1,
                    '2026-11-28T09:00:00Z', '2026-11-28T09:00:00Z', '2026-11-28T12:00:00Z', 'pending', 0.5, 'retry',
                    'message_expired', 'test', 1)
                """)
            #expect(try fixture.count("SELECT count(*) FROM recipient_filter WHERE valid") == 0)
            if dropFilter { try fixture.connection.query("DELETE FROM recipient_filter") }
            try fixture.insert([
                Events.bounce("asked@example.com", 550, "5.1.1", "550 5.1.1 <asked@example.com>: Recipient address rejected: User unknown",
                              at: "2026-11-29T10:00:00Z"),
                Events.bounce("elsewhere@example.net", 250, "2.0.0", "250 2.0.0 Ok: queued as 5AbC2", kind: "delivery",
                              message: "<m9@news.example>", at: "2026-11-29T10:00:00Z"),
                Events.bounce("gone@example.com", 550, "5.1.1", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown",
                              at: "2026-11-29T10:00:00Z"),
            ])
            // A filter that missed `asked@` would COPY it as a new suppression and fail on the primary key.
            let summary = try fixture.run()
            #expect(summary.planCounts["recipient_filter_rebuilt"] == 1)
            #expect(summary.planCounts["retry_schedule_delivered"] == 1, "the retry written by SQL was not found")
            #expect(try fixture.count("SELECT count(*) FROM retry_schedule WHERE recipient = 'elsewhere@example.net'") == 0)
            #expect(try fixture.count("SELECT count(*) FROM recipient_filter WHERE valid") == 1)
            #expect(try fixture.count("SELECT count(*) FROM recipient_filter_pending") == 0)
            // The audit log's row holds the wall-clock time of the manual change, which differs between the two.
            dumps.append(try PlanTables.canonicalDump(fixture.connection).filter { $0.key != "suppression_audit" })
        }
        #expect(PlanTables.firstDifference(dumps[0], dumps[1]) == nil)
    }
}
