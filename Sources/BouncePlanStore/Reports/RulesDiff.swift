import BounceClassification
import Postgres

/// `bounceplan rules diff`: classifies the stored events of a window with the rules in force and
/// with the candidate rules, and counts how the decisions change.
///
/// Streams: the events come through `COPY … TO STDOUT` (only the columns a decision reads), and the
/// addresses that would newly be suppressed go straight back through `COPY … FROM STDIN` into a
/// temporary table on a second connection, where PostgreSQL counts the distinct ones that are not
/// suppressed today. Memory stays constant however many events the window holds.
public struct RulesDiff {
    /// The outcome of a comparison.
    public struct Result: Sendable {
        public let tally: RulesDiffTally
        /// Distinct normalised recipients the candidate rules would suppress that are not suppressed
        /// today (no `active` row in `suppressions`).
        public let newSuppressedAddresses: Int
    }

    let settings: ConnectionSettings
    let current: Classifier
    let candidate: Classifier
    /// Events that occurred at most this long ago; nil for every event.
    let window: Duration?
    let samplesPerTransition: Int

    public init(settings: ConnectionSettings, current: Classifier, candidate: Classifier, window: Duration?,
                samplesPerTransition: Int = 3) {
        self.settings = settings
        self.current = current
        self.candidate = candidate
        self.window = window
        self.samplesPerTransition = samplesPerTransition
    }

    /// Longest sample text kept, in bytes.
    static let sampleLimit = 300

    /// The columns a decision reads, in this order.
    enum Column: Int, CaseIterable { case recipient, smtpCode, enhancedStatus, diagnostic, remoteMTA, kind }

    /// The events of the window whose decision rules can change (bounces and deferrals; a NULL kind
    /// counts as a bounce, as in the run). The window travels as a transaction-local setting (COPY
    /// takes no parameters), empty for every event, and its bound is computed once per statement.
    static let eventsQuery = """
        COPY (SELECT recipient, smtp_code, enhanced_status, diagnostic, remote_mta, kind FROM bounce_events
              WHERE (kind IS NULL OR lower(kind) IN (\(EventDecision.classifiedKinds.map { "'\($0)'" }.joined(separator: ", "))))
                AND ((SELECT current_setting('bounceplan.diff_window_seconds') = '')
                     OR occurred_at >= (SELECT now() - make_interval(
                            secs => nullif(current_setting('bounceplan.diff_window_seconds'), '')::double precision))))
        TO STDOUT
        """

    public func run() throws -> Result {
        let reader = try Connection(settings: settings)
        let collector = try Connection(settings: settings)
        try collector.query("CREATE TEMPORARY TABLE rules_diff_new_suppressions (recipient text NOT NULL)")
        try reader.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let seconds = window.map { String($0.components.seconds) } ?? ""
        try reader.setSetting("bounceplan.diff_window_seconds", to: seconds, local: true)

        var tally = RulesDiffTally(samplesPerTransition: samplesPerTransition)
        var row = CopyTextRow()
        try collector.copyIn("COPY rules_diff_new_suppressions (recipient) FROM STDIN") { writer in
            try reader.copyOut(Self.eventsQuery) { raw in
                row.parse(raw)
                guard row.fieldCount == Column.allCases.count else { return }
                if let address = compare(row, into: &tally) {
                    writer.field(address)
                    try writer.endRow()
                }
            }
        }
        try reader.query("COMMIT")
        let count = try collector.query("""
            SELECT count(DISTINCT n.recipient) FROM rules_diff_new_suppressions n
            WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.recipient = n.recipient AND s.status = 'active')
            """).scalar
        return Result(tally: tally, newSuppressedAddresses: Int(count ?? "") ?? 0)
    }

    /// Decides one event both ways and counts it; returns the normalised recipient when the event
    /// becomes a suppression only under the candidate rules.
    private func compare(_ row: CopyTextRow, into tally: inout RulesDiffTally) -> String? {
        let kind = (row.string(Column.kind.rawValue) ?? "bounce").lowercased()
        let recipient = RecipientAddress.normalize(row.string(Column.recipient.rawValue))
        let smtpCode = row.int(Column.smtpCode.rawValue)
        var response: BounceResponse?
        func classify(_ classifier: Classifier, _ address: RecipientAddress) -> Classification {
            if response == nil {
                response = row.withBytes(Column.diagnostic.rawValue) { diagnostic in
                    EventDecision.response(
                        smtpCode: smtpCode, enhancedStatus: row.string(Column.enhancedStatus.rawValue), diagnostic: diagnostic,
                        recipientDomain: address.domain, remoteMTA: row.string(Column.remoteMTA.rawValue))
                }
            }
            return classifier.classify(response!)
        }
        let before = EventDecision.decide(kind: kind, recipient: recipient) { classify(current, $0) }
        let after = EventDecision.decide(kind: kind, recipient: recipient) { classify(candidate, $0) }
        let pair = DecisionPair(before: (before.outcome, before.ruleID), after: (after.outcome, after.ruleID))
        tally.record(pair) {
            RulesDiffTally.Sample(
                smtpCode: smtpCode, enhancedStatus: row.string(Column.enhancedStatus.rawValue),
                diagnostic: String(decoding: (response?.diagnostic ?? "").utf8.prefix(Self.sampleLimit), as: UTF8.self),
                ruleBefore: before.ruleID, ruleAfter: after.ruleID)
        }
        guard RulesDiffTally.becomesSuppression(pair), case .success(let address) = recipient else { return nil }
        return address.address
    }
}
