import Foundation
import Postgres

/// What the nightly report shows, read from the plan tables in one snapshot. Rendered by
/// ``ReportText``, ``ReportHTML`` or as JSON (it is `Codable`).
public struct ReportData: Sendable, Codable, Equatable {
    /// Outcomes in the order an operator reads them.
    public static let categoryOrder = ["suppress", "retry", "ratelimit", "sender", "content", "ignore", "unknown", "delivered", "rejected"]

    /// One run in the trend.
    public struct RunPoint: Sendable, Codable, Equatable {
        public var id: Int
        public var finishedAt: String
        public var events: Int
        public var totals: [String: Int]
    }

    /// A destination and how much of one kind of plan it carries.
    public struct Destination: Sendable, Codable, Equatable {
        public var destination: String
        public var count: Int
        /// For rate limits, the lowest allowance in force (0 = paused).
        public var detail: String?
    }

    /// Change of one category since the previous run.
    public struct Delta: Sendable, Codable, Equatable {
        public var category: String
        public var current: Int
        public var previous: Int
        public var change: Int
    }

    public var runID: Int
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    public var events: Int
    public var rejected: Int
    /// Events per outcome and reason.
    public var counts: [String: [String: Int]]
    public var previousRunID: Int?
    public var deltas: [Delta]
    public var topSuppressed: [Destination]
    public var topRateLimited: [Destination]
    public var topSenderIssues: [Destination]
    /// Up to 30 runs, oldest first, ending with this one.
    public var trend: [RunPoint]

    /// Events per outcome.
    public var totals: [String: Int] { counts.mapValues { $0.values.reduce(0, +) } }

    /// Outcomes present in this run or the trend, in reading order.
    public var categories: [String] {
        var present = Set(counts.keys)
        for point in trend { present.formUnion(point.totals.keys) }
        return Self.categoryOrder.filter(present.contains) + present.subtracting(Self.categoryOrder).sorted()
    }

    /// Loads the report of `runID`, or of the latest run when nil.
    public static func load(run runID: Int? = nil, from connection: Connection) throws -> ReportData {
        let time = { (column: String) in ExportQuery.time(column) }
        return try connection.transaction {
            try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            let runColumns = """
                id, \(time("started_at")), \(time("finished_at")), extract(epoch FROM finished_at - started_at),
                event_count, rejected_count, counts::text
                """
            let selected = try connection.query("""
                SELECT \(runColumns) FROM plan_runs WHERE $1::bigint IS NULL OR id = $1::bigint ORDER BY id DESC LIMIT 1
                """, [runID.map(String.init)]).rows.first
            guard let selected, let id = selected[0].flatMap({ Int($0) }) else {
                throw StoreError(.invalidInput, runID.map { "there is no run \($0)" } ?? "there is no run yet: run `bounceplan run` first")
            }
            let counts = decodeCounts(selected[6])
            let trendRows = try connection.query("""
                SELECT * FROM (SELECT \(runColumns) FROM plan_runs WHERE id <= $1 ORDER BY id DESC LIMIT 30) t ORDER BY id
                """, [String(id)]).rows
            let trend = trendRows.map { row in
                RunPoint(id: Int(row[0] ?? "") ?? 0, finishedAt: row[2] ?? "", events: Int(row[4] ?? "") ?? 0,
                         totals: decodeCounts(row[6]).mapValues { $0.values.reduce(0, +) })
            }
            let previous = trend.count >= 2 ? trend[trend.count - 2] : nil
            let currentTotals = counts.mapValues { $0.values.reduce(0, +) }
            let keys = Set(currentTotals.keys).union(previous?.totals.keys ?? [:].keys)
            let deltas = (categoryOrder.filter(keys.contains) + keys.subtracting(categoryOrder).sorted()).map { key in
                let current = currentTotals[key] ?? 0
                let before = previous?.totals[key] ?? 0
                return Delta(category: key, current: current, previous: before, change: current - before)
            }
            let topSuppressed = try connection.query("""
                SELECT domain, count(*) FROM suppressions WHERE status = 'active'
                GROUP BY domain ORDER BY count(*) DESC, domain LIMIT 20
                """).rows.map { Destination(destination: $0[0] ?? "", count: Int($0[1] ?? "") ?? 0, detail: nil) }
            let topRateLimited = try connection.query("""
                SELECT destination, count(*), min(max_per_hour) FROM rate_limits WHERE until > now()
                GROUP BY destination ORDER BY count(*) DESC, min(max_per_hour), destination LIMIT 20
                """).rows.map { row in
                let lowest = Int(row[2] ?? "") ?? 0
                return Destination(destination: row[0] ?? "", count: Int(row[1] ?? "") ?? 0,
                                   detail: lowest == 0 ? "paused" : "\(lowest)/h")
            }
            let topSenderIssues = try connection.query("""
                SELECT destination, sum(event_count), string_agg(DISTINCT reason, ', ' ORDER BY reason)
                FROM sender_issues WHERE status = 'open'
                GROUP BY destination ORDER BY sum(event_count) DESC, destination LIMIT 20
                """).rows.map { Destination(destination: $0[0] ?? "", count: Int($0[1] ?? "") ?? 0, detail: $0[2]) }
            return ReportData(
                runID: id, startedAt: selected[1] ?? "", finishedAt: selected[2] ?? "",
                seconds: Double(selected[3] ?? "") ?? 0, events: Int(selected[4] ?? "") ?? 0,
                rejected: Int(selected[5] ?? "") ?? 0, counts: counts, previousRunID: previous?.id, deltas: deltas,
                topSuppressed: topSuppressed, topRateLimited: topRateLimited, topSenderIssues: topSenderIssues,
                trend: trend)
        }
    }

    static func decodeCounts(_ json: String?) -> [String: [String: Int]] {
        guard let json, let data = json.data(using: .utf8),
              let decoded = try? JSONDecoder().decode([String: [String: Int]].self, from: data) else { return [:] }
        return decoded
    }

    /// The report as pretty, key-sorted JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
