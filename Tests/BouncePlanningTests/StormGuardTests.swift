import PropertyBased
import Testing
@testable import BouncePlanning

/// A night at one destination, slot by slot: `recipients` per slot on average with deterministic noise
/// (FNV-1a of the seed and slot, so every run of the tests sees the same night), `failureShare` of them
/// newly failing with one of `replies` replies (the first `replyShare` of failures get reply 1).
struct NightShape {
    var seed: UInt64
    var recipientsPerSlot: Int
    var failureShare: Double
    var unknownShare: Double = 0.8
    var hours = 24
    /// Slot index → factor on its volume (a campaign burst).
    var bursts: [Int: Double] = [:]

    static let slotSeconds: Int64 = 600
    static let start: Int64 = 1_793_491_200

    func noise(_ slot: Int, _ salt: String) -> Double {
        // ±30 %: ordinary nights are not flat.
        StableHash.unitFraction(StableHash.fnv1a64("\(seed)/\(slot)/\(salt)")) * 0.6 + 0.7
    }

    var slots: [StormSlot] {
        (0..<(hours * 6)).map { index in
            let volume = Double(recipientsPerSlot) * noise(index, "r") * (bursts[index] ?? 1)
            let failures = Int((volume * failureShare * noise(index, "f")).rounded())
            let unknown = Int((Double(failures) * unknownShare).rounded())
            return StormSlot(start: Self.start + Int64(index) * Self.slotSeconds, recipients: Int(volume.rounded()),
                             failures: failures, unknown: unknown, replies: [1: unknown, 2: failures - unknown])
        }
    }

    /// The night's own summary, as the baseline would have remembered it.
    var summary: NightSummary {
        StormGuard.defaults.assess(destination: "d", slots: slots, baseline: StormBaseline(nights: [])).night
    }
}

/// An outage on top of a night: from `fromSlot` for `slots` slots, `share` of each slot's recipients
/// answered with reply `reply` (counted as vanished users), as providers did in the documented cases.
func withOutage(_ night: [StormSlot], fromSlot: Int, slots: Int, share: Double, reply: Int64) -> (slots: [StormSlot], outage: Int) {
    var result = night
    var outage = 0
    for index in fromSlot..<(fromSlot + slots) {
        let extra = Int((Double(result[index].recipients) * share).rounded())
        result[index].failures += extra
        result[index].unknown += extra
        result[index].replies[reply, default: 0] += extra
        outage += extra
    }
    return (result, outage)
}

@Suite struct StormGuardTests {
    let stormGuard = StormGuard.defaults
    let normal = StormGuard.Reference(hourlyFailures: 100, unknownShare: 0.05, origin: "test")

    @Test("one window against the destination's normal", arguments: [
        // (failures, recipients, unknown, top reply count, held?)
        (99, 400, 99, 99, false),       // below the absolute floor, however far above normal
        (299, 2000, 299, 299, false),   // 2.99× normal: not enough
        (300, 2000, 300, 300, true),    // 3× normal, one identical reply, share 15 % against 5 %
        (500, 2000, 500, 200, false),   // 5× normal with varied replies needs 6×
        (600, 4000, 600, 200, true),    // 6× with varied replies
        (500, 20000, 500, 500, false),  // a big campaign: the share stays at 2.5 %, below normal
        (250, 260, 250, 250, true),     // nearly every recipient gone at once with one reply: whatever the normal
        (250, 260, 250, 100, false),    // …but not with varied replies and no spike
    ])
    func windowVerdicts(failures: Int, recipients: Int, unknown: Int, top: Int, held: Bool) {
        let verdict = stormGuard.evaluate(
            WindowCounts(recipients: recipients, failures: failures, unknown: unknown, topReply: 7, topReplyCount: top),
            against: normal)
        #expect((verdict != .apply) == held, "\(verdict)")
    }

    @Test func theReasonGivesTheNumbers() {
        let verdict = stormGuard.evaluate(
            WindowCounts(recipients: 2000, failures: 600, unknown: 600, topReply: 7, topReplyCount: 600), against: normal)
        guard case .holdForReview(let reason) = verdict else { Issue.record("expected a hold"); return }
        #expect(reason.contains("600 new permanent failures within 1h (6.0× the normal 100.0 from test; one identical reply for 600)"), "\(reason)")
        #expect(reason.contains("user-unknown share 30.0% against a normal 5.0%"))
    }

    @Test(arguments: [(0.0, 0.0), (0.05, 0.075), (0.5, 0.75), (0.8, 0.9), (1.0, 1.0)])
    func requiredShareStaysReachable(normal: Double, required: Double) {
        #expect(abs(stormGuard.requiredShare(normal: normal) - required) < 1e-9)
    }

    @Test func medianIgnoresOneBadNight() {
        let nights = [120, 130, 125, 5000, 128].map { NightSummary(typicalHourlyFailures: $0, recipients: 10_000, failures: 1000, unknown: 500) }
        #expect(StormBaseline(nights: nights).typicalHourlyFailures == 128)
        #expect(StormBaseline(nights: []).typicalHourlyFailures == 0)
        #expect(StormBaseline.median([1, 2, 3, 4]) == 2.5)
    }

    // MARK: properties over generated nights

    /// Normal nights of every size and bounce rate, with campaign bursts of up to 10× volume.
    static let normalNights = zip(
        Gen.int(in: 0...1_000_000), Gen.int(in: 5...3000), Gen.int(in: 1...40), Gen.int(in: 0...143), Gen.int(in: 1...10)
    ).map { seed, perSlot, failurePercent, burstSlot, burst in
        NightShape(seed: UInt64(seed), recipientsPerSlot: perSlot, failureShare: Double(failurePercent) / 100,
                   bursts: [burstSlot: Double(burst), (burstSlot + 1) % 144: Double(burst)])
    }

    @Test func aNormalNightIsNeverAStormWithoutHistory() async {
        await propertyCheck(count: 200, input: Self.normalNights) { shape in
            let assessment = stormGuard.assess(destination: "d", slots: shape.slots, baseline: StormBaseline(nights: []))
            #expect(assessment.storms.isEmpty, "\(shape)")
        }
    }

    @Test func aNormalNightIsNeverAStormAgainstItsOwnHistory() async {
        await propertyCheck(count: 200, input: Self.normalNights) { shape in
            var history: [NightSummary] = []
            for night in 0..<5 {
                var earlier = shape
                earlier.seed &+= UInt64(night + 1)
                earlier.bursts = [:]
                history.append(earlier.summary)
            }
            let assessment = stormGuard.assess(destination: "d", slots: shape.slots, baseline: StormBaseline(nights: history))
            #expect(assessment.storms.isEmpty, "\(shape)")
        }
    }

    @Test func moreOfTheSameReplyNeverLiftsAHold() async {
        let shapes = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 200...3000), Gen.int(in: 1...20), Gen.int(in: 0...5))
        await propertyCheck(count: 100, input: shapes) { seed, perSlot, failurePercent, more in
            let night = NightShape(seed: UInt64(seed), recipientsPerSlot: perSlot, failureShare: Double(failurePercent) / 100).slots
            let outage = withOutage(night, fromSlot: 60, slots: 6, share: 0.3, reply: 99)
            let worse = withOutage(night, fromSlot: 60, slots: 6, share: 0.3 + Double(more) / 10, reply: 99)
            let first = stormGuard.assess(destination: "d", slots: outage.slots, baseline: StormBaseline(nights: []))
            let second = stormGuard.assess(destination: "d", slots: worse.slots, baseline: StormBaseline(nights: []))
            let held = { (assessment: StormAssessment) in Set(assessment.storms.flatMap(\.heldSlots)) }
            #expect(held(first).isSubset(of: held(second)))
        }
    }

    @Test func theBaselineNeverLearnsWhatWasHeld() {
        let night = NightShape(seed: 3, recipientsPerSlot: 1000, failureShare: 0.03).slots
        let outage = withOutage(night, fromSlot: 60, slots: 6, share: 0.3, reply: 99)
        let assessment = stormGuard.assess(destination: "google", slots: outage.slots, baseline: StormBaseline(nights: []))
        let plain = stormGuard.assess(destination: "google", slots: night, baseline: StormBaseline(nights: []))
        #expect(!assessment.storms.isEmpty)
        #expect(assessment.night.failures == plain.night.failures)
        #expect(assessment.night.typicalHourlyFailures == plain.night.typicalHourlyFailures)
    }

    // MARK: documented outages (Docs/STORMS.md)

    /// Each documented case as (share of the provider's recipients answered "unknown", hours it lasted,
    /// the provider's normal failure share). The texts were identical per provider in every report.
    @Test("a documented outage is held, the rest of the night is applied", arguments: [
        // Gmail, 15 Dec 2020, 21:30–00:00 UTC: "550-5.1.1 The email account that you tried to reach does not
        // exist" for gmail.com mailboxes that existed, about 2.5 hours.
        ("gmail-2020-12-15", 0.30, 3, 0.02),
        // Yahoo, 14–16 Mar 2018: user-unknown bounces at up to 5 times the daily average, for users active
        // the day before; modelled as the peak hour of the wave.
        ("yahoo-2018-03-14", 0.12, 1, 0.03),
        // Yahoo and AOL, late 2019: "554 delivery error: dd This user doesn't have a yahoo.com account",
        // up to 25 % of a sender's Yahoo/AOL traffic.
        ("yahoo-aol-2019", 0.25, 2, 0.03),
        // Outlook.com/Hotmail, Aug 2020: waves of "550 5.5.0 Requested action not taken: mailbox unavailable"
        // for addresses in use (front-end servers out of step with the account database).
        ("outlook-2020-08", 0.20, 1, 0.04),
    ] as [(String, Double, Int, Double)])
    func documentedOutage(name: String, share: Double, hours: Int, normalFailures: Double) {
        for seed in UInt64(1)...5 {
            let shape = NightShape(seed: seed, recipientsPerSlot: 800, failureShare: normalFailures)
            var history: [NightSummary] = []
            for night in UInt64(1)...14 {
                var earlier = shape
                earlier.seed = seed &* 100 &+ night
                history.append(earlier.summary)
            }
            for baseline in [StormBaseline(nights: []), StormBaseline(nights: history)] {
                let outage = withOutage(shape.slots, fromSlot: 80, slots: hours * 6, share: share, reply: 42)
                let assessment = stormGuard.assess(destination: name, slots: outage.slots, baseline: baseline)
                let held = assessment.storms.filter { $0.reply == 42 }.reduce(0) { $0 + $1.held }
                let outageSlots = Set((80..<(80 + hours * 6)).map { NightShape.start + Int64($0) * NightShape.slotSeconds })
                let heldSlots = Set(assessment.storms.flatMap(\.heldSlots))
                // Every outage slot held, nothing outside it: the normal failures before and after apply.
                #expect(heldSlots == outageSlots, "\(name) seed \(seed), \(baseline.nights.count) nights")
                // Held are the outage's reply and the normal failures that happened to share it in those slots.
                #expect(held >= outage.outage, "\(name) seed \(seed)")
                #expect(assessment.storms.allSatisfy { $0.reply == 42 })
            }
        }
    }
}

@Suite struct ReplyFingerprintTests {
    @Test func masksWhatVariesPerRecipient() {
        let first = "550-5.1.1 The email account that you tried to reach does not exist. https://support.google.com/mail/?p=NoSuchUser d2-20020a05600c4b0200b00409b0b0b0b0si123456wmb.1 - gsmtp"
        let second = "550-5.1.1 The email account that you tried to reach does not exist. https://support.google.com/mail/?p=NoSuchUser ab9-20020a17090b00c900b002a0si77wmb.2 - gsmtp"
        #expect(ReplyFingerprint.of(first) == ReplyFingerprint.of(second))
        let postfix = { (address: String) in "550 5.1.1 <\(address)>: Recipient address rejected: User unknown in virtual mailbox table" }
        #expect(ReplyFingerprint.of(postfix("a@example.org")) == ReplyFingerprint.of(postfix("zz.top@example.org")))
        #expect(ReplyFingerprint.of(first) != ReplyFingerprint.of(postfix("a@example.org")))
        #expect(ReplyFingerprint.masked("550 5.1.1 <Bob@Example.org> Unknown [192.0.2.1]") == "# # @ unknown #")
    }

    @Test func differentWordsDiffer() async {
        await propertyCheck(count: 200, input: Gen.lowercaseLetter.string(of: 3...12)) { word in
            let a = "550 5.1.1 user \(word) unknown"
            let b = "550 5.1.1 user \(word)x unknown"
            #expect(ReplyFingerprint.of(a) != ReplyFingerprint.of(b))
            #expect(ReplyFingerprint.of(a) == ReplyFingerprint.of(a.uppercased()))
        }
    }
}
