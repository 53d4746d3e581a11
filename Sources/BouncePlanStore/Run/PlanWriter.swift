import BouncePlanning
import Postgres

/// Turns one run's staged events (`run_events`, a temporary table) into plans. Per destination, SQL
/// aggregates the staging rows (no join with the history) and the pure `BouncePlanning` policies decide
/// storms, rate limits and sender-issue severities; per recipient, one ordered read feeds
/// `NightPlanner` (see `planRecipients`). Every decision is taken in Swift, once.
struct PlanWriter {
    let connection: Connection
    let runID: Int
    let policy: PlanningPolicy
    /// The run's clock: clean-night steps and pauses are measured against it.
    let now: Timestamp
    /// The staging rows' verdict codes (outcome, reason, rule), from pass 1.
    let verdicts: VerdictCodes

    /// Rows written per plan table.
    var counts: [String: Int] = [:]
    /// The storm guard's held slots, decided before any recipient is planned.
    var heldSlots: [(storm: Int64, destination: String, slot: Int64, reply: Int64?)] = []
    /// The suppressions the recipient pass held for a storm's review, for the storms' counts.
    var stormHolds = StormHoldTally()

    var run: String { String(runID) }
    var nowText: String { String(now.secondsSinceEpoch) }

    /// Whole seconds of a policy duration, as a statement parameter.
    static func seconds(_ duration: Duration) -> String { String(duration.components.seconds) }

    /// Encodes a timestamp as the epoch-seconds text the statements turn back with `to_timestamp`.
    static func epoch(_ timestamp: Timestamp) -> String { String(timestamp.secondsSinceEpoch) }
}
