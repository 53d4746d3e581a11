/// What one destination looked like in one window, aggregated by the store.
public struct DestinationStats: Sendable, Hashable {
    /// The destination (provider group or domain).
    public var destination: String
    /// Distinct recipients at that destination with any event in the window.
    public var distinctRecipients: Int
    /// Of those, how many the plan would newly suppress.
    public var suppressedRecipients: Int

    public init(destination: String, distinctRecipients: Int, suppressedRecipients: Int) {
        self.destination = destination
        self.distinctRecipients = distinctRecipients
        self.suppressedRecipients = suppressedRecipients
    }
}

/// Holds back a wave of suppressions at one destination for a human to review.
///
/// When a large share of a destination's recipients "vanish" within an hour, the likelier story is
/// that the destination refused *us* with misleading codes (an outage, a block sent as 5.1.1), and
/// applying the suppressions would burn good addresses.
public struct StormGuard: Sendable, Hashable {
    /// Hold when more than this share of recipients would be suppressed (default 0.20).
    public var maxShare: Double
    /// Only judge destinations with at least this many distinct recipients (default 200).
    public var minimumRecipients: Int
    /// The window the store groups events in (default 1 hour).
    public var window: Duration

    public init(maxShare: Double, minimumRecipients: Int, window: Duration) {
        self.maxShare = maxShare
        self.minimumRecipients = minimumRecipients
        self.window = window
    }

    /// More than 20 % of at least 200 distinct recipients within one hour.
    public static let defaults = StormGuard(maxShare: 0.20, minimumRecipients: 200, window: .hours(1))

    /// Whether this destination's suppressions for the window may be applied.
    public func evaluate(_ stats: DestinationStats) -> StormVerdict {
        guard stats.distinctRecipients >= minimumRecipients, stats.distinctRecipients > 0 else { return .apply }
        let share = Double(stats.suppressedRecipients) / Double(stats.distinctRecipients)
        guard share > maxShare else { return .apply }
        return .holdForReview(reason:
            "\(stats.suppressedRecipients) of \(stats.distinctRecipients) recipients at \(stats.destination)"
            + " (\(percent(share))) would be suppressed within \(DurationText.format(window)),"
            + " above the storm limit of \(percent(maxShare)) of at least \(minimumRecipients): held for review")
    }

    private func percent(_ share: Double) -> String {
        let tenths = Int64((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// The storm guard's verdict for one destination and window.
public enum StormVerdict: Sendable, Hashable {
    /// Apply the suppressions.
    case apply
    /// Keep them aside for review; `reason` says why, with the numbers.
    case holdForReview(reason: String)
}
