import Foundation

extension StatusReport {
    /// Rows of each list the summary shows before saying how many more there are.
    public static let summaryRows = 5

    /// One screen for a person (`bounceplan status`): the latest runs, what waits, and the first few
    /// limits, issues and held suppressions with how many more there are; ``text`` lists them all.
    public var summaryText: String {
        var lines: [String] = []
        if runs.isEmpty {
            lines.append("no run yet")
        } else {
            lines.append("last runs:")
            for run in runs.prefix(3) { lines.append("  " + Self.line(run)) }
        }
        lines.append("events waiting for the next run: \(eventsWaiting)")
        let paused = limits.filter(\.paused).count
        lines.append(limits.isEmpty ? "no rate limits or pauses in force"
            : "rate limits and pauses in force: \(Self.atLeast(limits.count, cap: 200)) (\(paused) paused)")
        for limit in limits.prefix(Self.summaryRows) { lines.append("  " + Self.line(limit)) }
        lines.append(contentsOf: Self.more(limits.count, cap: 200))
        if !storms.isEmpty {
            lines.append("storms waiting for review: \(storms.count) (bounceplan review list; review release|discard --storm ID)")
            for storm in storms.prefix(Self.summaryRows) { lines.append("  " + Self.line(storm)) }
            lines.append(contentsOf: Self.more(storms.count, cap: 200))
        }
        let bySeverity = ["critical", "high"].compactMap { severity -> String? in
            let count = issues.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity)"
        }
        lines.append(issues.isEmpty ? "no open sender issues"
            : "open sender issues: \(Self.atLeast(issues.count, cap: 200))"
                + (bySeverity.isEmpty ? "" : " (" + bySeverity.joined(separator: ", ") + ")"))
        for issue in issues.prefix(Self.summaryRows) { lines.append("  " + Self.line(issue)) }
        lines.append(contentsOf: Self.more(issues.count, cap: 200))
        lines.append("suppressions pending review: \(pendingReview)"
            + (pendingReviewSample.isEmpty ? "" : " (" + pendingReviewSample.prefix(3).joined(separator: ", ")
                + (pendingReview > min(3, pendingReviewSample.count) ? ", …; bounceplan review list" : "") + ")"))
        return lines.joined(separator: "\n")
    }

    /// "1 event", "2 events".
    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    static func line(_ run: Run) -> String {
        let totals = ReportData.categoryOrder.compactMap { key in run.totals[key].map { "\(key) \($0)" } }
        return "run \(run.id)  \(run.finishedAt)  \(String(format: "%.1f", run.seconds)) s  \(counted(run.events, "event"))"
            + (totals.isEmpty ? "" : ": " + totals.joined(separator: ", "))
    }

    /// A limit is in force until lifted; its hold, when it has one, is a separate thing.
    static func line(_ limit: Limit) -> String {
        let rate = limit.paused ? "PAUSED" : "\(limit.maxPerHour)/h"
        let source = limit.source.isEmpty ? "" : " from \(limit.source)"
        let hold = limit.until.isEmpty ? "" : (limit.paused ? " until \(limit.until)" : ", hold until \(limit.until)")
        return "\(limit.destination)\(source): \(rate)\(hold) (\(limit.reason))"
    }

    static func line(_ storm: Storm) -> String {
        "storm \(storm.id) at \(storm.destination), \(storm.startedAt) … \(storm.endedAt): \(storm.held) held,"
            + " \(storm.retriesWaiting) \(storm.retriesWaiting == 1 ? "retry" : "retries") to \(storm.destination) waiting for the review"
    }

    static func line(_ issue: Issue) -> String {
        let source = issue.source.isEmpty ? "unknown source" : issue.source
        return "[\(issue.severity)] \(issue.reason): \(source) → \(issue.destination), \(counted(issue.events, "event")), last \(issue.lastSeen)"
    }

    /// A count read with a LIMIT: "200 or more" when the limit was reached.
    private static func atLeast(_ count: Int, cap: Int) -> String {
        count >= cap ? "\(cap) or more" : String(count)
    }

    private static func more(_ count: Int, cap: Int) -> [String] {
        guard count > summaryRows else { return [] }
        return ["  … \(count >= cap ? "more" : String(count - summaryRows) + " more") (bounceplan status --all)"]
    }
}
