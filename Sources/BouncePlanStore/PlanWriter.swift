import BouncePlanning
import Postgres

/// The statements that turn one run's `event_outcomes` into plans. Aggregation happens in SQL; the
/// decisions that need policy arithmetic (escalation, rate limits, severities, storms) are taken by
/// the pure `BouncePlanning` types over the aggregates. Every value is a parameter; `$1` is the run id.
struct PlanWriter {
    let connection: Connection
    let runID: Int
    let policy: PlanningPolicy
    /// The run's clock: clean-night steps and pauses are measured against it.
    let now: Timestamp

    /// Rows written per plan table.
    var counts: [String: Int] = [:]
    /// The storm guard's held slots, decided before any recipient is planned.
    var heldSlots: [(storm: Int64, destination: String, slot: Int64, reply: Int64?)] = []

    var run: String { String(runID) }
    var nowText: String { String(now.secondsSinceEpoch) }

    /// Whole seconds of a policy duration, as a statement parameter.
    static func seconds(_ duration: Duration) -> String { String(duration.components.seconds) }

    /// Encodes a timestamp as the epoch-seconds text the statements turn back with `to_timestamp`.
    static func epoch(_ timestamp: Timestamp) -> String { String(timestamp.secondsSinceEpoch) }
}
