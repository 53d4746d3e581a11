import Postgres
import TestSupport
import Testing

@Suite("COPY in and out")
struct CopyTests {
    static let awkward: [String?] = [
        "plain", "tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", nil, "", "ünïcödé ✉",
        "=HYPERLINK(\"x\")", String(repeating: "x", count: 100_000),
    ]

    @Test func roundTripKeepsEveryByteAndNull() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n int, v text)")
        let stored = try connection.copyIn("COPY t (n, v) FROM STDIN") { writer in
            for (index, value) in Self.awkward.enumerated() {
                writer.field(index)
                writer.field(value)
                try writer.endRow()
            }
        }
        #expect(stored == Self.awkward.count)
        var read: [String?] = []
        var row = CopyTextRow()
        let count = try connection.copyOut("COPY (SELECT n, v FROM t ORDER BY n) TO STDOUT") { bytes in
            row.parse(bytes)
            #expect(row.int(0) == read.count)
            read.append(row.string(1))
        }
        #expect(count == Self.awkward.count)
        #expect(read == Self.awkward)
    }

    @Test func largeCopyStreamsInChunks() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n int, v text)")
        let rows = 200_000
        try connection.copyIn("COPY t FROM STDIN") { writer in
            for index in 0..<rows {
                writer.field(index)
                writer.field("row \(index)")
                try writer.endRow()
            }
        }
        var sum = 0
        var row = CopyTextRow()
        try connection.copyOut("COPY t TO STDOUT") { bytes in
            row.parse(bytes)
            sum += row.int(0) ?? 0
        }
        #expect(sum == rows * (rows - 1) / 2)
    }

    @Test func errorInWriterAbortsTheCopy() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n int)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try connection.copyIn("COPY t FROM STDIN") { writer in
                writer.field(1)
                try writer.endRow()
                throw Stop()
            }
        }
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "0")
    }

    @Test func badRowIsAServerErrorAndConnectionSurvives() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n int)")
        let error = #expect(throws: PostgresError.self) {
            try connection.copyIn("COPY t FROM STDIN") { writer in
                writer.field("not a number")
                try writer.endRow()
            }
        }
        #expect(error?.sqlState == "22P02")
        #expect(try connection.query("SELECT 1").scalar == "1")
    }

    @Test func errorInReaderStopsAndConnectionSurvives() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try connection.copyOut("COPY (SELECT generate_series(1, 100000)) TO STDOUT") { _ in
                seen += 1
                if seen == 10 { throw Enough() }
            }
        }
        #expect(seen == 10)
        #expect(try connection.query("SELECT 2").scalar == "2")
    }
}
