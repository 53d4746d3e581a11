import BouncePlanning
import Postgres

extension PlanWriter {
    /// Moves every rate limit one night: throttled (destination, source) pairs decrease or pause, the
    /// others recover additively once a day until the limit is lifted. SQL aggregates tonight's
    /// throttling; `RateLimitPolicy.step` decides.
    mutating func writeRateLimits() throws {
        let rateLimit = policy.rateLimit
        struct Key: Hashable { var destination: String; var source: String }
        var tonight: [Key: ThrottleObservation] = [:]
        var lastEventIDs: [Key: Int] = [:]
        var ruleIDs: [Key: (count: Int, rule: String)] = [:]
        let aggregates = try connection.query("""
            SELECT destination, source, reason, rule_id, count(*), extract(epoch FROM max(occurred_at))::bigint,
                   max(hold_seconds), max(event_id)
            FROM event_outcomes
            WHERE run_id = $1 AND outcome = 'ratelimit' AND destination IS NOT NULL
            GROUP BY 1, 2, 3, 4
            """, [run])
        for row in aggregates.rows {
            guard let destination = row[0], let source = row[1], let reason = row[2], let rule = row[3],
                let count = row[4].flatMap({ Int($0) }), let last = row[5].flatMap({ Int64($0) })
            else { continue }
            let key = Key(destination: destination, source: source)
            let observation = ThrottleObservation(
                eventCount: count, lastEventAt: Timestamp(secondsSinceEpoch: last), reasonCounts: [reason: count],
                ruleCounts: [rule: count], statedHold: row[6].flatMap { Int64($0) }.map { .seconds($0) })
            tonight[key] = tonight[key].map { $0.adding(observation) } ?? observation
            lastEventIDs[key] = max(lastEventIDs[key] ?? 0, row[7].flatMap { Int($0) } ?? 0)
            if count > (ruleIDs[key]?.count ?? 0) { ruleIDs[key] = (count, rule) }
        }

        // Limits in force: throttled tonight, or due for a clean-night step (at most one a day).
        var previous: [Key: (state: RateLimitState, rule: String, lastEventID: Int)] = [:]
        let existing = try connection.query("""
            SELECT destination, source, max_per_hour, paused, reason, rule_id, extract(epoch FROM since)::bigint,
                   extract(epoch FROM until)::bigint, event_count, last_event_id, explanation,
                   last_step_at <= to_timestamp($1::bigint) - interval '20 hours' AS due
            FROM rate_limits
            """, [nowText])
        var due: Set<Key> = []
        for row in existing.rows {
            guard let destination = row[0], let source = row[1] else { continue }
            let key = Key(destination: destination, source: source)
            let state = RateLimitState(
                maxPerHour: row[2].flatMap { Int($0) } ?? 0, since: Timestamp(secondsSinceEpoch: row[6].flatMap { Int64($0) } ?? 0),
                until: row[7].flatMap { Int64($0) }.map { Timestamp(secondsSinceEpoch: $0) }, reason: row[4] ?? "",
                eventCount: row[8].flatMap { Int($0) } ?? 0, paused: row[3] == "t", explanation: row[10] ?? "")
            previous[key] = (state, row[5] ?? "", row[9].flatMap { Int($0) } ?? 0)
            if row[11] == "t" { due.insert(key) }
        }

        var upserts: [(Key, RateLimitState, String, Int)] = []
        var lifted: [Key] = []
        for key in Set(tonight.keys).union(due).sorted(by: { ($0.destination, $0.source) < ($1.destination, $1.source) }) {
            let prior = previous[key]
            let next = rateLimit.step(previous: prior?.state, tonight: tonight[key], now: now)
            if let next {
                upserts.append((key, next, ruleIDs[key]?.rule ?? prior?.rule ?? "", max(lastEventIDs[key] ?? 0, prior?.lastEventID ?? 0)))
            } else if prior != nil {
                lifted.append(key)
            }
        }
        counts["rate_limits"] = upserts.count
        counts["rate_limits_lifted"] = lifted.count
        guard !upserts.isEmpty || !lifted.isEmpty else { return }
        try connection.query("""
            CREATE TEMP TABLE run_rate_limits (destination text, source text, max_per_hour integer, paused boolean,
                reason text, rule_id text, since bigint, until bigint, event_count bigint, last_event_id bigint,
                explanation text, lifted boolean) ON COMMIT DROP
            """)
        try connection.copyIn("COPY run_rate_limits FROM STDIN") { writer in
            for (key, state, rule, lastEventID) in upserts {
                writer.field(key.destination)
                writer.field(key.source)
                writer.field(state.maxPerHour)
                writer.field(state.paused ? "t" : "f")
                writer.field(state.reason)
                writer.field(rule)
                writer.field(Int(state.since.secondsSinceEpoch))
                writer.field(state.until.map { Int($0.secondsSinceEpoch) })
                writer.field(state.eventCount)
                writer.field(lastEventID)
                writer.field(state.explanation)
                writer.field("f")
                try writer.endRow()
            }
            for key in lifted {
                writer.field(key.destination)
                writer.field(key.source)
                for _ in 0..<9 { writer.field(nil as String?) }
                writer.field("t")
                try writer.endRow()
            }
        }
        try connection.query("""
            INSERT INTO rate_limits AS l (destination, source, max_per_hour, paused, reason, rule_id, since, until,
                                          last_step_at, explanation, event_count, last_event_id, updated_run_id)
            SELECT destination, source, max_per_hour, paused, reason, rule_id, to_timestamp(since), to_timestamp(until),
                   to_timestamp($2::bigint), explanation, event_count, last_event_id, $1
            FROM run_rate_limits WHERE NOT lifted
            ON CONFLICT (destination, source) DO UPDATE SET
                max_per_hour = excluded.max_per_hour, paused = excluded.paused, reason = excluded.reason,
                rule_id = excluded.rule_id, since = excluded.since, until = excluded.until,
                last_step_at = excluded.last_step_at, explanation = excluded.explanation,
                event_count = excluded.event_count, last_event_id = excluded.last_event_id,
                updated_run_id = excluded.updated_run_id
            """, [run, nowText])
        try connection.query("""
            DELETE FROM rate_limits l USING run_rate_limits u
            WHERE u.lifted AND l.destination = u.destination AND l.source = u.source
            """)
    }
}
