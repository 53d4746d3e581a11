import Foundation
import Postgres

/// The Prometheus text exposition written for node_exporter's textfile collector after a run.
///
/// `bounceplan_events_total` counts every event ever planned, per category (a true counter: the sum
/// over all runs, so it never goes down); the timestamp and duration describe the last successful run.
public enum MetricsFile {
    /// Renders the metrics. `eventsTotal` is the cumulative count per category.
    public static func render(lastSuccess: Date, durationSeconds: Double, eventsTotal: [String: Int]) -> String {
        var lines = [
            "# HELP bounceplan_last_success_timestamp_seconds Unix time at which the last successful bounceplan run finished.",
            "# TYPE bounceplan_last_success_timestamp_seconds gauge",
            "bounceplan_last_success_timestamp_seconds \(format(lastSuccess.timeIntervalSince1970))",
            "# HELP bounceplan_run_duration_seconds Wall-clock duration of the last successful bounceplan run.",
            "# TYPE bounceplan_run_duration_seconds gauge",
            "bounceplan_run_duration_seconds \(format(durationSeconds))",
            "# HELP bounceplan_events_total Bounce events planned by bounceplan since the database was created, per category.",
            "# TYPE bounceplan_events_total counter",
        ]
        for category in eventsTotal.keys.sorted() {
            lines.append("bounceplan_events_total{category=\"\(escapeLabel(category))\"} \(eventsTotal[category] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The cumulative events per category over every committed run.
    public static func eventsTotal(from connection: Connection) throws -> [String: Int] {
        var totals: [String: Int] = [:]
        let rows = try connection.query("""
            SELECT c.key, sum(v.value::bigint)
            FROM plan_runs r, jsonb_each(r.counts) c, jsonb_each_text(c.value) v
            GROUP BY c.key
            """).rows
        for row in rows {
            if let key = row[0], let value = row[1].flatMap({ Int($0) }) { totals[key] = value }
        }
        return totals
    }

    /// Writes the metrics atomically (temporary file in the same folder, fsync, rename), so the
    /// collector never reads half a file.
    public static func write(to path: String, lastSuccess: Date, durationSeconds: Double, eventsTotal: [String: Int]) throws {
        let text = render(lastSuccess: lastSuccess, durationSeconds: durationSeconds, eventsTotal: eventsTotal)
        try AtomicFile.write(to: path) { try $0.write(text) }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.6f", value)
    }

    /// Label values escape backslash, double quote and line feed (exposition format).
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
