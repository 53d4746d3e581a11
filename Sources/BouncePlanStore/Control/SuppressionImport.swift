import Foundation
import Postgres

/// What `suppress import` did.
public struct SuppressionImportOutcome: Sendable, Codable, Equatable {
    /// Data rows read (the header excluded, blank lines skipped).
    public var rows: Int
    /// Distinct valid addresses in the file.
    public var addresses: Int
    /// Addresses newly suppressed or made active again.
    public var changed: Int
    /// Rows refused: an address that cannot be used, or a line that is not UTF-8.
    public var invalid: Int
    /// False when rows were refused and the import was not told to skip them: then nothing was written.
    public var imported: Bool
    /// The first problems, `line N: why`.
    public var problems: [String]
}

extension ManualSuppression {
    /// Imports a CSV file with an `email` column and an optional `reason` column: the addresses go to a
    /// temporary table by COPY, then one statement upserts them and writes one audit row per address.
    /// All or nothing: a refused row (an unusable address, a line that is not UTF-8) means nothing is
    /// imported unless `skipInvalid`, when only the good rows are; refused rows are never guessed at.
    /// A quoted field that never closes refuses the whole file.
    public func importFile(_ path: String, skipInvalid: Bool = false) throws -> SuppressionImportOutcome {
        let reader = try SuppressionCSVReader(path: path)
        let header: [String]?
        do { header = try reader.next() } catch let problem as SuppressionCSVReader.Problem {
            throw StoreError(.invalidInput, "\(path) \(problem): nothing was imported")
        }
        guard let header else {
            throw StoreError(.invalidInput, "\(path) is empty: expected a header line with an `email` column")
        }
        let names = header.map { $0.trimmingSpaces.lowercased() }
        guard let emailColumn = names.firstIndex(where: { ["email", "email_address", "address"].contains($0) }) else {
            throw StoreError(.invalidInput, "\(path) has no `email` column in its header (found: \(header.joined(separator: ", ")))")
        }
        let reasonColumn = names.firstIndex(of: "reason")
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let defaultWhy = "imported from \(fileName)"
        var outcome = SuppressionImportOutcome(rows: 0, addresses: 0, changed: 0, invalid: 0, imported: false, problems: [])
        func refuse(_ problem: String) {
            outcome.invalid += 1
            if outcome.problems.count < 20 { outcome.problems.append(problem) }
        }

        return try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            try connection.query("""
                CREATE TEMP TABLE suppression_import (line bigint, recipient text, domain text, why text) ON COMMIT DROP
                """)
            try connection.copyIn("COPY suppression_import FROM STDIN") { writer in
                while true {
                    let record: [String]
                    do {
                        guard let next = try reader.next() else { break }
                        record = next
                    } catch let problem as SuppressionCSVReader.Problem {
                        if case .unclosedQuote = problem {
                            throw StoreError(.invalidInput, "\(path) \(problem): nothing was imported")
                        }
                        outcome.rows += 1
                        refuse("\(problem)")
                        continue
                    }
                    if record.count == 1 && record[0].trimmingSpaces.isEmpty { continue }
                    outcome.rows += 1
                    let raw = emailColumn < record.count ? record[emailColumn] : ""
                    switch RecipientAddress.normalize(raw) {
                    case .success(let address):
                        let why = reasonColumn.flatMap { $0 < record.count ? record[$0].trimmingSpaces : nil } ?? ""
                        writer.field(reader.line)
                        writer.field(address.address)
                        writer.field(address.domain)
                        writer.field(why.isEmpty ? defaultWhy : why)
                        try writer.endRow()
                    case .failure(let problem):
                        refuse("line \(reader.line): \(raw.debugDescription) \(problem.rawValue)")
                    }
                }
            }
            if outcome.invalid > 0 && !skipInvalid { return outcome }
            // One statement: the audit rows and the upsert see the same snapshot of `suppressions`.
            let result = try connection.query("""
                WITH batch AS (
                    SELECT DISTINCT ON (recipient) recipient, domain, why
                    FROM suppression_import ORDER BY recipient, line
                ), logged AS (
                    INSERT INTO suppression_audit (action, recipient, why, previous_status, origin)
                    SELECT 'import', b.recipient, b.why, s.status, $1
                    FROM batch b LEFT JOIN suppressions s ON s.recipient = b.recipient
                    RETURNING 1
                ), changed AS (
                    INSERT INTO suppressions AS s (recipient, domain, status, category, reason, rule_id, suppressed_at,
                                                   evidence_event_ids)
                    SELECT recipient, domain, 'active', 'manual', 'manual', 'manual', now(), '{}' FROM batch
                    ON CONFLICT (recipient) DO UPDATE SET
                        status = 'active', removed_at = NULL, updated_at = now(),
                        category = 'manual', reason = 'manual', rule_id = 'manual', suppressed_at = now()
                    WHERE s.status <> 'active'
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM logged), (SELECT count(*) FROM changed)
                """, ["import:" + fileName])
            outcome.addresses = Int(result.value(row: 0, column: 0) ?? "") ?? 0
            outcome.changed = Int(result.value(row: 0, column: 1) ?? "") ?? 0
            outcome.imported = true
            return outcome
        }
    }
}
