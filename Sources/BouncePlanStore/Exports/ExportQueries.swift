/// Which suppressions `export suppressions` writes.
public enum SuppressionStatusFilter: String, CaseIterable, Sendable {
    case active, pending_review, removed, all
}

/// The column layouts of `export suppressions`.
public enum SuppressionPreset: String, CaseIterable, Sendable {
    /// Every column bounceplan keeps.
    case full
    /// Amazon SES account-level suppression list bulk import: the address and `BOUNCE` or `COMPLAINT`,
    /// no header line (as in AWS's own CSV example); in NDJSON the keys are `emailAddress` and `reason`.
    case ses
    /// Mailgun bounces import: `address,code,error,created_at` (RFC 2822 time).
    case mailgun
}

/// What `export suppressions` selects.
public struct SuppressionExportOptions: Sendable {
    public var preset: SuppressionPreset = .full
    public var status: SuppressionStatusFilter = .active
    /// Only suppressions changed at or after this time (any timestamp PostgreSQL reads).
    public var since: String?
    /// Only suppressions written by this run.
    public var runID: Int?
    /// Only these categories (`suppress`, `manual`, …); empty means all.
    public var categories: [String] = []

    public init(preset: SuppressionPreset = .full, status: SuppressionStatusFilter = .active, since: String? = nil,
                runID: Int? = nil, categories: [String] = []) {
        self.preset = preset
        self.status = status
        self.since = since
        self.runID = runID
        self.categories = categories
    }
}

/// One export: a `SELECT` streamed by COPY, its columns, and the values it reads with
/// `current_setting('bounceplan.…')` (COPY takes no bind parameters, and values are never spliced).
public struct ExportQuery: Sendable {
    public var columns: [ExportColumn]
    /// `FROM … WHERE … ORDER BY …`: the rows, in file order.
    public var source: String
    public var settings: [(name: String, value: String)]
    /// False for formats whose consumer expects no header line (the SES import).
    public var csvHeader = true
    /// True for the CSV people open in a spreadsheet: cells that would run as formulas get a `'`.
    /// False for files another service imports (SES, Mailgun), which must carry the exact values.
    public var neutralisesFormulas = true

    /// ISO 8601 in UTC, whatever the session's time zone.
    static func time(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    }

    public static func suppressions(_ options: SuppressionExportOptions, format: ExportFormat) -> ExportQuery {
        // The delta filters are written only when asked for, as plain comparisons: then the planner can
        // use `suppressions_updated_at_idx` and `suppressions_updated_run_idx`, which an
        // `(setting = '' OR column …)` disjunction keeps it from (it cannot know the setting when planning).
        var conditions = [
            "(current_setting('bounceplan.status') = 'all' OR s.status = current_setting('bounceplan.status'))",
            """
            (current_setting('bounceplan.categories') = ''
                   OR s.category = ANY (string_to_array(current_setting('bounceplan.categories'), ',')))
            """,
        ]
        if options.since != nil { conditions.append("s.updated_at >= current_setting('bounceplan.since')::timestamptz") }
        if options.runID != nil { conditions.append("s.updated_run_id = current_setting('bounceplan.run')::bigint") }
        let filter = "WHERE " + conditions.joined(separator: "\n  AND ")
        let settings: [(name: String, value: String)] = [
            ("bounceplan.status", options.status.rawValue),
            ("bounceplan.categories", options.categories.joined(separator: ",")),
            ("bounceplan.since", options.since ?? ""),
            ("bounceplan.run", options.runID.map(String.init) ?? ""),
        ]
        switch options.preset {
        case .full:
            return ExportQuery(
                columns: [
                    ExportColumn("recipient", "s.recipient"), ExportColumn("domain", "s.domain"),
                    ExportColumn("status", "s.status"), ExportColumn("category", "s.category"),
                    ExportColumn("reason", "s.reason"), ExportColumn("rule_id", "s.rule_id"),
                    ExportColumn("suppressed_at", time("s.suppressed_at"), .time), ExportColumn("updated_at", time("s.updated_at"), .time),
                    ExportColumn("removed_at", time("s.removed_at"), .time),
                    ExportColumn("first_event_id", "s.first_event_id", .number),
                    ExportColumn("last_event_id", "s.last_event_id", .number),
                    ExportColumn("updated_run_id", "s.updated_run_id", .number),
                ],
                source: """
                    FROM suppressions s
                    \(filter)
                    ORDER BY s.recipient
                    """,
                settings: settings)
        case .ses:
            let names = format == .csv ? ["EMAIL_ADDRESS", "REASON"] : ["emailAddress", "reason"]
            return ExportQuery(
                columns: [
                    ExportColumn(names[0], "s.recipient"),
                    ExportColumn(names[1], "CASE WHEN s.reason = 'complaint' THEN 'COMPLAINT' ELSE 'BOUNCE' END"),
                ],
                source: """
                    FROM suppressions s
                    \(filter)
                    ORDER BY s.recipient
                    """,
                settings: settings, csvHeader: false, neutralisesFormulas: false)
        case .mailgun:
            return ExportQuery(
                columns: [
                    ExportColumn("address", "s.recipient"), ExportColumn("code", "coalesce(o.smtp_code, 550)", .number),
                    ExportColumn("error", "coalesce(e.diagnostic, s.reason)"),
                    ExportColumn("created_at", "to_char(s.suppressed_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"+0000\"')", .time),
                ],
                source: """
                    FROM suppressions s
                    LEFT JOIN event_outcomes o ON o.event_id = s.last_event_id
                    LEFT JOIN bounce_events e ON e.id = s.last_event_id
                    \(filter)
                    ORDER BY s.recipient
                    """,
                settings: settings, neutralisesFormulas: false)
        }
    }

    /// The retry schedule, soonest first; `status` is `pending`, `given_up` or `all`.
    public static func retries(status: String = "pending", runID: Int? = nil) -> ExportQuery {
        ExportQuery(
            columns: [
                ExportColumn("message_id", "r.message_id"), ExportColumn("recipient", "r.recipient"),
                ExportColumn("attempt", "r.attempt", .number), ExportColumn("next_attempt_at", time("r.next_attempt_at"), .time),
                ExportColumn("reason", "r.reason"), ExportColumn("destination", "r.destination"),
                ExportColumn("source", "r.source"), ExportColumn("status", "r.status"),
            ],
            source: """
                FROM retry_schedule r
                WHERE (current_setting('bounceplan.status') = 'all' OR r.status = current_setting('bounceplan.status'))
                  AND (current_setting('bounceplan.run') = ''
                       OR r.updated_run_id = nullif(current_setting('bounceplan.run'), '')::bigint)
                ORDER BY r.next_attempt_at, r.recipient, r.message_id
                """,
            settings: [("bounceplan.status", status), ("bounceplan.run", runID.map(String.init) ?? "")])
    }

    /// Every rate limit and pause not yet lifted, whatever its hold: a limit stays in force until clean
    /// nights raise its allowance to the ceiling (the run then deletes it), so the table holds exactly
    /// the limits in force. `until` is the end of the current hold or pause, a separate field: an
    /// allowance of 500/h whose hold has passed is still 500/h. `includeExpired` is kept for scripts
    /// written against the first version, which hid limits whose hold had passed; it changes nothing.
    public static func rateLimits(includeExpired: Bool = false) -> ExportQuery {
        ExportQuery(
            columns: [
                ExportColumn("destination", "l.destination"), ExportColumn("source", "l.source"),
                ExportColumn("max_per_hour", "l.max_per_hour", .number),
                ExportColumn("paused", "l.paused OR l.max_per_hour = 0", .boolean),
                ExportColumn("reason", "l.reason"), ExportColumn("since", time("l.since"), .time), ExportColumn("until", time("l.until"), .time),
                ExportColumn("hold_active", "coalesce(l.until > now(), false)", .boolean),
                ExportColumn("event_count", "l.event_count", .number),
            ],
            source: """
                FROM rate_limits l
                ORDER BY l.destination, l.source
                """,
            settings: [])
    }
}
