import Postgres

/// The set-based statements that turn one run's staged outcomes into plans. Every value is a
/// parameter; `$1` is always the run id.
struct PlanWriter {
    let connection: Connection
    let runID: Int
    let parameters: PlanParameters

    /// Rows written per plan table.
    private(set) var counts: [String: Int] = [:]

    mutating func recordOutcomes() throws {
        counts["event_outcomes"] = try connection.query("""
            INSERT INTO event_outcomes (event_id, run_id, occurred_at, recipient, domain, destination, source,
                                        message_id, kind, outcome, reason, rule_id, smtp_code, enhanced_status)
            SELECT event_id, $1, occurred_at, recipient, domain, destination, source,
                   message_id, kind, outcome, reason, rule_id, smtp_code, enhanced_status
            FROM staged_outcomes
            """, [String(runID)]).affectedRows
    }

    mutating func writeSuppressions() throws {
        counts["suppressions"] = try connection.query("""
            INSERT INTO suppressions AS s (recipient, domain, status, category, reason, rule_id, suppressed_at,
                                           first_event_id, last_event_id, evidence_event_ids,
                                           created_run_id, updated_run_id)
            SELECT recipient, min(domain), 'active', 'suppress',
                   (array_agg(reason ORDER BY occurred_at, event_id))[1],
                   (array_agg(rule_id ORDER BY occurred_at, event_id))[1],
                   min(occurred_at),
                   (array_agg(event_id ORDER BY occurred_at, event_id))[1],
                   (array_agg(event_id ORDER BY occurred_at DESC, event_id DESC))[1],
                   (array_agg(event_id ORDER BY occurred_at DESC, event_id DESC))[1:50],
                   $1, $1
            FROM staged_outcomes
            WHERE outcome = 'suppress' AND recipient IS NOT NULL
            GROUP BY recipient
            ON CONFLICT (recipient) DO UPDATE SET
                -- A removed address comes back only through new evidence, which this is; its first cause
                -- is then the new one. An active one keeps its first cause and gains evidence.
                status = CASE WHEN s.status = 'removed' THEN 'active' ELSE s.status END,
                reason = CASE WHEN s.status = 'removed' THEN excluded.reason ELSE s.reason END,
                rule_id = CASE WHEN s.status = 'removed' THEN excluded.rule_id ELSE s.rule_id END,
                suppressed_at = CASE WHEN s.status = 'removed' THEN excluded.suppressed_at ELSE s.suppressed_at END,
                last_event_id = greatest(s.last_event_id, excluded.last_event_id),
                evidence_event_ids = (excluded.evidence_event_ids || s.evidence_event_ids)[1:50],
                updated_run_id = excluded.updated_run_id,
                updated_at = now()
            -- An operator's removal stands against evidence that occurred before it (0003_manual_control).
            WHERE s.status <> 'removed' OR s.removed_at IS NULL
               OR EXISTS (SELECT 1 FROM staged_outcomes n
                          WHERE n.recipient = s.recipient AND n.outcome = 'suppress' AND n.occurred_at > s.removed_at)
            """, [String(runID)]).affectedRows
        // A suppressed recipient has nothing left to retry.
        counts["retry_schedule_cancelled"] = try connection.query("""
            DELETE FROM retry_schedule r
            USING suppressions s
            WHERE s.updated_run_id = $1 AND s.status = 'active' AND r.recipient = s.recipient
            """, [String(runID)]).affectedRows
    }

    mutating func writeRetries() throws {
        let p = parameters
        counts["retry_schedule"] = try connection.query("""
            WITH grouped AS (
                SELECT message_id, recipient,
                       (array_agg(destination ORDER BY occurred_at DESC, event_id DESC))[1] AS destination,
                       (array_agg(source ORDER BY occurred_at DESC, event_id DESC))[1] AS source,
                       count(*)::integer AS attempts,
                       min(occurred_at) AS first_failed_at,
                       max(occurred_at) AS last_failed_at,
                       (array_agg(outcome ORDER BY occurred_at DESC, event_id DESC))[1] AS category,
                       (array_agg(reason ORDER BY occurred_at DESC, event_id DESC))[1] AS reason,
                       (array_agg(rule_id ORDER BY occurred_at DESC, event_id DESC))[1] AS rule_id,
                       max(event_id) AS last_event_id,
                       min(jitter) AS jitter
                FROM staged_outcomes
                WHERE outcome IN ('retry', 'unknown', 'ratelimit') AND recipient IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM suppressions s
                                  WHERE s.recipient = staged_outcomes.recipient AND s.status = 'active')
                GROUP BY message_id, recipient
            )
            INSERT INTO retry_schedule AS r (message_id, recipient, destination, source, attempt, first_failed_at,
                                             last_failed_at, next_attempt_at, status, jitter, category, reason, rule_id,
                                             last_event_id, updated_run_id)
            SELECT message_id, recipient, destination, source, attempts, first_failed_at, last_failed_at,
                   last_failed_at + make_interval(secs => least($4::float8,
                       $2::float8 * power($3::float8, attempts - 1) * (1 + $5::float8 * jitter / 10000.0))),
                   CASE WHEN attempts >= $6::integer THEN 'given_up' ELSE 'pending' END,
                   jitter, category, reason, rule_id, last_event_id, $1
            FROM grouped
            ON CONFLICT (message_id, recipient) DO UPDATE SET
                attempt = r.attempt + excluded.attempt,
                destination = excluded.destination,
                source = excluded.source,
                first_failed_at = least(r.first_failed_at, excluded.first_failed_at),
                last_failed_at = greatest(r.last_failed_at, excluded.last_failed_at),
                next_attempt_at = greatest(r.last_failed_at, excluded.last_failed_at)
                    + make_interval(secs => least($4::float8,
                        $2::float8 * power($3::float8, r.attempt + excluded.attempt - 1)
                        * (1 + $5::float8 * r.jitter / 10000.0))),
                status = CASE WHEN r.attempt + excluded.attempt >= $6::integer THEN 'given_up' ELSE 'pending' END,
                category = excluded.category,
                reason = excluded.reason,
                rule_id = excluded.rule_id,
                last_event_id = greatest(r.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [String(runID), String(p.retryBaseSeconds), String(p.retryFactor), String(p.retryCapSeconds),
                  String(p.retryJitterFraction), String(p.retryMaxAttempts)]).affectedRows
    }

    mutating func writeRateLimits() throws {
        let p = parameters
        counts["rate_limits"] = try connection.query("""
            INSERT INTO rate_limits AS l (destination, source, max_per_hour, reason, rule_id, since, until,
                                          event_count, last_event_id, updated_run_id)
            SELECT destination, source,
                   greatest($4::integer, floor($2::integer * $3::float8)::integer),
                   (array_agg(reason ORDER BY occurred_at DESC, event_id DESC))[1],
                   (array_agg(rule_id ORDER BY occurred_at DESC, event_id DESC))[1],
                   min(occurred_at),
                   max(occurred_at) + make_interval(secs => $5::float8),
                   count(*), max(event_id), $1
            FROM staged_outcomes
            WHERE outcome = 'ratelimit' AND destination IS NOT NULL
            GROUP BY destination, source
            ON CONFLICT (destination, source) DO UPDATE SET
                max_per_hour = greatest($4::integer, floor(l.max_per_hour * $3::float8)::integer),
                reason = excluded.reason,
                rule_id = excluded.rule_id,
                until = greatest(l.until, excluded.until),
                event_count = l.event_count + excluded.event_count,
                last_event_id = greatest(l.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [String(runID), String(p.rateInitialPerHour), String(p.rateDecreaseFactor),
                  String(p.rateFloorPerHour), String(p.rateHoldSeconds)]).affectedRows
    }

    mutating func writeSenderIssues() throws {
        counts["sender_issues"] = try connection.query("""
            INSERT INTO sender_issues AS i (source, destination, reason, category, rule_id, event_count,
                                            first_seen, last_seen, sample_response, severity, last_event_id,
                                            updated_run_id)
            SELECT source, coalesce(destination, ''), reason,
                   (array_agg(outcome ORDER BY occurred_at DESC, event_id DESC))[1],
                   (array_agg(rule_id ORDER BY occurred_at DESC, event_id DESC))[1],
                   count(*), min(occurred_at), max(occurred_at),
                   coalesce((array_agg(sample ORDER BY occurred_at DESC, event_id DESC))[1], ''),
                   CASE
                       WHEN reason IN ('ip_blocklisted', 'sender_banned', 'ip_traffic_refused', 'tenant_threshold',
                                       'domain_blocklisted') THEN 'critical'
                       WHEN reason LIKE 'auth_%' OR reason IN ('reputation', 'reverse_dns', 'relay_denied',
                                                               'not_authenticated') THEN 'high'
                       WHEN count(*) >= 100 THEN 'high'
                       WHEN count(*) >= 10 THEN 'medium'
                       ELSE 'low'
                   END,
                   max(event_id), $1
            FROM staged_outcomes
            WHERE outcome IN ('sender', 'content')
            GROUP BY source, coalesce(destination, ''), reason
            ON CONFLICT (source, destination, reason) DO UPDATE SET
                event_count = i.event_count + excluded.event_count,
                first_seen = least(i.first_seen, excluded.first_seen),
                last_seen = greatest(i.last_seen, excluded.last_seen),
                sample_response = excluded.sample_response,
                severity = CASE WHEN excluded.severity = 'critical' OR i.severity = 'critical' THEN 'critical'
                                WHEN excluded.severity = 'high' OR i.severity = 'high' THEN 'high'
                                ELSE excluded.severity END,
                status = 'open',
                last_event_id = greatest(i.last_event_id, excluded.last_event_id),
                updated_run_id = excluded.updated_run_id
            """, [String(runID)]).affectedRows
    }
}
