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
/// destination and classification. The per-event hot path: no Foundation here.
struct EventOutcomeEncoder {
    let classifier: Classifier
    let destination: @Sendable (String) -> String
    /// How much of a throttling reply is searched for a stated hold.
    static let holdTextLimit = 1024

    private var row = CopyTextRow()
    /// domain → destination: a night's events go to far fewer domains than there are events.
    private var destinations: [String: String] = [:]
    /// Bounds `destinations` (a night with a million distinct domains starts it over).
    static let destinationCacheLimit = 100_000
    var encoder = CopyTextEncoder()
    var tally = RunTally()

    init(classifier: Classifier, destination: @escaping @Sendable (String) -> String) {
        self.classifier = classifier
        self.destination = destination
    }

    /// The staging columns each encoded row fills, in order. Only what the run reads back: the run id
    /// is one constant, the domain is the recipient's text after its last `@`, and the retry jitter is
    /// computed in pass 2 for the few events that are retried (each column here is parsed, stored,
    /// scanned and sorted once per event).
    static let outcomeColumns = """
        event_id, occurred_at, recipient, destination, source, message_id, outcome, reason, rule_id, smtp_code, \
        hold_seconds, reply_fingerprint
        """

    mutating func process(_ raw: UnsafeRawBufferPointer) {
        row.parse(raw)
        guard row.fieldCount == EventColumn.allCases.count, let eventID = row.int(EventColumn.id.rawValue) else {
            // Cannot happen with our own SELECT; counted so it is never silent.
            tally.malformedRows += 1
            return
        }
        let kind = (row.string(EventColumn.kind.rawValue) ?? "bounce").lowercased()
        let smtpCode = row.int(EventColumn.smtpCode.rawValue)
        let recipient = RecipientAddress.normalize(row.string(EventColumn.recipient.rawValue))
        let messageID = row.string(EventColumn.messageID.rawValue) ?? ""

        let address = try? recipient.get()
        let (outcome, reason, ruleID) = EventDecision.decide(
            kind: kind, recipient: recipient, inFuture: row.string(EventColumn.future.rawValue) == "t"
        ) {
            classify(smtpCode: smtpCode, domain: $0.domain)
        }
        tally.count(outcome: outcome, reason: reason, eventID: eventID)

        encoder.field(eventID)
        row.withBytes(EventColumn.occurredAt.rawValue) { encoder.field(bytes: $0) }
        encoder.field(address?.address)
        encoder.field(address.map { destination(of: $0.domain) })
        row.withBytes(EventColumn.source.rawValue) { encoder.field(bytes: $0 ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
        encoder.field(messageID)
        encoder.field(outcome)
        encoder.field(reason)
        encoder.field(ruleID)
        encoder.field(smtpCode.flatMap { (-1_000_000...1_000_000).contains($0) ? $0 : nil })
        encoder.field(outcome == BounceCategory.ratelimit.rawValue
            ? HoldParser.hold(in: diagnosticPrefix()).map { Int($0.components.seconds) } : nil)
        // Only suppressions are fingerprinted: the storm guard looks for one reply behind many of them.
        if outcome == BounceCategory.suppress.rawValue && kind != "complaint" {
            encoder.field(Int(ReplyFingerprint.of(diagnosticPrefix(limit: ReplyFingerprint.textLimit))))
        } else {
            encoder.field(nil as String?)
        }
        encoder.endRow()
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

/// Counts kept while events stream past: bounded by the number of distinct reasons, not events.
struct RunTally: Sendable {
    var counts: [String: [String: Int]] = [:]
    var events = 0
    var rejected = 0
    var malformedRows = 0
    var firstEventID: Int?
    var lastEventID: Int?

    mutating func count(outcome: String, reason: String, eventID: Int) {
        counts[outcome, default: [:]][reason, default: 0] += 1
        events += 1
        if outcome == "rejected" { rejected += 1 }
        firstEventID = min(firstEventID ?? eventID, eventID)
        lastEventID = max(lastEventID ?? eventID, eventID)
    }
}
