/// What one `bounceplan run` read, decided and wrote; printed as text or JSON and kept in `plan_runs`.
public struct RunSummary: Sendable, Codable, Equatable {
    /// The `plan_runs.id`, nil for a dry run or a run with no new events.
    public var runID: Int?
    public var dryRun: Bool
    public var startedAt: String
    public var finishedAt: String
    public var seconds: Double
    /// Events read in this run (rejected ones included).
    public var events: Int
    /// Events that could not be attributed to a valid recipient or kind.
    public var rejected: Int
    public var firstEventID: Int?
    public var lastEventID: Int?
    /// Events per outcome and reason: `{"suppress": {"user_unknown": 12}}`.
    public var counts: [String: [String: Int]]
    /// Rows inserted or updated per plan table.
    public var planCounts: [String: Int]
    public var rulesDigest: String
    public var policyDigest: String
    public var programVersion: String
    /// Seconds spent in each phase of the run, for tuning.
    public var phaseSeconds: [String: Double] = [:]
    /// CPU seconds of this process (all threads) in each phase.
    public var phaseCPUSeconds: [String: Double] = [:]
    /// CPU seconds of the run's server backend in each phase, when the server runs on this machine (the
    /// reading connection's backend, which only sends the events, is not counted).
    public var phaseServerCPUSeconds: [String: Double] = [:]

    /// Total per outcome (suppress, retry, …, delivered, rejected).
    public var totals: [String: Int] {
        counts.mapValues { $0.values.reduce(0, +) }
    }
}
