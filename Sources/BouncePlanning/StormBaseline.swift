/// One night at one destination, as the baseline remembers it (`storm_baselines`).
public struct NightSummary: Sendable, Hashable {
    /// New permanent failures in the night's typical (median) window, held storms left out.
    public var typicalHourlyFailures: Int
    /// Distinct recipients with any event, summed over the night's slots.
    public var recipients: Int
    /// New permanent failures (held storms left out).
    public var failures: Int
    /// Of those, vanished users.
    public var unknown: Int

    public init(typicalHourlyFailures: Int, recipients: Int, failures: Int, unknown: Int) {
        self.typicalHourlyFailures = typicalHourlyFailures
        self.recipients = recipients
        self.failures = failures
        self.unknown = unknown
    }

    /// Vanished users per recipient with any event.
    public var unknownShare: Double {
        recipients > 0 ? Double(unknown) / Double(recipients) : 0
    }
}

/// What is normal for one destination: the medians of its trailing nights.
///
/// Medians, not means: one bad night (a storm that was released, a stale list) must not move what
/// "normal" is for a month. A campaign burst raises a window's count but not its user-unknown share,
/// which is what the share test in `StormGuard.evaluate` is for.
public struct StormBaseline: Sendable, Hashable {
    /// The trailing nights, any order.
    public var nights: [NightSummary]

    public init(nights: [NightSummary]) {
        self.nights = nights
    }

    /// The median of the nights' typical-hour failures.
    public var typicalHourlyFailures: Double {
        Self.median(nights.map { Double($0.typicalHourlyFailures) })
    }

    /// The median of the nights' user-unknown shares.
    public var typicalUnknownShare: Double {
        Self.median(nights.map(\.unknownShare))
    }

    /// The median of `values` (0 when empty; the mean of the middle two for an even count).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
