import BouncePlanStore
import Foundation
import Postgres
import Testing

@Suite("Atomic output files")
struct ExportAtomicFileTests {
    struct Boom: Error {}

    @Test func completeFileAndNoTemporaryLeft() throws {
        let folder = try ScratchFolder()
        let path = folder.file("out.csv")
        let big = String(repeating: "0123456789abcdef\r\n", count: 20_000)
        try AtomicFile.write(to: path) { try $0.write(big) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == big)
        #expect(folder.entries == ["out.csv"])
    }

    @Test func failureLeavesTheOldFileIntactAndNoTemporary() throws {
        let folder = try ScratchFolder()
        let path = folder.file("out.csv")
        try "old content\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: Boom.self) {
            try AtomicFile.write(to: path) { writer in
                try writer.write(String(repeating: "x", count: 200_000))
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old content\n")
        #expect(folder.entries == ["out.csv"])
    }

    @Test func aFailingExportQueryLeavesTheOldFile() throws {
        let fixture = try StoreFixture()
        let folder = try ScratchFolder()
        let path = folder.file("suppressions.csv")
        try "previous export\r\n".write(toFile: path, atomically: false, encoding: .utf8)
        let query = ExportQuery.suppressions(SuppressionExportOptions(since: "not a time"), format: .csv)
        #expect(throws: PostgresError.self) {
            try AtomicFile.write(to: path) { try Exporter(connection: fixture.connection).export(query, format: .csv, to: $0) }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous export\r\n")
        #expect(folder.entries == ["suppressions.csv"])
        // The connection is still usable afterwards.
        #expect(try fixture.count("SELECT 1") == 1)
    }

    @Test func unwritableFolderIsAClearError() throws {
        let error = #expect(throws: StoreError.self) {
            try AtomicFile.write(to: "/nonexistent-folder-bounceplan/out.csv") { try $0.write("x") }
        }
        #expect(error?.description.contains("/nonexistent-folder-bounceplan") == true)
    }
}
