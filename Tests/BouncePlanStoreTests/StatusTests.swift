import BouncePlanStore
import Foundation
import Postgres
import Testing

@Suite("bounceplan status")
struct StatusTests {
    @Test func statusShowsRunsWaitingEventsLimitsIssuesAndReviews() throws {
        let fixture = try StoreFixture()
        let empty = try StatusReport.load(from: fixture.connection)
        #expect(empty.runs.isEmpty)
        #expect(empty.text.contains("no run yet"))

        try fixture.insert([ExportEvents.complaint("a@example.com", at: "2026-11-28T10:00:00Z"),
                            ExportEvents.complaint("b@example.com", at: "2026-11-28T10:00:00Z")])
        #expect(try StatusReport.load(from: fixture.connection).eventsWaiting == 2)
        let runID = try #require(try fixture.run().runID)
        try fixture.insert([ExportEvents.deferral("c@example.com", at: "2026-11-28T11:00:00Z")])
        try fixture.connection.query("""
            INSERT INTO rate_limits (destination, source, max_per_hour, reason, rule_id, since, until, event_count, last_event_id)
            VALUES ('google', '192.0.2.10', 0, 'rate_limited', 'r', now(), now() + interval '1 hour', 4, 1),
                   ('expired.example', '', 10, 'rate_limited', 'r', now() - interval '2 days', now() - interval '1 day', 1, 1)
            """)
        try fixture.connection.query("""
            INSERT INTO sender_issues (source, destination, reason, category, rule_id, event_count, first_seen, last_seen,
                                       sample_response, severity, status, last_event_id)
            VALUES ('192.0.2.10', 'microsoft', 'ip_blocklisted', 'sender', 'r', 7, now(), now(), '550 5.7.1 blocked', 'critical', 'open', 1),
                   ('192.0.2.11', 'yahoo', 'auth_dmarc', 'sender', 'r', 2, now(), now(), '550', 'high', 'resolved', 1)
            """)
        try fixture.connection.query("UPDATE suppressions SET status = 'pending_review' WHERE recipient = 'b@example.com'")

        let status = try StatusReport.load(from: fixture.connection)
        #expect(status.runs.map(\.id) == [runID])
        #expect(status.runs.first?.events == 2)
        #expect(status.runs.first?.totals["suppress"] == 2)
        #expect(status.eventsWaiting == 1)
        // A limit stays in force until it is lifted, whether or not its hold has passed (issue 14).
        #expect(status.limits.map(\.destination) == ["google", "expired.example"])
        #expect(status.limits.first?.maxPerHour == 0)
        #expect(status.text.contains("expired.example: 10/h, hold until"))
        #expect(status.issues.map(\.reason) == ["ip_blocklisted"])
        #expect(status.pendingReview == 1)
        #expect(status.pendingReviewSample == ["b@example.com"])
        #expect(status.text.contains("PAUSED"))
        #expect(status.text.contains("events waiting for the next run: 1"))
        // The JSON form round-trips.
        let data = try JSONEncoder().encode(status)
        #expect(try JSONDecoder().decode(StatusReport.self, from: data) == status)
    }
}
