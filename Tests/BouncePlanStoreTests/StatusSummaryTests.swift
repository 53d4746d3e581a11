import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `bounceplan status` fits one screen on a busy database; `--all` lists everything.
@Suite("bounceplan status summary")
struct StatusSummaryTests {
    /// A report as JSON would carry it, with `runs` runs of `events` events each, `count` limits and issues.
    static func report(runs: Int, events: Int, count: Int, pending: Int) throws -> StatusReport {
        let json: [String: Any] = [
            "runs": (0..<runs).map { index in
                ["id": runs - index, "startedAt": "2026-11-30T02:30:00Z", "finishedAt": "2026-11-30T02:31:00Z",
                 "seconds": 60.0, "events": events, "rejected": 0, "totals": ["suppress": events]] as [String: Any]
            },
            "eventsWaiting": 0,
            "limits": (0..<count).map { index in
                ["destination": "d\(index).example", "source": "", "maxPerHour": index % 2 == 0 ? 0 : 500,
                 "reason": "rate_limited", "until": "2026-12-01T00:00:00Z"] as [String: Any]
            },
            "issues": (0..<count).map { index in
                ["source": "192.0.2.\(index % 250)", "destination": "d\(index).example", "reason": "ip_blocklisted",
                 "severity": index < 3 ? "critical" : "medium", "events": 1, "lastSeen": "2026-11-30T01:00:00Z"] as [String: Any]
            },
            "pendingReview": pending,
            "pendingReviewSample": (0..<min(pending, 20)).map { "held\($0)@example.com" },
        ]
        return try JSONDecoder().decode(StatusReport.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func aBusyDatabaseFitsOneScreen() throws {
        let report = try Self.report(runs: 10, events: 5_000, count: 200, pending: 4_000)
        let lines = report.summaryText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 24, "\(report.summaryText)")
        #expect(report.summaryText.contains("rate limits and pauses in force: 200 or more (100 paused)"), "\(report.summaryText)")
        #expect(report.summaryText.contains("open sender issues: 200 or more (3 critical)"), "\(report.summaryText)")
        #expect(report.summaryText.contains("  … more (bounceplan status --all)"), "\(report.summaryText)")
        #expect(report.summaryText.contains("suppressions pending review: 4000 (held0@example.com, held1@example.com, held2@example.com, …"))
        #expect(report.text.split(separator: "\n").count > 400, "--all still lists everything")
    }

    @Test func aFewMoreAreCounted() throws {
        let report = try Self.report(runs: 1, events: 3, count: 8, pending: 0)
        #expect(report.summaryText.contains("  … 3 more (bounceplan status --all)"), "\(report.summaryText)")
        #expect(report.summaryText.contains("rate limits and pauses in force: 8 (4 paused)"), "\(report.summaryText)")
    }

    @Test("one event is '1 event', in the summary and in --all", arguments: [1, 2])
    func grammar(events: Int) throws {
        let report = try Self.report(runs: 1, events: events, count: 1, pending: 0)
        let expected = events == 1 ? "1 event" : "2 events"
        for text in [report.summaryText, report.text] {
            #expect(text.contains("60.0 s  \(expected): suppress \(events)"), "\(text)")
            #expect(!text.contains("1 events"), "\(text)")
        }
        #expect(report.summaryText.contains("ip_blocklisted: 192.0.2.0 → d0.example, 1 event, last"), "\(report.summaryText)")
    }

    @Test func theCommandPrintsTheSummaryAndAllOnRequest() throws {
        let target = try CommandLineTests.Target(events: 200)
        try #require(try ProgramRunner.bounceplan(["run", "--database-url", target.url]).exited(0))
        try target.fixture.connection.query("""
            INSERT INTO rate_limits (destination, source, max_per_hour, reason, rule_id, since, until, event_count, last_event_id)
            SELECT 'd' || n || '.example', '', 500, 'rate_limited', 'r', now(), now() + interval '1 hour', 1, 1
            FROM generate_series(1, 40) n
            """)
        let summary = try ProgramRunner.bounceplan(["status", "--database-url", target.url])
        #expect(summary.exited(0), "\(summary)")
        #expect(summary.stdout.split(separator: "\n").count <= 24, "\(summary.stdout)")
        #expect(summary.stdout.contains("(bounceplan status --all)"), "\(summary.stdout)")
        let all = try ProgramRunner.bounceplan(["status", "--all", "--database-url", target.url])
        #expect(all.exited(0), "\(all)")
        #expect(all.stdout.split(separator: "\n").count > 40, "\(all.stdout)")
    }
}
