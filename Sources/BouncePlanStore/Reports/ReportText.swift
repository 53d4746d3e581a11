import Foundation

/// The nightly report as plain text, for a terminal or a mail body.
public enum ReportText {
    public static func render(_ report: ReportData) -> String {
        var lines: [String] = []
        lines.append("bounceplan report — run \(report.runID), finished \(report.finishedAt) (\(String(format: "%.1f", report.seconds)) s)")
        lines.append("\(report.events) events, \(report.rejected) rejected")
        lines.append("")
        lines.append("per category and reason:")
        let totals = report.totals
        for category in report.categories where totals[category] != nil {
            lines.append("  " + pad(category, 10) + leftPad(String(totals[category] ?? 0), 8))
            let reasons = (report.counts[category] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            for (reason, count) in reasons {
                lines.append("      " + pad(reason, 28) + leftPad(String(count), 8))
            }
        }
        lines.append("")
        if let previous = report.previousRunID {
            lines.append("change since run \(previous):")
            for delta in report.deltas {
                let sign = delta.change > 0 ? "+" : ""
                lines.append("  " + pad(delta.category, 10) + leftPad(String(delta.current), 8) + leftPad("\(sign)\(delta.change)", 9))
            }
        } else {
            lines.append("first run: nothing to compare with")
        }
        func section(_ title: String, _ rows: [ReportData.Destination]) {
            lines.append("")
            lines.append(title + (rows.isEmpty ? ": none" : ":"))
            for row in rows {
                lines.append("  " + pad(row.destination, 32) + leftPad(String(row.count), 8) + (row.detail.map { "  \($0)" } ?? ""))
            }
        }
        section("destinations with most active suppressions", report.topSuppressed)
        section("destinations with rate limits in force", report.topRateLimited)
        section("destinations with open sender issues (events)", report.topSenderIssues)
        lines.append("")
        lines.append("trend over the last \(report.trend.count) runs (events per run):")
        for point in report.trend {
            let parts = report.categories.compactMap { key in point.totals[key].map { "\(key) \($0)" } }
            lines.append("  run " + leftPad(String(point.id), 5) + "  " + point.finishedAt + leftPad(String(point.events), 9)
                + "  " + parts.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
