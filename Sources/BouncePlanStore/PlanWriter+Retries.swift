import BouncePlanning
import Postgres

extension PlanWriter {
    /// One retry row per (recipient, message) that failed temporarily in this run (retry, unknown and
    /// ratelimit outcomes, and sender or content refusals with a 4xx reply), continuing the attempt count
    /// of earlier runs.
    ///
    /// Mirrors `RetryPolicy.nextAttempt` in SQL (a test holds the two together):
    /// delay(n) = min(cap, base × factor^(n−1)); the next attempt is the later of the failure + delay
    /// and the end of any hold on the destination, plus ⌊delay × jitterFraction × jitter⌋; a message is
    /// given up after max_attempts, or when its next attempt would fall max_age after its first failure.
    /// The run's clock is not consulted (as in `RecipientPlanner`), so replanning the same events gives
    /// the same schedule; an attempt time in the past means "due now".
    mutating func writeRetries() throws {
        let retry = policy.retry
        counts["retry_schedule"] = try connection.query("""
            WITH latest AS (
                -- One sort serves every per-message value: the window sees the whole group, DISTINCT ON
                -- keeps its latest event. Key order matches the primary key, so index inserts stay local.
                SELECT DISTINCT ON (recipient, message_id)
                       message_id, recipient, destination, source, outcome AS category, reason, rule_id, jitter,
                       count(*) OVER w AS attempts,
                       min(occurred_at) OVER w AS first_failed_at,
                       max(occurred_at) OVER w AS last_failed_at,
                       max(event_id) OVER w AS last_event_id
                FROM run_events
                WHERE recipient IS NOT NULL
                  AND (outcome IN ('retry', 'unknown', 'ratelimit')
                       OR (outcome IN ('sender', 'content') AND smtp_code BETWEEN 400 AND 499))
                -- Ordered as DISTINCT ON needs, with the whole group as the frame: one sort, not two.
                WINDOW w AS (PARTITION BY recipient, message_id ORDER BY occurred_at DESC, event_id DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                ORDER BY recipient, message_id, occurred_at DESC, event_id DESC
            ), combined AS (
                SELECT l.message_id, l.recipient, coalesce(l.destination, '') AS destination, l.source, l.category,
                       l.reason, l.rule_id, l.jitter,
                       (coalesce(r.attempt, 0) + l.attempts)::integer AS attempt,
                       least(coalesce(r.first_failed_at, l.first_failed_at), l.first_failed_at) AS first_failed_at,
                       greatest(coalesce(r.last_failed_at, l.last_failed_at), l.last_failed_at) AS last_failed_at,
                       greatest(coalesce(r.last_event_id, l.last_event_id), l.last_event_id) AS last_event_id,
                       r.recipient IS NOT NULL AS existed
                FROM latest l
                LEFT JOIN retry_schedule r ON r.recipient = l.recipient AND r.message_id = l.message_id
                WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.recipient = l.recipient AND s.status = 'active')
            ), timed AS (
                SELECT c.*,
                       -- Compared in logarithms first, so a huge attempt number cannot overflow power().
                       floor(CASE WHEN $3::float8 <= 1 OR (c.attempt - 1) * ln($3::float8) >= ln(greatest($4::float8, 1) / greatest($2::float8, 1))
                                  THEN least($4::float8, $2::float8 * CASE WHEN $3::float8 <= 1 THEN 1 ELSE 'Infinity'::float8 END)
                                  ELSE least($4::float8, $2::float8 * power($3::float8, c.attempt - 1)) END) AS delay,
                       h.until AS hold_until
                FROM combined c
                LEFT JOIN rate_limits h ON h.destination = c.destination AND h.source = c.source
            ), scheduled AS (
                SELECT t.*,
                       greatest(t.last_failed_at + make_interval(secs => t.delay), t.hold_until)
                           + make_interval(secs => floor(t.delay * ($5::float8 * t.jitter))) AS next_attempt_at
                FROM timed t
            ), decided AS (
                SELECT s.*,
                       CASE WHEN s.attempt > $6::integer
                              OR s.next_attempt_at - least(s.first_failed_at, s.last_failed_at) > make_interval(secs => $7::float8)
                            THEN 'given_up' ELSE 'pending' END AS status
                FROM scheduled s
            ), updated AS (
                -- Existing rows are updated and new ones plainly inserted: no other session writes here
                -- while the run holds its lock (manual commands wait for it), and ON CONFLICT's speculative
                -- insertion measured twice as slow.
                UPDATE retry_schedule r SET
                    destination = d.destination, source = d.source, attempt = d.attempt,
                    first_failed_at = d.first_failed_at, last_failed_at = d.last_failed_at,
                    next_attempt_at = d.next_attempt_at, status = d.status, category = d.category, reason = d.reason,
                    rule_id = d.rule_id, last_event_id = d.last_event_id, updated_run_id = $1
                FROM decided d
                WHERE d.existed AND r.recipient = d.recipient AND r.message_id = d.message_id
                RETURNING 1
            ), inserted AS (
                INSERT INTO retry_schedule (message_id, recipient, destination, source, attempt, first_failed_at,
                                            last_failed_at, next_attempt_at, status, jitter, category, reason,
                                            rule_id, last_event_id, updated_run_id)
                SELECT message_id, recipient, destination, source, attempt, first_failed_at, last_failed_at,
                       next_attempt_at, status, jitter, category, reason, rule_id, last_event_id, $1
                FROM decided
                WHERE NOT existed
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
            """, [run, Self.seconds(retry.base), String(retry.factor), Self.seconds(retry.cap),
                  String(retry.jitterFraction), String(retry.maxAttempts), Self.seconds(retry.maxAge)]).scalar.flatMap { Int($0) } ?? 0
    }
}
