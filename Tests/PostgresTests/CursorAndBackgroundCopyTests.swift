import Postgres
import TestSupport
import Testing

/// What the recipient pass relies on to store plan rows while it plans: a `BINARY` cursor read in
/// batches gives the same fields as binary COPY out, and a COPY started in the background stores every
/// row (also more than a socket's buffer holds) or reports the server's error when it is finished.
@Suite("Binary cursor batches and COPY in the background")
struct CursorAndBackgroundCopyTests {
    @Test func aBinaryCursorReadsTheFieldsBinaryCopyReads() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let query = """
            SELECT n, 'r' || n AS v, n::bigint * 1000000007 AS b, CASE WHEN n % 3 = 0 THEN NULL ELSE n END AS i,
                   timestamptz '2026-12-01 00:00:00+00' + n * interval '1 microsecond' AS at
            FROM generate_series(1, 2500) n ORDER BY n
            """
        var copied: [[String?]] = []
        var row = CopyBinaryRow()
        try connection.copyOut("COPY (\(query)) TO STDOUT (FORMAT binary)") { bytes in
            guard row.parse(bytes) else { return }
            copied.append([row.int(0).map(String.init), row.string(1), row.int64(2).map(String.init),
                           row.int(3).map(String.init), row.unixMicros(4).map(String.init)])
        }
        var fetched: [[String?]] = []
        var batches = 0
        try connection.transaction {
            try connection.query("DECLARE c BINARY NO SCROLL CURSOR FOR \(query)")
            while true {
                let batch = try connection.fetchBinary("FETCH 1000 FROM c")
                guard batch.count > 0 else { break }
                batches += 1
                for index in 0..<batch.count {
                    let row = batch.row(index)
                    fetched.append([row.int(0).map(String.init), row.string(1), row.int64(2).map(String.init),
                                    row.int(3).map(String.init), row.unixMicros(4).map(String.init)])
                }
            }
        }
        #expect(batches == 3)
        #expect(fetched.count == 2500)
        #expect(fetched == copied)
    }

    /// Rows encoded as `count` binary COPY rows of (n, padding), in chunks of 64 KiB.
    static func chunks(count: Int, duplicateAt duplicate: Int? = nil) -> [[UInt8]] {
        var chunks = [CopyBinaryEncoder.header]
        var encoder = CopyBinaryEncoder()
        let padding = String(repeating: "x", count: 200)
        for n in 0..<count {
            encoder.startRow(fields: 2)
            encoder.int64(Int64(n == duplicate ? 0 : n))
            encoder.text(padding)
            if encoder.count >= 1 << 16 { chunks.append(encoder.take()) }
        }
        chunks.append(encoder.take())
        chunks.append(CopyBinaryEncoder.trailer)
        return chunks
    }

    @Test func aBackgroundCopyStoresEveryRowWhileTheCallerWorks() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n bigint PRIMARY KEY, pad text)")
        // About 43 MB: far more than a Unix socket's buffer, so most of it goes out in pumps and at the finish.
        try connection.startCopyIn("COPY t FROM STDIN (FORMAT binary)", chunks: Self.chunks(count: 200_000))
        for _ in 0..<100 { try connection.pumpCopyIn() }
        #expect(try connection.finishCopyIn() == 200_000)
        #expect(try connection.finishCopyIn() == 0)
        #expect(try connection.query("SELECT count(*), sum(n) FROM t").rows.first == ["200000", "19999900000"])
    }

    @Test func aBackgroundCopyReportsTheServersErrorWhenFinished() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (n bigint PRIMARY KEY, pad text)")
        try connection.startCopyIn("COPY t FROM STDIN (FORMAT binary)", chunks: Self.chunks(count: 50_000, duplicateAt: 7))
        #expect(throws: PostgresError.self) { try connection.finishCopyIn() }
        // The connection is usable again, and the failed COPY stored nothing.
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "0")
    }
}
