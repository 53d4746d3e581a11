import BouncePlanning
import Postgres

extension PlanWriter {
    /// The four tables whose recipients `RecipientFilter` covers: the prior state of the recipient pass.
    static let priorStateTables = ["suppressions", "last_deliveries", "retry_schedule", "soft_bounces"]

    /// The stored filter, or a new one built from the four tables when none is stored, it is of another
    /// layout, or a write outside a run marked it outdated (migration 0011's triggers); then the
    /// suppressions added by hand since the last run. From here to the commit the run's own writes do not
    /// mark it outdated: the run adds its recipients itself (`saveRecipientFilter`).
    func loadRecipientFilter() throws -> (filter: RecipientFilter, rebuilt: Bool) {
        try connection.query("SELECT set_config('bounceplan.recipient_filter', 'kept', true)")
        var stored: RecipientFilter?
        var row = CopyBinaryRow()
        _ = try connection.copyOut("""
            COPY (SELECT bits FROM recipient_filter WHERE valid AND format = \(RecipientFilter.format)) TO STDOUT (FORMAT binary)
            """) { bytes in
            guard row.parse(bytes) else { return }
            stored = row.withBytes(0) { $0.flatMap(RecipientFilter.init(bytes:)) }
        }
        var filter: RecipientFilter
        if let stored {
            filter = stored
        } else {
            // Every recipient with a row, once: proportional to the history, so only after a migration or a
            // write that bypassed the run.
            filter = RecipientFilter()
            let tables = Self.priorStateTables.map { "SELECT recipient FROM \($0)" }.joined(separator: " UNION ALL ")
            _ = try connection.copyOut("COPY (\(tables)) TO STDOUT (FORMAT binary)") { bytes in
                guard row.parse(bytes) else { return }
                row.withBytes(0) { if let recipient = $0 { filter.insert(recipient) } }
            }
        }
        _ = try connection.copyOut("COPY (SELECT recipient FROM recipient_filter_pending) TO STDOUT (FORMAT binary)") { bytes in
            guard row.parse(bytes) else { return }
            row.withBytes(0) { if let recipient = $0 { filter.insert(recipient) } }
        }
        try connection.query("DELETE FROM recipient_filter_pending")
        return (filter, stored == nil)
    }

    /// Stores the filter, tonight's recipients added, in the run's transaction.
    func saveRecipientFilter(_ filter: RecipientFilter) throws {
        try connection.query("DELETE FROM recipient_filter")
        var encoder = CopyBinaryEncoder()
        encoder.startRow(fields: 3)
        encoder.int32(Int(RecipientFilter.format))
        encoder.bool(true)
        encoder.bytea(filter.bytes)
        let row = CopyBinaryEncoder.header + encoder.take() + CopyBinaryEncoder.trailer
        _ = try connection.copyIn("COPY recipient_filter (format, valid, bits) FROM STDIN (FORMAT binary)") { writer in
            try writer.sendEncoded(row)
        }
    }

    /// Fills `run_prior_candidates` with the staged recipients the filter may hold, each with whether it
    /// failed tonight (a recipient staged twice is listed twice): the only recipients whose prior state the
    /// ordered read looks up. One scan of the staging rows, in no order, which also finds the earliest of the
    /// listed rows' times (the soft bounces read start a window before it), so that no second scan of the
    /// staging table looks for it. Returns the rows listed and that time (microseconds; nil when none).
    func listPriorCandidates(staging: String, filter: RecipientFilter) throws -> (listed: Int, earliestMicros: Int64?) {
        try connection.query("TRUNCATE run_prior_candidates")
        let candidates = CopySpool()
        var listed = 0
        var earliest: Int64?
        var row = CopyBinaryRow()
        // Failed means any verdict but a delivery; the staged rows carry it as a code (`VerdictCodes`).
        let failed = verdicts.verdicts.map { $0.outcome != "delivered" }
        _ = try connection.copyOut("""
            COPY (SELECT recipient, verdict, occurred_at FROM \(staging) WHERE recipient IS NOT NULL)
            TO STDOUT (FORMAT binary)
            """) { bytes in
            guard row.parse(bytes) else { return }
            guard row.withBytes(0, { $0.map { filter.mayContain($0) } ?? false }) else { return }
            candidates.encoder.startRow(fields: 3)
            candidates.encoder.text(row.string(0))
            candidates.encoder.int64(row.withBytes(0) { $0.map { RecipientSortKey.of($0) } })
            let code = row.int(1) ?? -1
            candidates.encoder.int32(failed.indices.contains(code) && !failed[code] ? 0 : 1)
            try candidates.rowEnded()
            listed += 1
            if let occurred = row.unixMicros(2) { earliest = min(earliest ?? occurred, occurred) }
        }
        try candidates.copy(into: "run_prior_candidates", on: connection)
        return (listed, earliest)
    }
}

extension RecipientNightPlan {
    /// Whether the plan writes a row of any table `RecipientFilter` covers, so that the filter must hold
    /// the recipient from now on (a superset is harmless: it costs one probe).
    var writesPriorState: Bool {
        suppression != nil || delivery != nil || !softBounces.isEmpty || !retries.isEmpty
    }
}
