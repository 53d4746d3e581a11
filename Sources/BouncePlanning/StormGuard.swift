/// Holds back a wave of suppressions at one destination for a human to review.
///
/// Providers have had outages in which they answered "user unknown" for mailboxes that exist
/// (`Docs/STORMS.md` lists the documented ones). Applying such a wave would burn good addresses, so the
/// guard compares each destination's new permanent failures with what is normal *for that
/// destination*: its own trailing nights (kept in `storm_baselines`), or, before it has enough of them,
/// the rest of tonight. A storm needs all of:
///
/// - at least `floor` new permanent failures within `window` (an absolute floor: small numbers are
///   never a storm, whatever the ratio);
/// - `spikeFactor` times the destination's normal hourly count, or twice that when no single reply
///   dominates (one identical reply for many recipients within minutes is the strongest sign of an
///   outage; a spike of varied replies is likelier a stale list, still worth a look when it is large);
/// - a user-unknown share of the window's recipients clearly above normal (a bigger campaign raises
///   the count but not the share).
///
/// One sign stands on its own: one identical reply and nearly every recipient of the window
/// (`wholeDestinationShare`) reported gone at once. That is how a destination without history looks
/// when it fails, and a real list never loses nearly everyone at one destination within the hour.
///
/// Only the slots (`window / slotsPerWindow`, 10 minutes by default) whose failures stand above normal
/// are held, and of those only the recipients with the dominant reply when there is one, so the normal
/// failures before and after an outage, and every other destination's, are applied.
public struct StormGuard: Sendable, Hashable {
    /// Never a storm below this many new permanent failures within one window.
    public var floor: Int
    /// How many times the normal hourly count a window must reach (with one dominant reply).
    public var spikeFactor: Double
    /// One reply for at least this share of the window's failures is "one identical reply".
    public var identicalShare: Double
    /// Trailing nights kept per destination and read as its normal.
    public var baselineNights: Int
    /// Below this many recorded nights, tonight's other hours are the normal instead.
    public var minimumBaselineNights: Int
    /// The length of a window (default 1 hour).
    public var window: Duration
    /// Reasons that count as "the user vanished" for the share.
    public var unknownReasons: Set<String>

    public init(floor: Int, spikeFactor: Double, identicalShare: Double, baselineNights: Int, minimumBaselineNights: Int,
                window: Duration, unknownReasons: Set<String>) {
        self.floor = floor
        self.spikeFactor = spikeFactor
        self.identicalShare = identicalShare
        self.baselineNights = baselineNights
        self.minimumBaselineNights = minimumBaselineNights
        self.window = window
        self.unknownReasons = unknownReasons
    }

    /// Floor 100 per hour, 3× the typical hour (6× with varied replies), one reply for ≥ half, 30 nights
    /// kept, 3 nights before the baseline counts.
    public static let defaults = StormGuard(
        floor: 100, spikeFactor: 3, identicalShare: 0.5, baselineNights: 30, minimumBaselineNights: 3,
        window: .hours(1), unknownReasons: ["user_unknown", "mailbox_disabled"])

    /// The share of a window's recipients reported gone, with one identical reply, that is a storm
    /// whatever the destination's normal.
    public static let wholeDestinationShare = 0.9

    /// Slots per window: holds are decided per slot, so an outage's edges are found to within minutes.
    public static let slotsPerWindow = 6

    /// The length of one slot.
    public var slot: Duration { .seconds(max(1, window.components.seconds / Int64(Self.slotsPerWindow))) }

    /// Destinations with fewer failures in a night are neither judged nor recorded in the baseline.
    public var recordedFrom: Int { max(1, floor / 10) }

    /// The normal a window is compared with.
    public struct Reference: Sendable, Hashable {
        /// New permanent failures in a typical hour.
        public var hourlyFailures: Double
        /// User-unknown failures per recipient with any event, normally.
        public var unknownShare: Double
        /// Where the numbers come from, for the explanation.
        public var origin: String

        public init(hourlyFailures: Double, unknownShare: Double, origin: String) {
            self.hourlyFailures = hourlyFailures
            self.unknownShare = unknownShare
            self.origin = origin
        }
    }

    /// The verdict for one window.
    public func evaluate(_ window: WindowCounts, against reference: Reference) -> StormVerdict {
        guard window.failures >= floor else { return .apply }
        let expected = max(reference.hourlyFailures, 1)
        let ratio = Double(window.failures) / expected
        let identical = Double(window.topReplyCount) >= identicalShare * Double(window.failures)
        let share = window.recipients > 0 ? Double(window.unknown) / Double(window.recipients) : 1
        if identical && share >= Self.wholeDestinationShare {
            return .holdForReview(reason:
                "\(window.failures) new permanent failures within \(DurationText.format(self.window)), one identical reply for"
                + " \(window.topReplyCount): \(percent(share)) of the recipients reported gone at once (normal"
                + " \(format(expected)) an hour from \(reference.origin))")
        }
        let required = identical ? spikeFactor : spikeFactor * 2
        guard ratio >= required else { return .apply }
        let neededShare = requiredShare(normal: reference.unknownShare)
        guard share >= neededShare else { return .apply }
        return .holdForReview(reason:
            "\(window.failures) new permanent failures within \(DurationText.format(self.window)) (\(format(ratio))× the normal"
            + " \(format(expected)) from \(reference.origin); \(identical ? "one identical reply for \(window.topReplyCount)" : "varied replies")),"
            + " user-unknown share \(percent(share)) against a normal \(percent(reference.unknownShare))")
    }

    /// The user-unknown share a storm must reach: half again the normal share, or halfway to 100 %,
    /// whichever is lower (so a destination whose bounces are mostly unknowns can still storm).
    public func requiredShare(normal: Double) -> Double {
        let clamped = min(1, max(0, normal))
        return min(clamped * 1.5, clamped + (1 - clamped) / 2)
    }

    private func format(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private func percent(_ share: Double) -> String {
        let tenths = Int64((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// What one window (or slot) at one destination looked like.
public struct WindowCounts: Sendable, Hashable {
    /// Recipients with any event (the store counts events: a recipient rarely has two in one slot).
    public var recipients: Int
    /// Of those, how many the night would newly suppress (complaints excluded: a complaint is the
    /// recipient's own act).
    public var failures: Int
    /// Of the failures, how many for a vanished user (`StormGuard.unknownReasons`).
    public var unknown: Int
    /// The most common reply among the failures and how many recipients got it.
    public var topReply: Int64?
    public var topReplyCount: Int

    public init(recipients: Int, failures: Int, unknown: Int, topReply: Int64? = nil, topReplyCount: Int = 0) {
        self.recipients = recipients
        self.failures = failures
        self.unknown = unknown
        self.topReply = topReply
        self.topReplyCount = topReplyCount
    }
}

/// The storm guard's verdict for one window.
public enum StormVerdict: Sendable, Hashable {
    /// Apply the suppressions.
    case apply
    /// Keep them aside for review; `reason` says why, with the numbers.
    case holdForReview(reason: String)
}
