import BouncePlanStore
import Foundation
import Postgres
import Testing

/// A folder of its own for one test's files, removed when released.
final class ScratchFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "bounceplan-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

extension StoreFixture {
    /// Runs an export into a file and returns its bytes as text.
    func exportText(_ query: ExportQuery, format: ExportFormat) throws -> String {
        let folder = try ScratchFolder()
        let path = folder.file("export.\(format.rawValue)")
        try AtomicFile.write(to: path) { try Exporter(connection: connection).export(query, format: format, to: $0) }
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// Parses CSV text back into records with the project's RFC 4180 reader.
func parseCSV(_ text: String) throws -> [[String]] {
    let folder = try ScratchFolder()
    let path = folder.file("parse.csv")
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    let reader = try SuppressionCSVReader(path: path)
    var records: [[String]] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

func parseNDJSON(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

/// Events whose plan does not depend on the rule set under development.
enum ExportEvents {
    static func complaint(_ recipient: String, at time: String, text: String = "Feedback-Type: abuse") -> NewBounceEvent {
        NewBounceEvent(occurredAt: time, recipient: recipient, sourceIP: "192.0.2.10", messageID: "<m-\(recipient)>",
                       diagnostic: text, kind: "complaint")
    }

    static func deferral(_ recipient: String, at time: String) -> NewBounceEvent {
        NewBounceEvent(occurredAt: time, recipient: recipient, sourceIP: "192.0.2.10", messageID: "<d-\(recipient)>",
                       smtpCode: 421, enhancedStatus: "4.3.2", diagnostic: "421 4.3.2 Service not available, try later",
                       kind: "deferral")
    }
}

@Suite("Exports")
struct ExportTests {
    /// Three suppressions from one run: complaints are suppressed by their kind, whatever the rule set.
    static func fixtureWithSuppressions() throws -> (StoreFixture, runID: Int) {
        let fixture = try StoreFixture()
        try fixture.insert([
            ExportEvents.complaint("angry@example.com", at: "2026-11-28T09:00:00Z"),
            ExportEvents.complaint("Gone2@Example.NET", at: "2026-11-28T10:00:00Z"),
            ExportEvents.complaint("gone@example.com", at: "2026-11-28T10:00:00Z", text: "550 5.1.1 User unknown"),
        ])
        let runID = try #require(try fixture.run().runID)
        return (fixture, runID)
    }

    @Test func csvHasHeaderCRLFAndParsesBackToTheTable() throws {
        let (fixture, runID) = try Self.fixtureWithSuppressions()
        let text = try fixture.exportText(.suppressions(SuppressionExportOptions(), format: .csv), format: .csv)
        #expect(text.hasSuffix("\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let records = try parseCSV(text)
        #expect(records.first == ["recipient", "domain", "status", "category", "reason", "rule_id", "suppressed_at",
                                  "updated_at", "removed_at", "first_event_id", "last_event_id", "updated_run_id"])
        let rows = records.dropFirst().map { $0 }
        #expect(rows.map { $0[0] } == ["angry@example.com", "gone2@example.net", "gone@example.com"])
        let expected = try fixture.connection.query("""
            SELECT recipient, domain, status, category, reason, rule_id, first_event_id::text, updated_run_id::text
            FROM suppressions ORDER BY recipient
            """).rows.map { $0.map { $0 ?? "" } }
        #expect(rows.map { [$0[0], $0[1], $0[2], $0[3], $0[4], $0[5], $0[9], $0[11]] } == expected)
        #expect(rows.allSatisfy { $0[11] == String(runID) && $0[8] == "" })
        #expect(rows.allSatisfy { $0[6].hasSuffix("Z") && $0[6].contains("T") })
    }

    @Test func ndjsonIsOneValidObjectPerLineWithTypedValues() throws {
        let (fixture, runID) = try Self.fixtureWithSuppressions()
        let text = try fixture.exportText(.suppressions(SuppressionExportOptions(), format: .ndjson), format: .ndjson)
        let objects = try parseNDJSON(text)
        #expect(objects.count == 3)
        #expect(objects.map { $0["recipient"] as? String } == ["angry@example.com", "gone2@example.net", "gone@example.com"])
        #expect(objects.allSatisfy { ($0["updated_run_id"] as? Int) == runID })
        #expect(objects.allSatisfy { $0["removed_at"] is NSNull })
        #expect(objects.allSatisfy { $0["reason"] as? String == "complaint" })
    }

    @Test func sesPresetIsAddressAndBounceOrComplaintWithoutHeader() throws {
        let (fixture, _) = try Self.fixtureWithSuppressions()
        try ManualSuppression(connection: fixture.connection).remove("gone2@example.net", why: "test")
        try ManualSuppression(connection: fixture.connection).add("gone2@example.net", why: "hard bounce seen elsewhere")
        let options = SuppressionExportOptions(preset: .ses, status: .all)
        let csv = try parseCSV(try fixture.exportText(.suppressions(options, format: .csv), format: .csv))
        #expect(csv == [["angry@example.com", "COMPLAINT"], ["gone2@example.net", "BOUNCE"], ["gone@example.com", "COMPLAINT"]])
        let json = try parseNDJSON(try fixture.exportText(.suppressions(options, format: .ndjson), format: .ndjson))
        #expect(json.map { $0["emailAddress"] as? String } == ["angry@example.com", "gone2@example.net", "gone@example.com"])
        #expect(json.map { $0["reason"] as? String } == ["COMPLAINT", "BOUNCE", "COMPLAINT"])
    }

    @Test func mailgunPresetHasItsFourColumnsAndRFC2822Times() throws {
        let (fixture, _) = try Self.fixtureWithSuppressions()
        let records = try parseCSV(try fixture.exportText(
            .suppressions(SuppressionExportOptions(preset: .mailgun), format: .csv), format: .csv))
        #expect(records.first == ["address", "code", "error", "created_at"])
        let gone = try #require(records.first { $0.first == "gone@example.com" })
        #expect(gone[1] == "550")
        #expect(gone[2] == "550 5.1.1 User unknown")
        #expect(gone[3] == "Sat, 28 Nov 2026 10:00:00 +0000")
    }

    @Test func sinceAndRunGiveTheDelta() throws {
        let (fixture, firstRun) = try Self.fixtureWithSuppressions()
        try fixture.connection.query("UPDATE suppressions SET updated_at = '2026-11-01T00:00:00Z'")
        try fixture.insert([ExportEvents.complaint("new@example.com", at: "2026-11-28T11:00:00Z")])
        let secondRun = try #require(try fixture.run().runID)
        func recipients(_ options: SuppressionExportOptions) throws -> [String] {
            try parseCSV(try fixture.exportText(.suppressions(options, format: .csv), format: .csv)).dropFirst().map { $0[0] }
        }
        #expect(try recipients(SuppressionExportOptions(runID: secondRun)) == ["new@example.com"])
        #expect(try recipients(SuppressionExportOptions(runID: firstRun)) == ["angry@example.com", "gone2@example.net", "gone@example.com"])
        #expect(try recipients(SuppressionExportOptions(since: "2026-11-15T00:00:00Z")) == ["new@example.com"])
        #expect(try recipients(SuppressionExportOptions(since: "2026-10-01T00:00:00Z")).count == 4)
        #expect(try recipients(SuppressionExportOptions(categories: ["manual"])) == [])
        #expect(try recipients(SuppressionExportOptions(categories: ["manual", "suppress"])).count == 4)
        try ManualSuppression(connection: fixture.connection).remove("gone@example.com", why: "test")
        #expect(try recipients(SuppressionExportOptions(status: .removed)) == ["gone@example.com"])
        #expect(try recipients(SuppressionExportOptions(status: .all)).count == 4)
        #expect(try recipients(SuppressionExportOptions()).count == 3)
    }

    /// A delta export reads by its index rather than the whole list: with sequential scans priced out,
    /// the plan names the index, which a filter the planner cannot use an index for would not.
    @Test("a delta export by time or by run reads its index", arguments: [
        (SuppressionExportOptions(since: "2026-11-15T00:00:00Z"), "suppressions_updated_at_idx"),
        (SuppressionExportOptions(runID: 1), "suppressions_updated_run_idx"),
    ])
    func deltaExportsUseTheirIndexes(options: SuppressionExportOptions, index: String) throws {
        let (fixture, _) = try Self.fixtureWithSuppressions()
        let query = ExportQuery.suppressions(options, format: .csv)
        try fixture.connection.query("BEGIN")
        defer { _ = try? fixture.connection.query("ROLLBACK") }
        for setting in query.settings { try fixture.connection.setSetting(setting.name, to: setting.value, local: true) }
        try fixture.connection.setSetting("enable_seqscan", to: "off", local: true)
        let plan = try fixture.connection.query("EXPLAIN SELECT s.recipient \(query.source)").rows.compactMap { $0[0] }
        #expect(plan.contains { $0.contains(index) }, "\(plan.joined(separator: "\n"))")
    }

    /// Three suppressions whose address and diagnostic start with what a spreadsheet runs as a formula.
    static func formulaFixture() throws -> StoreFixture {
        let fixture = try StoreFixture()
        try fixture.insert([
            ExportEvents.complaint("=cmd@example.com", at: "2026-11-28T10:00:00Z",
                                   text: "=HYPERLINK(\"http://evil\"), \"550\"\r\nuser unknown"),
            ExportEvents.complaint("+sum@example.com", at: "2026-11-28T10:00:00Z", text: "@SUM(A1)"),
            ExportEvents.complaint("-minus@example.com", at: "2026-11-28T10:00:00Z", text: "\tTAB user unknown"),
        ])
        try fixture.run()
        return fixture
    }

    @Test func theSpreadsheetCSVNeutralisesFormulaCellsAndQuotesSpecialCharacters() throws {
        let fixture = try Self.formulaFixture()
        let records = try parseCSV(try fixture.exportText(.suppressions(SuppressionExportOptions(), format: .csv), format: .csv))
        let byAddress = Dictionary(uniqueKeysWithValues: records.dropFirst().map { ($0[0], $0) })
        #expect(byAddress.keys.sorted() == ["'+sum@example.com", "'-minus@example.com", "'=cmd@example.com"])
        #expect(byAddress["'=cmd@example.com"]?[4] == "complaint")
        // NDJSON is for programs: exact values, escaped properly.
        let json = try parseNDJSON(try fixture.exportText(
            .suppressions(SuppressionExportOptions(preset: .mailgun), format: .ndjson), format: .ndjson))
        #expect(json.first?["address"] as? String == "+sum@example.com")
        #expect(json.contains { ($0["error"] as? String) == "=HYPERLINK(\"http://evil\"), \"550\"\r\nuser unknown" })
    }

    /// SES and Mailgun import the file themselves: a `'` in front would make them suppress another address.
    @Test func machinePresetsCarryExactValues() throws {
        let fixture = try Self.formulaFixture()
        let mailgun = try parseCSV(try fixture.exportText(
            .suppressions(SuppressionExportOptions(preset: .mailgun), format: .csv), format: .csv))
        let byAddress = Dictionary(uniqueKeysWithValues: mailgun.dropFirst().map { ($0[0], $0) })
        #expect(byAddress.keys.sorted() == ["+sum@example.com", "-minus@example.com", "=cmd@example.com"])
        #expect(byAddress["=cmd@example.com"]?[2] == "=HYPERLINK(\"http://evil\"), \"550\"\r\nuser unknown")
        #expect(byAddress["+sum@example.com"]?[2] == "@SUM(A1)")
        #expect(byAddress["-minus@example.com"]?[2] == "\tTAB user unknown")
        let ses = try fixture.exportText(.suppressions(SuppressionExportOptions(preset: .ses), format: .csv), format: .csv)
        #expect(ses == "+sum@example.com,COMPLAINT\r\n-minus@example.com,COMPLAINT\r\n=cmd@example.com,COMPLAINT\r\n")
    }

    @Test func retriesExportIsSoonestFirstAndPendingByDefault() throws {
        let fixture = try StoreFixture()
        try fixture.insert([
            ExportEvents.deferral("full@example.org", at: "2026-11-28T10:00:00Z"),
            ExportEvents.deferral("slow@gmail.com", at: "2026-11-28T09:00:00Z"),
            ExportEvents.deferral("late@example.com", at: "2026-11-28T08:00:00Z"),
        ])
        try fixture.run()
        try fixture.connection.query("UPDATE retry_schedule SET status = 'given_up' WHERE recipient = 'late@example.com'")
        let records = try parseCSV(try fixture.exportText(.retries(), format: .csv))
        #expect(Array(records.first?.prefix(5) ?? []) == ["message_id", "recipient", "attempt", "next_attempt_at", "reason"])
        let rows = Array(records.dropFirst())
        #expect(Set(rows.map { $0[1] }) == ["full@example.org", "slow@gmail.com"])
        #expect(rows.map { $0[1] } == ["slow@gmail.com", "full@example.org"])
        #expect(rows.map { $0[3] } == rows.map { $0[3] }.sorted())
        let all = try parseNDJSON(try fixture.exportText(.retries(status: "all"), format: .ndjson))
        #expect(all.count == 3)
        #expect(all.allSatisfy { $0["attempt"] as? Int == 1 })
    }

    @Test func rateLimitExportShowsLimitsInForce() throws {
        let fixture = try StoreFixture()
        try fixture.connection.query("""
            INSERT INTO rate_limits (destination, source, max_per_hour, reason, rule_id, since, until, event_count, last_event_id)
            VALUES ('google', '192.0.2.10', 500, 'rate_limited', 'r', now() - interval '1 hour', now() + interval '1 hour', 4, 1),
                   ('old.example', '', 0, 'rate_limited', 'r', now() - interval '2 days', now() - interval '1 day', 3, 1)
            """)
        // A limit stays in force until it is lifted, whether or not its hold has passed (issue 14).
        let inForce = try parseNDJSON(try fixture.exportText(.rateLimits(), format: .ndjson))
        #expect(inForce.count == 2)
        #expect(inForce.first { $0["destination"] as? String == "google" }?["paused"] as? Bool == false)
        #expect(inForce.first { $0["destination"] as? String == "google" }?["hold_active"] as? Bool == true)
        #expect(inForce.first { $0["destination"] as? String == "old.example" }?["hold_active"] as? Bool == false)
        let all = try parseNDJSON(try fixture.exportText(.rateLimits(includeExpired: true), format: .ndjson))
        #expect(all.first { $0["destination"] as? String == "old.example" }?["paused"] as? Bool == true)
    }
}
