import BouncePlanStore
import Foundation

/// Renders a run summary for people (text) and machines (JSON).
enum SummaryFormatter {
    /// Outcomes in the order an operator reads them.
    static let outcomeOrder = ["suppress", "retry", "ratelimit", "sender", "content", "ignore", "unknown", "delivered", "rejected"]

    static func text(_ summary: RunSummary) -> String {
        var lines: [String] = []
        let what = summary.dryRun ? "dry run (nothing written)" : summary.runID.map { "run \($0)" } ?? "run"
        if summary.events == 0 {
            return "bounceplan \(what): no new events since the last run; nothing to plan"
        }
        var range = ""
        if let first = summary.firstEventID, let last = summary.lastEventID { range = ", event ids \(first)–\(last)" }
        lines.append("bounceplan \(what): \(summary.events) events\(range), \(summary.rejected) rejected, \(String(format: "%.2f", summary.seconds)) s")
        lines.append("")
        let totals = summary.totals
        let known = outcomeOrder.filter { totals[$0] != nil }
        let others = totals.keys.filter { !outcomeOrder.contains($0) }.sorted()
        for outcome in known + others {
            let reasons = (summary.counts[outcome] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let detail = reasons.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(pad(outcome, 10) + leftPad(String(totals[outcome] ?? 0), 8) + "   " + detail)
        }
        if !summary.planCounts.isEmpty {
            lines.append("")
            let verb = summary.dryRun ? "would write" : "wrote"
            let tables = summary.planCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("\(verb): " + tables.joined(separator: ", "))
        }
        if let storms = summary.planCounts["storms"], storms > 0 {
            let waiting = summary.planCounts["retry_schedule_held_for_review"] ?? 0
            lines.append("storm guard: \(storms) storm\(storms == 1 ? "" : "s") held suppressions for review, neither applied nor"
                + " retried; \(waiting) retries to the destinations under review wait for the review"
                + " (bounceplan review list, then review release|discard --storm ID)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ summary: RunSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(summary)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
