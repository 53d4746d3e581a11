/// One slot (a sixth of the storm window, 10 minutes by default) at one destination tonight.
public struct StormSlot: Sendable, Hashable {
    /// Seconds since the epoch of the slot's start (a multiple of the slot length).
    public var start: Int64
    public var recipients: Int
    public var failures: Int
    public var unknown: Int
    /// Reply fingerprint → recipients with that reply among the failures.
    public var replies: [Int64: Int]

    public init(start: Int64, recipients: Int, failures: Int, unknown: Int, replies: [Int64: Int] = [:]) {
        self.start = start
        self.recipients = recipients
        self.failures = failures
        self.unknown = unknown
        self.replies = replies
    }
}

/// A storm found at one destination: the slots held, and which reply (nil = every failure in them).
public struct StormFinding: Sendable, Hashable {
    public var destination: String
    /// Starts of the held slots, ascending.
    public var heldSlots: [Int64]
    /// The identical reply held; nil holds every failure of the held slots.
    public var reply: Int64?
    /// Failures held (of `reply` when there is one).
    public var held: Int
    public var explanation: String

    /// The first held slot's start.
    public var startedAt: Int64 { heldSlots.first ?? 0 }
}

/// The storm guard's decisions for one destination's night, and what the baseline should remember.
public struct StormAssessment: Sendable, Hashable {
    public var storms: [StormFinding]
    /// The night without its held failures, for `storm_baselines`.
    public var night: NightSummary
}

extension StormGuard {
    /// The normal for a destination: its trailing nights when there are enough, else tonight's windows
    /// (the median window, which one outage hour among a night's cannot move).
    public func reference(baseline: StormBaseline, tonight slots: [StormSlot]) -> Reference {
        if baseline.nights.count >= minimumBaselineNights {
            return Reference(
                hourlyFailures: baseline.typicalHourlyFailures, unknownShare: baseline.typicalUnknownShare,
                origin: "the last \(baseline.nights.count) nights")
        }
        let windows = rollingWindows(slots)
        let recipients = slots.reduce(0) { $0 + $1.recipients }
        let unknown = slots.reduce(0) { $0 + $1.unknown }
        return Reference(
            hourlyFailures: StormBaseline.median(windows.map { Double($0.counts.failures) }),
            unknownShare: recipients > 0 ? Double(unknown) / Double(recipients) : 0,
            origin: "tonight's other hours (\(baseline.nights.count) of \(minimumBaselineNights) nights recorded)")
    }

    /// Judges every window of one destination's night and picks the slots to hold.
    public func assess(destination: String, slots unsorted: [StormSlot], baseline: StormBaseline) -> StormAssessment {
        let slots = unsorted.sorted { $0.start < $1.start }
        let reference = reference(baseline: baseline, tonight: slots)
        let slotExpected = max(reference.hourlyFailures, 1) / Double(Self.slotsPerWindow)
        // Slot start → the reply to hold (nil: all), with the explanation of the window that flagged it.
        var heldBySlot: [Int64: (reply: Int64?, reason: String)] = [:]
        if slots.reduce(0, { $0 + $1.failures }) >= floor {
            for window in rollingWindows(slots) {
                guard case .holdForReview(let reason) = evaluate(window.counts, against: reference) else { continue }
                let identical = Double(window.counts.topReplyCount) >= identicalShare * Double(window.counts.failures)
                let reply = identical ? window.counts.topReply : nil
                for slot in window.slots {
                    let count = reply.map { slot.replies[$0, default: 0] } ?? slot.failures
                    // Only slots clearly above a normal slot, or where nearly everyone vanished: the normal
                    // minutes before an outage stay applied.
                    let aboveNormal = Double(count) >= 2 * slotExpected
                    let nearlyEveryone = count > 0 && Double(slot.unknown) >= Self.wholeDestinationShare * Double(slot.recipients)
                    // A reply that is rare tonight (an outage's own wording) is held wherever it stands above
                    // its own typical slot, so the minutes at an outage's edges are held too.
                    let aboveItsOwnNormal = reply.map { Double(count) >= 2 * max(0.5, typicalCount(of: $0, in: slots)) } ?? false
                    guard aboveNormal || nearlyEveryone || aboveItsOwnNormal, heldBySlot[slot.start] == nil else { continue }
                    heldBySlot[slot.start] = (reply, reason)
                }
            }
        }
        var storms: [StormFinding] = []
        let gap = Int64(window.components.seconds)
        for slot in slots {
            guard let held = heldBySlot[slot.start] else { continue }
            let count = held.reply.map { slot.replies[$0, default: 0] } ?? slot.failures
            if var last = storms.last, last.reply == held.reply, let previous = last.heldSlots.last, slot.start - previous <= gap {
                last.heldSlots.append(slot.start)
                last.held += count
                storms[storms.count - 1] = last
            } else {
                storms.append(StormFinding(destination: destination, heldSlots: [slot.start], reply: held.reply, held: count,
                                           explanation: "\(destination): \(held.reason)"))
            }
        }
        // The baseline learns the night without what was held, so a storm never becomes normal.
        let remaining = slots.map { slot -> StormSlot in
            guard let held = heldBySlot[slot.start] else { return slot }
            var kept = slot
            let removed = held.reply.map { slot.replies[$0, default: 0] } ?? slot.failures
            kept.failures -= removed
            kept.unknown = max(0, kept.unknown - removed)
            if let reply = held.reply { kept.replies[reply] = nil } else { kept.replies = [:] }
            return kept
        }
        let night = NightSummary(
            typicalHourlyFailures: Int(StormBaseline.median(rollingWindows(remaining).map { Double($0.counts.failures) }).rounded()),
            recipients: remaining.reduce(0) { $0 + $1.recipients },
            failures: remaining.reduce(0) { $0 + $1.failures },
            unknown: remaining.reduce(0) { $0 + $1.unknown })
        return StormAssessment(storms: storms, night: night)
    }

    /// The median count of `reply` over the night's slots (0 for a reply most slots never saw).
    func typicalCount(of reply: Int64, in slots: [StormSlot]) -> Double {
        StormBaseline.median(slots.map { Double($0.replies[reply, default: 0]) })
    }

    /// Every window of `slotsPerWindow` consecutive slots that ends at a slot with events, with its sums
    /// (recipients are summed over slots: a recipient with events in two slots counts twice).
    func rollingWindows(_ slots: [StormSlot]) -> [(slots: [StormSlot], counts: WindowCounts)] {
        let span = Int64(Self.slotsPerWindow) * slot.components.seconds
        var result: [(slots: [StormSlot], counts: WindowCounts)] = []
        var lower = 0
        for upper in slots.indices {
            while slots[upper].start - slots[lower].start >= span { lower += 1 }
            let members = Array(slots[lower...upper])
            var replies: [Int64: Int] = [:]
            for member in members { replies.merge(member.replies, uniquingKeysWith: +) }
            let top = replies.max { ($0.value, $1.key) < ($1.value, $0.key) }
            result.append((members, WindowCounts(
                recipients: members.reduce(0) { $0 + $1.recipients }, failures: members.reduce(0) { $0 + $1.failures },
                unknown: members.reduce(0) { $0 + $1.unknown }, topReply: top?.key, topReplyCount: top?.value ?? 0)))
        }
        return result
    }
}
