import BouncePlanStore
import Postgres
import TestSupport
import Testing

/// A bounce dated years ahead would hold its recipient's retries and escalation window for years.
@Suite("Events dated in the future")
struct FutureEventTests {
    @Test func anEventDatedBeyondADayAheadIsRefusedWithAReason() throws {
        let fixture = try StoreFixture()
        try fixture.insert([
            Events.bounce("ahead@example.com", 550, "5.1.1", "550 5.1.1 <ahead@example.com>: User unknown", at: "2036-11-28T10:00:00Z"),
            Events.bounce("now@example.com", 550, "5.1.1", "550 5.1.1 <now@example.com>: User unknown", at: "2026-11-28T10:00:00Z"),
        ])
        try fixture.connection.query("""
            INSERT INTO bounce_events (occurred_at, recipient, smtp_code, enhanced_status, diagnostic)
            VALUES (now() + interval '2 hours', 'skewed@example.com', 550, '5.1.1', '550 5.1.1 User unknown')
            """)
        let summary = try fixture.run()
        #expect(summary.events == 3)
        #expect(summary.rejected == 1)
        let outcomes = try fixture.connection.query(
            "SELECT e.recipient, o.outcome, o.reason, o.rule_id FROM event_outcomes o JOIN bounce_events e ON e.id = o.event_id ORDER BY 1").rows
        #expect(outcomes == [
            ["ahead@example.com", "rejected", "occurred_in_future", "input.occurred_at"],
            ["now@example.com", "suppress", outcomes[1][2], outcomes[1][3]],
            // A clock a little ahead is normal: within a day the event counts.
            ["skewed@example.com", "suppress", outcomes[2][2], outcomes[2][3]],
        ])
        let suppressed = try fixture.connection.query("SELECT recipient FROM suppressions ORDER BY 1").rows
        #expect(suppressed == [["now@example.com"], ["skewed@example.com"]])
    }
}
