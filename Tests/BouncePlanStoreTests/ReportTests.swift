import BouncePlanStore
import Foundation
import Postgres
import Testing

@Suite("The nightly report")
struct ReportTests {
    static func fixtureWithTwoRuns() throws -> (StoreFixture, first: Int, second: Int) {
        let fixture = try StoreFixture()
        try fixture.insert([ExportEvents.complaint("a@example.com", at: "2026-11-27T10:00:00Z"),
                            ExportEvents.deferral("x@example.org", at: "2026-11-27T10:00:00Z")])
        let first = try #require(try fixture.run().runID)
        try fixture.insert([ExportEvents.complaint("b@example.com", at: "2026-11-28T10:00:00Z"),
                            ExportEvents.complaint("c@example.com", at: "2026-11-28T10:00:00Z"),
                            ExportEvents.complaint("d@other.example", at: "2026-11-28T10:00:00Z")])
        let second = try #require(try fixture.run().runID)
        try fixture.connection.query("""
            INSERT INTO rate_limits (destination, source, max_per_hour, reason, rule_id, since, until, event_count, last_event_id)
            VALUES ('<b>google</b>', '192.0.2.10', 0, 'rate_limited', 'r', now(), now() + interval '1 hour', 4, 1)
            """)
        try fixture.connection.query("""
            INSERT INTO sender_issues (source, destination, reason, category, rule_id, event_count, first_seen, last_seen,
                                       sample_response, severity, last_event_id)
            VALUES ('192.0.2.10', 'microsoft', 'ip_blocklisted', 'sender', 'r', 7, now(), now(), '550 5.7.1', 'critical', 1)
            """)
        return (fixture, first, second)
    }

    @Test func dataHasCountsDeltasTopDestinationsAndTrend() throws {
        let (fixture, first, second) = try Self.fixtureWithTwoRuns()
        let report = try ReportData.load(from: fixture.connection)
        #expect(report.runID == second)
        #expect(report.previousRunID == first)
        #expect(report.counts["suppress"] == ["complaint": 3])
        let suppressDelta = try #require(report.deltas.first { $0.category == "suppress" })
        #expect([suppressDelta.current, suppressDelta.previous, suppressDelta.change] as [Int] == [3, 1, 2])
        #expect(report.trend.map(\.id) == [first, second])
        #expect(report.topSuppressed.map(\.destination) == ["example.com", "other.example"])
        #expect(report.topSuppressed.map(\.count) == [3, 1])
        #expect(report.topRateLimited.first?.detail == "paused")
        #expect(report.topSenderIssues.first?.count == 7)

        let older = try ReportData.load(run: first, from: fixture.connection)
        #expect(older.previousRunID == nil)
        #expect(older.trend.map(\.id) == [first])
        #expect(throws: StoreError.self) { try ReportData.load(run: 999, from: fixture.connection) }
    }

    @Test func jsonRoundTripsAndTextNamesEverySection() throws {
        let (fixture, _, second) = try Self.fixtureWithTwoRuns()
        let report = try ReportData.load(from: fixture.connection)
        let decoded = try JSONDecoder().decode(ReportData.self, from: Data(report.json.utf8))
        #expect(decoded == report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["runID"] as? Int == second)
        let text = ReportText.render(report)
        #expect(text.contains("run \(second)"))
        #expect(text.contains("change since run"))
        #expect(text.contains("complaint"))
        #expect(text.contains("trend over the last 2 runs"))
    }

    @Test func htmlIsSelfContainedEscapedAndHasTheCharts() throws {
        let (fixture, _, second) = try Self.fixtureWithTwoRuns()
        let html = ReportHTML.render(try ReportData.load(from: fixture.connection))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("Nightly report · run \(second)"))
        // Nothing is loaded from elsewhere.
        let lower = html.lowercased()
        for forbidden in ["src=", "href=", "http:", "https:", "@import", "url(", "<script", "<link"] {
            #expect(!lower.contains(forbidden), "found \(forbidden)")
        }
        // Values from the database are escaped.
        #expect(!html.contains("<b>google</b>"))
        #expect(html.contains("&lt;b&gt;google&lt;/b&gt;"))
    }

    @Test func escapeHandlesEveryMarkupCharacter() {
        #expect(ReportHTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
