import BouncePlanning
import Postgres

extension PlanWriter {
    /// Keys handled per round trip; bounds the client's memory whatever the number of destinations.
    static let rateLimitPage = 2000

    /// Moves every rate limit one night: throttled (destination, source) pairs decrease or pause, the
    /// others recover additively once a day until the limit is lifted. Tonight's throttling was counted
    /// in pass 1 (`throttles`, see `DestinationTally.ThrottleFilter`); `RateLimitPolicy.step` decides, a
    /// page of keys at a time.
    mutating func writeRateLimits(_ throttles: [DestinationTally.ThrottleKey: DestinationTally.Throttle]) throws {
        try connection.query("""
            CREATE TEMP TABLE run_throttles (destination text, source text, reason text, rule_id text, events bigint,
                                             last_at bigint, hold integer, last_event_id bigint) ON COMMIT DROP
            """)
        if !throttles.isEmpty {
            try connection.copyIn("COPY run_throttles FROM STDIN") { writer in
                for (key, throttle) in throttles {
                    writer.field(key.destination)
                    writer.field(key.source)
                    writer.field(key.reason)
                    writer.field(key.ruleID)
                    writer.field(throttle.events)
                    // extract(epoch FROM max(occurred_at))::bigint, as the aggregate this replaces read it.
                    writer.field(Int(MicroTime.roundedSeconds(throttle.lastMicros)))
                    writer.field(throttle.hold)
                    writer.field(throttle.lastEventID)
                    try writer.endRow()
                }
            }
        }
        try connection.query("CREATE INDEX ON run_throttles (destination, source)")
        // Throttled tonight, or in force and due for a clean-night step (at most one a day).
        try connection.query("""
            CREATE TEMP TABLE run_rate_keys ON COMMIT DROP AS
            SELECT destination, source FROM run_throttles
            UNION
            SELECT destination, source FROM rate_limits WHERE last_step_at <= to_timestamp($1::bigint) - interval '20 hours'
            """, [nowText])
        try connection.query("ALTER TABLE run_rate_keys ADD PRIMARY KEY (destination, source)")
        try connection.query("""
            CREATE TEMP TABLE run_rate_limits (destination text, source text, max_per_hour integer, paused boolean,
                reason text, rule_id text, since bigint, until bigint, event_count bigint, last_event_id bigint,
                explanation text, lifted boolean) ON COMMIT DROP
            """)
        var after = ("", "")
        var first = true
        var written = 0
        var lifted = 0
        while true {
            let page = try connection.query("""
                SELECT k.destination, k.source, t.reason, t.rule_id, t.events, t.last_at, t.hold, t.last_event_id,
                       l.max_per_hour, l.paused, l.reason, l.rule_id, extract(epoch FROM l.since)::bigint,
                       extract(epoch FROM l.until)::bigint, l.event_count, l.last_event_id, l.explanation
                FROM (SELECT destination, source FROM run_rate_keys
                      WHERE $3 OR (destination, source) > ($1, $2)
                      ORDER BY destination, source LIMIT $4) k
                LEFT JOIN run_throttles t ON t.destination = k.destination AND t.source = k.source
                LEFT JOIN rate_limits l ON l.destination = k.destination AND l.source = k.source
                -- Within a key the most frequent rule comes first (ties by id), so the row's rule is stable.
                ORDER BY k.destination, k.source, t.events DESC, t.rule_id, t.reason
                """, [after.0, after.1, first ? "true" : "false", String(Self.rateLimitPage)])
            guard page.rowCount > 0 else { break }
            var encoder = CopyTextEncoder()
            var index = 0
            while index < page.rowCount {
                let key = (page.value(row: index, column: 0) ?? "", page.value(row: index, column: 1) ?? "")
                var tonight: ThrottleObservation?
                var lastEventID = 0
                var topRule = (count: 0, rule: "")
                var previous: (state: RateLimitState, rule: String, lastEventID: Int)?
                // One key may span several rows, one per (reason, rule) thrown tonight.
                while index < page.rowCount, page.value(row: index, column: 0) == key.0,
                    page.value(row: index, column: 1) == key.1
                {
                    if let reason = page.value(row: index, column: 2), let rule = page.value(row: index, column: 3),
                        let events = page.value(row: index, column: 4).flatMap({ Int($0) }),
                        let last = page.value(row: index, column: 5).flatMap({ Int64($0) })
                    {
                        let observation = ThrottleObservation(
                            eventCount: events, lastEventAt: Timestamp(secondsSinceEpoch: last),
                            reasonCounts: [reason: events], ruleCounts: [rule: events],
                            statedHold: page.value(row: index, column: 6).flatMap { Int64($0) }.map { .seconds($0) })
                        tonight = tonight.map { $0.adding(observation) } ?? observation
                        lastEventID = max(lastEventID, page.value(row: index, column: 7).flatMap { Int($0) } ?? 0)
                        if events > topRule.count { topRule = (events, rule) }
                    }
                    if previous == nil, let maxPerHour = page.value(row: index, column: 8).flatMap({ Int($0) }) {
                        let state = RateLimitState(
                            maxPerHour: maxPerHour,
                            since: Timestamp(secondsSinceEpoch: page.value(row: index, column: 12).flatMap { Int64($0) } ?? 0),
                            until: page.value(row: index, column: 13).flatMap { Int64($0) }.map { Timestamp(secondsSinceEpoch: $0) },
                            reason: page.value(row: index, column: 10) ?? "",
                            eventCount: page.value(row: index, column: 14).flatMap { Int($0) } ?? 0,
                            paused: page.value(row: index, column: 9) == "t",
                            explanation: page.value(row: index, column: 16) ?? "")
                        previous = (state, page.value(row: index, column: 11) ?? "",
                                    page.value(row: index, column: 15).flatMap { Int($0) } ?? 0)
                    }
                    index += 1
                }
                after = key
                let next = policy.rateLimit.step(previous: previous?.state, tonight: tonight, now: now)
                encoder.field(key.0)
                encoder.field(key.1)
                if let next {
                    encoder.field(next.maxPerHour)
                    encoder.field(next.paused ? "t" : "f")
                    encoder.field(next.reason)
                    encoder.field(topRule.count > 0 ? topRule.rule : previous?.rule ?? "")
                    encoder.field(Int(next.since.secondsSinceEpoch))
                    encoder.field(next.until.map { Int($0.secondsSinceEpoch) })
                    encoder.field(next.eventCount)
                    encoder.field(max(lastEventID, previous?.lastEventID ?? 0))
                    encoder.field(next.explanation)
                    encoder.field("f")
                    written += 1
                } else {
                    for _ in 0..<9 { encoder.field(nil as String?) }
                    encoder.field(previous == nil ? "f" : "t")
                    if previous != nil { lifted += 1 }
                }
                encoder.endRow()
            }
            let bytes = encoder.take()
            try connection.copyIn("COPY run_rate_limits FROM STDIN") { writer in try writer.sendEncoded(bytes) }
            first = false
        }
        counts["rate_limits"] = written
        counts["rate_limits_lifted"] = lifted
        // Update-then-insert, the insert skipping the rows just updated by the primary key: a NOT EXISTS
        // anti-join here can go quadratic when the planner takes the table for empty (after TRUNCATE + ANALYZE).
        try connection.query("""
            UPDATE rate_limits l SET
                max_per_hour = u.max_per_hour, paused = u.paused, reason = u.reason, rule_id = u.rule_id,
                since = to_timestamp(u.since), until = to_timestamp(u.until), last_step_at = to_timestamp($2::bigint),
                explanation = u.explanation, event_count = u.event_count, last_event_id = u.last_event_id,
                updated_run_id = $1
            FROM run_rate_limits u
            WHERE u.max_per_hour IS NOT NULL AND l.destination = u.destination AND l.source = u.source
            """, [run, nowText])
        try connection.query("""
            INSERT INTO rate_limits (destination, source, max_per_hour, paused, reason, rule_id, since, until,
                                     last_step_at, explanation, event_count, last_event_id, updated_run_id)
            SELECT destination, source, max_per_hour, paused, reason, rule_id, to_timestamp(since), to_timestamp(until),
                   to_timestamp($2::bigint), explanation, event_count, last_event_id, $1
            FROM run_rate_limits u
            WHERE u.max_per_hour IS NOT NULL
            ON CONFLICT (destination, source) DO NOTHING
            """, [run, nowText])
        try connection.query("""
            DELETE FROM rate_limits l USING run_rate_limits u
            WHERE u.lifted AND l.destination = u.destination AND l.source = u.source
            """)
    }
}
