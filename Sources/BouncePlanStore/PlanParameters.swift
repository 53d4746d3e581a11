/// The policy values the set-based planning SQL needs, passed as statement parameters.
public struct PlanParameters: Sendable, Equatable {
    /// Retry backoff: delay = min(cap, base × factor^(attempt−1) × (1 + jitterFraction × j)), j ∈ [0, 1).
    public var retryBaseSeconds: Double = 300
    public var retryFactor: Double = 2
    public var retryCapSeconds: Double = 4 * 3600
    public var retryJitterFraction: Double = 0.1
    /// Attempts after which a message is given up (status `given_up`).
    public var retryMaxAttempts: Int = 8
    /// Rate limits: starting allowance, multiplicative decrease per throttled night, floor, hold.
    public var rateInitialPerHour: Int = 1000
    public var rateDecreaseFactor: Double = 0.5
    public var rateFloorPerHour: Int = 10
    public var rateHoldSeconds: Double = 3600

    public init() {}
}
