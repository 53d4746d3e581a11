import Postgres

/// The planner's tables reduced to their decisions, so that two databases planned from the same
/// events compare equal when, and only when, every decision is the same.
public enum PlanTables {
    /// Tables that are not the planner's output: its input, its run log and the migration record.
    /// The run's filter of recipients with prior state (migration 0011) is an access path, not a decision.
    public static let notDecisions: Set<String> = [
        "bounce_events", "plan_runs", "schema_migrations", "recipient_filter", "recipient_filter_pending",
    ]

    /// Columns that legitimately differ between two runs over the same events: which run wrote a
    /// row, and the wall-clock time it did.
    public static let runColumns: Set<String> = [
        "run_id", "created_run_id", "updated_run_id", "created_at", "updated_at", "started_at", "finished_at",
    ]

    /// Columns that hold the run's clock rather than an event's time: a limit's start and its last
    /// step are "now" when the run decides them, so two runs a few seconds apart differ there.
    /// (The command line has no option to pin the clock; `PlanRunOptions.now` does in-process.)
    public static let runClockColumns: [String: Set<String>] = ["rate_limits": ["since", "last_step_at"]]

    /// The tables the planner writes, found in the schema so that a table added later is compared too.
    public static func decisionTables(_ connection: Connection) throws -> [String] {
        try connection.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
              -- A partition's rows are its parent's (the evidence is partitioned by run: migration 0010).
              AND NOT (SELECT c.relispartition FROM pg_class c
                       WHERE c.oid = (quote_ident(table_schema) || '.' || quote_ident(table_name))::regclass)
            ORDER BY table_name
            """).rows.compactMap { $0[0] }.filter { !notDecisions.contains($0) }
    }

    /// Every row of every decision table without ``runColumns`` and ``runClockColumns``, as text,
    /// sorted; plus, for `plan_runs`, how many runs wrote something and how many events they planned
    /// (the rows themselves hold times, snapshots and ids that always differ).
    public static func canonicalDump(_ connection: Connection) throws -> [String: [String]] {
        var dump: [String: [String]] = [:]
        for table in try decisionTables(connection) {
            let skipped = runColumns.union(runClockColumns[table] ?? [])
            let columns = try connection.query("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = $1
                ORDER BY ordinal_position
                """, [table]).rows.compactMap { $0[0] }.filter { !skipped.contains($0) }
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
        let sum = (try decisionTables(connection) + ["plan_runs"])
            .map { "(SELECT count(*) FROM \(ScratchDatabase.quoted($0)))" }
            .joined(separator: " + ")
        return Int(try connection.query("SELECT \(sum)").scalar ?? "") ?? -1
    }

    /// The first difference between two dumps, for a readable failure message; nil when equal.
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

    /// Row counts per table, for a short description of a dump.
    public static func summary(_ dump: [String: [String]]) -> String {
        dump.keys.sorted().map { "\($0) \(dump[$0]?.count ?? 0)" }.joined(separator: ", ")
    }
}
