import Postgres

/// The planner's tables reduced to their decisions, so that two databases planned from the same
/// events compare equal when, and only when, every decision is the same.
public enum PlanTables {
    /// The tables whose every row is a decision.
    public static let decisionTables = ["event_outcomes", "suppressions", "retry_schedule", "rate_limits", "sender_issues"]

    /// Columns that legitimately differ between two runs over the same events: which run wrote a
    /// row, and the wall-clock time it did.
    public static let runColumns: Set<String> = [
        "run_id", "created_run_id", "updated_run_id", "created_at", "updated_at", "started_at", "finished_at",
    ]

    /// Every row of every decision table without ``runColumns``, as text, sorted; plus, for
    /// `plan_runs`, how many runs wrote something and how many events they planned (the rows
    /// themselves hold times, snapshots and ids that always differ).
    public static func canonicalDump(_ connection: Connection) throws -> [String: [String]] {
        var dump: [String: [String]] = [:]
        for table in decisionTables {
            let columns = try connection.query("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = $1
                ORDER BY ordinal_position
                """, [table]).rows.compactMap { $0[0] }.filter { !runColumns.contains($0) }
            precondition(!columns.isEmpty, "no columns found for \(table)")
            let list = columns.map(ScratchDatabase.quoted).joined(separator: ", ")
            dump[table] = try connection.query(
                "SELECT r::text FROM (SELECT \(list) FROM \(ScratchDatabase.quoted(table))) r ORDER BY 1"
            ).rows.map { $0[0] ?? "<null>" }
        }
        dump["plan_runs"] = try connection.query("""
            SELECT format('runs=%s events=%s rejected=%s first=%s last=%s', count(*), sum(event_count),
                          sum(rejected_count), min(first_event_id), max(last_event_id))
            FROM plan_runs
            """).rows.map { $0[0] ?? "<null>" }
        return dump
    }

    /// Rows in all the planner's tables, `plan_runs` included: zero means no trace of any run.
    public static func totalRows(_ connection: Connection) throws -> Int {
        let sum = (decisionTables + ["plan_runs"]).map { "(SELECT count(*) FROM \(ScratchDatabase.quoted($0)))" }
            .joined(separator: " + ")
        return Int(try connection.query("SELECT \(sum)").scalar ?? "") ?? -1
    }

    /// The first difference between two dumps, for a readable failure message.
    public static func firstDifference(_ left: [String: [String]], _ right: [String: [String]]) -> String? {
        for table in Set(left.keys).union(right.keys).sorted() {
            let a = left[table] ?? [], b = right[table] ?? []
            if a == b { continue }
            if a.count != b.count { return "\(table): \(a.count) rows against \(b.count)" }
            if let index = a.indices.first(where: { a[$0] != b[$0] }) {
                return "\(table) row \(index): \(a[index].prefix(300)) against \(b[index].prefix(300))"
            }
        }
        return nil
    }
}
