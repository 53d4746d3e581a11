import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Manual suppression control")
struct SuppressTests {
    @Test func addNormalisesAuditsAndShowExplains() throws {
        let fixture = try StoreFixture()
        let control = ManualSuppression(connection: fixture.connection)
        let change = try control.add("  <Bob@Example.COM> ", why: "asked by phone")
        #expect(change == ManualChange(recipient: "bob@example.com", previousStatus: nil, status: "active"))
        let row = try fixture.connection.query(
            "SELECT status, category, reason, first_event_id, removed_at FROM suppressions WHERE recipient = 'bob@example.com'").rows
        #expect(row == [["active", "manual", "manual", nil, nil]])
        let detail = try SuppressionDetail.load("BOB@example.com", from: fixture.connection)
        #expect(detail.state?.status == "active")
        #expect(detail.audit.count == 1)
        #expect(detail.audit.first?.action == "add")
        #expect(detail.audit.first?.why == "asked by phone")
        #expect(detail.audit.first?.actor == (try fixture.connection.query("SELECT current_user").scalar))
        #expect(detail.text.contains("add by"))
    }

    @Test func removeRecordsTimeAndPreviousStatus() throws {
        let fixture = try StoreFixture()
        try fixture.insert([ExportEvents.complaint("gone@example.com", at: "2026-11-28T10:00:00Z", text: "550 5.1.1 User unknown")])
        try fixture.run()
        let control = ManualSuppression(connection: fixture.connection)
        let change = try control.remove("gone@example.com", why: "mailbox owner confirmed it works")
        #expect(change.previousStatus == "active")
        #expect(change.status == "removed")
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE status = 'removed' AND removed_at IS NOT NULL") == 1)
        let detail = try SuppressionDetail.load("gone@example.com", from: fixture.connection)
        #expect(detail.state?.removedAt != nil)
        #expect(detail.audit.map(\.action) == ["remove"])
        #expect(detail.audit.first?.previousStatus == "active")
        #expect(detail.history.map(\.outcome) == ["suppress"])
        #expect(detail.evidence.count == 1)
        #expect(detail.evidence.first?.diagnostic == "550 5.1.1 User unknown")
        #expect(detail.text.contains("evidence:"))
    }

    @Test func badInputIsAClearErrorAndChangesNothing() throws {
        let fixture = try StoreFixture()
        let control = ManualSuppression(connection: fixture.connection)
        #expect(throws: StoreError.self) { try control.add("not an address", why: "x") }
        #expect(throws: StoreError.self) { try control.add("a@example.com", why: "   ") }
        let missing = #expect(throws: StoreError.self) { try control.remove("nobody@example.com", why: "x") }
        #expect(missing?.description.contains("not on the suppression list") == true)
        #expect(try fixture.count("SELECT count(*) FROM suppression_audit") == 0)
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)
    }

    @Test("the audit log refuses changes", arguments: [
        "UPDATE suppression_audit SET why = 'rewritten'",
        "DELETE FROM suppression_audit",
        "TRUNCATE suppression_audit",
    ])
    func auditLogIsAppendOnly(statement: String) throws {
        let fixture = try StoreFixture()
        try ManualSuppression(connection: fixture.connection).add("a@example.com", why: "test")
        let error = #expect(throws: PostgresError.self) { try fixture.connection.query(statement) }
        #expect(error?.sqlState == "42501")
        #expect(error?.message.contains("append-only") == true)
        #expect(try fixture.connection.query("SELECT why FROM suppression_audit").rows == [["test"]])
    }

    @Test func publicHasNoUpdateOrDeleteOnTheAuditLog() throws {
        let fixture = try StoreFixture()
        let grants = try fixture.connection.query("""
            SELECT privilege_type FROM information_schema.role_table_grants
            WHERE table_name = 'suppression_audit' AND grantee = 'PUBLIC'
            """).rows.compactMap { $0[0] }
        #expect(!grants.contains("UPDATE"))
        #expect(!grants.contains("DELETE"))
    }

    @Test func importBulkLoadsNormalisesDeduplicatesAndAudits() throws {
        let fixture = try StoreFixture()
        let control = ManualSuppression(connection: fixture.connection)
        try control.add("already@example.com", why: "earlier")
        try control.add("back@example.com", why: "earlier")
        try control.remove("back@example.com", why: "earlier")
        let folder = try ScratchFolder()
        let path = folder.file("list.csv")
        let csv = "\u{FEFF}Name,Email,Reason\r\n"
            + "Ann,Ann@Example.com,\"complained, twice\"\r\n"
            + "\"Multi\nline\",ann@example.com,duplicate\r\n"
            + "Bad,not-an-address,x\r\n"
            + "Old,already@example.com,\r\n"
            + "Back,back@example.com,re-added\n"
            + "\r\n"
        try csv.write(toFile: path, atomically: false, encoding: .utf8)
        let outcome = try control.importFile(path, skipInvalid: true)
        #expect(outcome.imported)
        #expect(outcome.rows == 5)
        #expect(outcome.invalid == 1)
        #expect(outcome.problems.first?.hasPrefix("line 5:") == true)
        #expect(outcome.addresses == 3)
        #expect(outcome.changed == 2)  // ann new, back re-activated; already@ was active
        let statuses = try fixture.connection.query("SELECT recipient, status FROM suppressions ORDER BY 1").rows
        #expect(statuses == [["already@example.com", "active"], ["ann@example.com", "active"], ["back@example.com", "active"]])
        let audit = try fixture.connection.query("""
            SELECT recipient, why, previous_status, origin FROM suppression_audit WHERE action = 'import' ORDER BY recipient
            """).rows
        #expect(audit == [
            ["already@example.com", "imported from list.csv", "active", "import:list.csv"],
            ["ann@example.com", "complained, twice", nil, "import:list.csv"],
            ["back@example.com", "re-added", "removed", "import:list.csv"],
        ])
    }

    /// Writes `bytes` as a file and imports it; returns the outcome and what the tables hold after.
    static func importBytes(_ bytes: [UInt8], skipInvalid: Bool, into fixture: StoreFixture) throws -> SuppressionImportOutcome {
        let folder = try ScratchFolder()
        let path = folder.file("list.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try ManualSuppression(connection: fixture.connection).importFile(path, skipInvalid: skipInvalid)
    }

    @Test func aRefusedRowMeansNothingIsImportedUnlessToldToSkipIt() throws {
        let fixture = try StoreFixture()
        let csv = Array("email\r\nann@example.com\r\nnot-an-address\r\nbob@example.com\r\n".utf8)
        let refused = try Self.importBytes(csv, skipInvalid: false, into: fixture)
        #expect(!refused.imported)
        #expect(refused.invalid == 1)
        #expect(refused.problems == ["line 3: \"not-an-address\" \(RecipientAddress.Problem.noAt.rawValue)"])
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)
        #expect(try fixture.count("SELECT count(*) FROM suppression_audit") == 0)
        let skipped = try Self.importBytes(csv, skipInvalid: true, into: fixture)
        #expect(skipped.imported && skipped.invalid == 1 && skipped.changed == 2)
    }

    /// A Latin-1 "josé" is E9 alone, which is not UTF-8: refused with its line, never stored mangled.
    @Test func aLineThatIsNotUTF8IsRefusedWithItsLineNumber() throws {
        let fixture = try StoreFixture()
        let csv = Array("email,reason\nok@example.com,x\njos".utf8) + [0xE9] + Array("@example.com,y\n".utf8)
        let refused = try Self.importBytes(csv, skipInvalid: false, into: fixture)
        #expect(!refused.imported)
        #expect(refused.problems == ["line 3: not UTF-8 text (save the file as UTF-8)"])
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)
        let skipped = try Self.importBytes(csv, skipInvalid: true, into: fixture)
        #expect(skipped.imported && skipped.invalid == 1)
        #expect(try fixture.connection.query("SELECT recipient FROM suppressions").rows == [["ok@example.com"]])
    }

    @Test("an unclosed quote refuses the whole file with the line it opened on", arguments: [false, true])
    func anUnclosedQuoteRefusesTheFile(skipInvalid: Bool) throws {
        let fixture = try StoreFixture()
        let csv = Array("email,reason\nann@example.com,fine\nbob@example.com,\"oops\ncarl@example.com,x\n".utf8)
        let error = #expect(throws: StoreError.self) { try Self.importBytes(csv, skipInvalid: skipInvalid, into: fixture) }
        #expect(error?.description.contains("line 3: a quoted field starts here and is never closed") == true,
                "\(String(describing: error))")
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)
    }

    @Test func theCommandExits1AndImportsNothingWhenARowIsRefused() throws {
        let target = try CommandLineTests.Target(events: 0)
        let folder = try ScratchFolder()
        let path = folder.file("list.csv")
        try Data(Array("email\nann@example.com\njos".utf8) + [0xE9] + Array("@example.com\n".utf8)).write(to: URL(fileURLWithPath: path))
        let refused = try ProgramRunner.bounceplan(["suppress", "import", path, "--database-url", target.url])
        #expect(refused.exited(1), "\(refused)")
        #expect(refused.stderr.contains("refused line 3: not UTF-8 text"), "\(refused.stderr)")
        #expect(refused.stderr.contains("nothing was imported: 1 of 2 rows refused"), "\(refused.stderr)")
        #expect(try target.count("suppressions") == 0)
        let skipped = try ProgramRunner.bounceplan(["suppress", "import", path, "--skip-invalid", "--database-url", target.url])
        #expect(skipped.exited(0), "\(skipped)")
        #expect(try target.count("suppressions") == 1)
    }

    @Test func importWithoutEmailColumnIsRefusedBeforeAnythingIsWritten() throws {
        let fixture = try StoreFixture()
        let folder = try ScratchFolder()
        let path = folder.file("wrong.csv")
        try "name,mail\nx,a@example.com\n".write(toFile: path, atomically: false, encoding: .utf8)
        let error = #expect(throws: StoreError.self) { try ManualSuppression(connection: fixture.connection).importFile(path) }
        #expect(error?.description.contains("email") == true)
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)
    }

    @Test func removedAddressStaysRemovedUntilEvidenceNewerThanTheRemoval() throws {
        let fixture = try StoreFixture()
        try fixture.insert([ExportEvents.complaint("gone@example.com", at: "2026-11-28T10:00:00Z")])
        try fixture.run()
        try ManualSuppression(connection: fixture.connection).remove("gone@example.com", why: "owner says it works")
        // Pin the removal time so that "before" and "after" do not depend on the clock.
        try fixture.connection.query("UPDATE suppressions SET removed_at = '2026-11-28T12:00:00Z'")
        func status() throws -> String? {
            try fixture.connection.query("SELECT status FROM suppressions WHERE recipient = 'gone@example.com'").scalar
        }

        // A newly arrived event that happened before the removal does not undo the person's decision.
        try fixture.insert([ExportEvents.complaint("gone@example.com", at: "2026-11-28T11:00:00Z")])
        let quiet = try fixture.run()
        #expect(quiet.events == 1)
        #expect(try status() == "removed")

        // Evidence from after the removal suppresses it again.
        try fixture.insert([ExportEvents.complaint("gone@example.com", at: "2026-11-28T13:00:00Z")])
        let renewed = try #require(try fixture.run().runID)
        #expect(try status() == "active")
        #expect(try fixture.count("SELECT updated_run_id FROM suppressions WHERE recipient = 'gone@example.com'") == renewed)
    }
}
