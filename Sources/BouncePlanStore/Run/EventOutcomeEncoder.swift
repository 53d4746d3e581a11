import BounceClassification
import BouncePlanning
import Postgres

/// Columns the run reads from `bounce_events`, in this order.
enum EventColumn: Int, CaseIterable {
    case id, occurredAt, recipient, source, messageID, smtpCode, enhancedStatus, diagnostic, remoteMTA, kind, future

    /// The select list of the run's COPY, matching the cases above.
    static let selectList = """
        id, coalesce(occurred_at, now()), recipient, source_ip, message_id, smtp_code, enhanced_status, \
        diagnostic, remote_mta, kind, coalesce(occurred_at > now() + \(futureTolerance), false)
        """

    /// How far ahead of the server's clock an event may be dated (clocks of other hosts drift); an
    /// event dated later is refused, since its time would hold retries and escalations for years.
    static let futureTolerance = "interval '1 day'"
}

/// Turns each raw `bounce_events` row into one staging row (`run_events`): normalised recipient,
/// destination and classification, and into one evidence row (`event_outcomes`), so that the durable
/// record is written while the reader classifies instead of copied from the staging table afterwards.
/// The per-event hot path: no Foundation here.
struct EventOutcomeEncoder {
    let classifier: Classifier
    let destination: @Sendable (String) -> String
    /// The run every evidence row belongs to.
    let runID: Int
    /// Tonight's evidence table holds the events from this id on (see `EvidencePartition`).
    let newEvidenceFrom: Int
    /// How much of a throttling reply is searched for a stated hold.
    static let holdTextLimit = 1024

    private var row = CopyTextRow()
    /// domain → destination: a night's events go to far fewer domains than there are events.
    private var destinations: [String: String] = [:]
    /// Bounds `destinations` (a night with a million distinct domains starts it over).
    static let destinationCacheLimit = 100_000
    /// The staging rows, in binary COPY form: the server parses no number or time text for them (by hand,
    /// 1 M staging rows cost the server 1.13–1.15 CPU s in binary form against 1.78–1.96 as text).
    var encoder = CopyBinaryEncoder()
    /// The evidence rows, handed over in larger pieces than the staging rows (see `evidenceChunkSize`), in
    /// binary COPY form (by hand, 1 M evidence rows cost the server 0.97–1.09 CPU s against 1.22–1.55 as text).
    var evidence = CopyBinaryEncoder()
    /// The evidence of events that committed late, with ids below tonight's evidence table: a few rows.
    var lateEvidence = CopyBinaryEncoder()
    var tally = RunTally()
    /// The codes of the staging rows' verdicts (outcome, reason, rule), which pass 2 decodes.
    var verdicts = VerdictCodes()
    /// Throttles and sender issues per destination, for the rate limits and sender issues of the night.
    var perDestination: DestinationTally
    /// The storm guard's failures and per-slot counts.
    var storms: StormCounts
    /// rule id → whether the throttle filter's rule fragment is in it (a night meets a few hundred rules).
    private var fragmentRules: [String: Bool] = [:]
    /// Whether deliveries count as throttling (they do not, unless a policy names their reason or rule).
    private var deliveriesThrottle: Bool?

    /// Evidence is sent between two staging COPYs on the run's one connection: a megabyte (about 20,000
    /// events) per switch keeps the switches to a few dozen a million events.
    static let evidenceChunkSize = 1 << 20

    init(
        classifier: Classifier, destination: @escaping @Sendable (String) -> String, runID: Int, newEvidenceFrom: Int,
        throttles: DestinationTally.ThrottleFilter, stormGuard: StormGuard
    ) {
        self.classifier = classifier
        self.destination = destination
        self.runID = runID
        self.newEvidenceFrom = newEvidenceFrom
        perDestination = DestinationTally(filter: throttles)
        storms = StormCounts(stormGuard)
    }

    /// True when the evidence rows should be sent.
    var evidenceIsFull: Bool { evidence.count >= Self.evidenceChunkSize }

    /// The columns of `event_outcomes` each evidence row fills, in order (migration 0009: no recipient
    /// and no source, which `bounce_events` holds by event id).
    static let evidenceColumns = "event_id, run_id, occurred_at, destination, outcome, reason, rule_id, smtp_code"

    /// The staging columns each encoded row fills, in order. Only what the run reads back: the run id
    /// is one constant, the domain is the recipient's text after its last `@`, and the retry jitter is
    /// computed in pass 2 for the few events that are retried (each column here is parsed, stored,
    /// scanned and sorted once per event). `recipient_key` is the recipient pass's first sort key
    /// (`RecipientSortKey`); `verdict` the code of outcome, reason and rule (`VerdictCodes`).
    static let outcomeColumns = """
        event_id, occurred_at, recipient, recipient_key, destination, source, message_id, verdict, smtp_code, \
        reply_fingerprint
        """

    mutating func process(_ raw: UnsafeRawBufferPointer) throws {
        row.parse(raw)
        guard row.fieldCount == EventColumn.allCases.count, let eventID = row.int(EventColumn.id.rawValue) else {
            // Cannot happen with our own SELECT; counted so it is never silent.
            tally.malformedRows += 1
            return
        }
        let kind = (row.string(EventColumn.kind.rawValue) ?? "bounce").lowercased()
        let smtpCode = row.int(EventColumn.smtpCode.rawValue)
        let recipient = row.withBytes(EventColumn.recipient.rawValue) { RecipientAddress.normalize(bytes: $0) }
        let messageID = row.string(EventColumn.messageID.rawValue) ?? ""

        let address = try? recipient.get()
        let (outcome, reason, ruleID) = EventDecision.decide(
            kind: kind, recipient: recipient, inFuture: row.string(EventColumn.future.rawValue) == "t"
        ) {
            classify(smtpCode: smtpCode, domain: $0.domain)
        }
        let verdict = verdicts.code(outcome: outcome, reason: reason, ruleID: ruleID)
        tally.count(verdict: verdict, rejected: outcome == "rejected", eventID: eventID)

        let group = address.map { destination(of: $0.domain) }
        let code = smtpCode.flatMap { (-1_000_000...1_000_000).contains($0) ? $0 : nil }
        // The reader's session prints times in ISO style (`EventReader`), which `EventTime` reads.
        guard let occurredAt = row.withBytes(EventColumn.occurredAt.rawValue, { $0.flatMap(EventTime.postgresMicros) }) else {
            throw StoreError(.invalidInput, "event \(eventID): its time \(row.string(EventColumn.occurredAt.rawValue) ?? "NULL") is not ISO text")
        }
        // Each branch names its own encoder: passing one through a helper method of `self` would copy `self`,
        // and with it make the megabyte of rows copy on write, for every event.
        if eventID >= newEvidenceFrom {
            Self.encodeEvidence(
                into: &evidence, eventID: eventID, runID: runID, occurredAt: occurredAt, destination: group,
                outcome: outcome, reason: reason, ruleID: ruleID, code: code)
        } else {
            Self.encodeEvidence(
                into: &lateEvidence, eventID: eventID, runID: runID, occurredAt: occurredAt, destination: group,
                outcome: outcome, reason: reason, ruleID: ruleID, code: code)
        }

        encoder.startRow(fields: 10)
        encoder.int64(Int64(eventID))
        encoder.timestamp(postgresMicros: occurredAt)
        encoder.text(address?.address)
        encoder.int64(address.map { address in
            address.address.utf8.withContiguousStorageIfAvailable { RecipientSortKey.of($0) } ?? RecipientSortKey.of(address.address.utf8)
        })
        encoder.text(group)
        row.withBytes(EventColumn.source.rawValue) { encoder.text(bytes: $0 ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
        encoder.text(messageID)
        encoder.int32(Int(verdict))
        encoder.int32(code)
        // The stated hold is counted per destination here; the recipient pass never reads it.
        let hold = outcome == BounceCategory.ratelimit.rawValue
            ? HoldParser.hold(in: diagnosticPrefix()).map { Int($0.components.seconds) } : nil
        // Only suppressions are fingerprinted: the storm guard looks for one reply behind many of them.
        let reply = outcome == BounceCategory.suppress.rawValue && kind != "complaint"
            ? ReplyFingerprint.of(diagnosticPrefix(limit: ReplyFingerprint.textLimit)) : nil
        encoder.int64(reply.map { Int64($0) })
        if let group, let address {
            if StormCounts.isFailure(outcome: outcome, reason: reason) {
                storms.addFailure(
                    destination: group, recipient: address.address, occurredMicros: occurredMicros(), reason: reason,
                    reply: reply)
            }
            tallyPerDestination(
                eventID: eventID, destination: group, recipient: address.address, outcome: outcome, reason: reason,
                ruleID: ruleID, hold: hold)
        }
    }

    /// One row of `evidenceColumns`.
    private static func encodeEvidence(
        into rows: inout CopyBinaryEncoder, eventID: Int, runID: Int, occurredAt: Int64,
        destination: String?, outcome: String, reason: String, ruleID: String, code: Int?
    ) {
        rows.startRow(fields: 8)
        rows.int64(Int64(eventID))
        rows.int64(Int64(runID))
        rows.timestamp(postgresMicros: occurredAt)
        rows.text(destination)
        rows.text(outcome)
        rows.text(reason)
        rows.text(ruleID)
        rows.int32(code)
    }

    /// Pass 1's share of rate limits and sender issues: only throttling and refused events reach the tally.
    /// Throttling is what `RateLimitPolicy` acts on: the ratelimit outcome, a reason it pauses for whatever
    /// its category (Microsoft's 5.7.705/5.7.708 are `sender`), or a rule naming the repeated-rule fragment.
    private mutating func tallyPerDestination(
        eventID: Int, destination: String, recipient: String, outcome: String, reason: String, ruleID: String,
        hold: Int?
    ) {
        let throttled: Bool
        if outcome == "delivered" {
            // Most of a night; every delivery has the same reason and rule (EventDecision), so one test serves all.
            if deliveriesThrottle == nil {
                deliveriesThrottle = perDestination.filter.pauseReasons.contains(reason) || matchesRuleFragment(ruleID)
            }
            throttled = deliveriesThrottle ?? false
        } else {
            throttled = outcome == BounceCategory.ratelimit.rawValue || perDestination.filter.pauseReasons.contains(reason)
                || matchesRuleFragment(ruleID)
        }
        let refused = outcome == BounceCategory.sender.rawValue || outcome == BounceCategory.content.rawValue
        guard throttled || refused else { return }
        let source = row.withBytes(EventColumn.source.rawValue) { $0.map { String(decoding: $0, as: UTF8.self) } } ?? ""
        if throttled {
            perDestination.addThrottle(
                DestinationTally.ThrottleKey(destination: destination, source: source, reason: reason, ruleID: ruleID),
                eventID: eventID, occurredMicros: occurredMicros(), hold: hold)
        }
        if refused {
            perDestination.addRefusal(
                source: source, destination: destination, reason: reason, recipient: recipient, eventID: eventID,
                category: outcome, ruleID: ruleID, event: row)
        }
    }

    /// The event's time, read only for the few events pass 1 counts.
    private func occurredMicros() -> Int64 {
        row.withBytes(EventColumn.occurredAt.rawValue) { $0.flatMap(EventTime.micros) } ?? 0
    }

    private mutating func matchesRuleFragment(_ ruleID: String) -> Bool {
        let fragment = perDestination.filter.ruleFragment
        guard !fragment.isEmpty else { return false }
        if let known = fragmentRules[ruleID] { return known }
        let matches = ruleID.lowercased().contains(fragment)
        if fragmentRules.count < 100_000 { fragmentRules[ruleID] = matches }
        return matches
    }

    private mutating func destination(of domain: String) -> String {
        if let known = destinations[domain] { return known }
        if destinations.count >= Self.destinationCacheLimit { destinations.removeAll(keepingCapacity: true) }
        let group = destination(domain)
        destinations[domain] = group
        return group
    }

    private func classify(smtpCode: Int?, domain: String) -> Classification {
        let response = row.withBytes(EventColumn.diagnostic.rawValue) { diagnostic in
            EventDecision.response(
                smtpCode: smtpCode, enhancedStatus: row.string(EventColumn.enhancedStatus.rawValue), diagnostic: diagnostic,
                recipientDomain: domain, remoteMTA: row.string(EventColumn.remoteMTA.rawValue))
        }
        return classifier.classify(response)
    }

    /// The start of the response text, where a throttling reply states its hold.
    private func diagnosticPrefix(limit: Int = holdTextLimit) -> String {
        row.withBytes(EventColumn.diagnostic.rawValue) { bytes -> String in
            guard let bytes else { return "" }
            return String(decoding: bytes.prefix(limit), as: UTF8.self)
        }
    }
}

/// Counts kept while events stream past: bounded by the number of distinct verdicts, not events.
struct RunTally: Sendable {
    /// Events per verdict code (`VerdictCodes`): an array index per event where a map of maps keyed by
    /// outcome and reason hashed two strings (about 860 instructions an event, callgrind).
    private var perVerdict: [Int] = []
    var events = 0
    var rejected = 0
    var malformedRows = 0
    var firstEventID: Int?
    var lastEventID: Int?

    mutating func count(verdict: Int32, rejected isRejected: Bool, eventID: Int) {
        let code = Int(verdict)
        if code >= perVerdict.count { perVerdict += repeatElement(0, count: code + 1 - perVerdict.count) }
        perVerdict[code] += 1
        events += 1
        if isRejected { rejected += 1 }
        firstEventID = min(firstEventID ?? eventID, eventID)
        lastEventID = max(lastEventID ?? eventID, eventID)
    }

    /// Events per outcome and reason, the run's `counts`.
    func counts(_ verdicts: VerdictCodes) -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for (code, events) in perVerdict.enumerated() where events > 0 {
            guard let verdict = verdicts.verdict(code) else { continue }
            counts[verdict.outcome, default: [:]][verdict.reason, default: 0] += events
        }
        return counts
    }
}
