import Postgres
import TestSupport
import Testing

/// The binary COPY form the recipient pass reads and writes: what `CopyBinaryEncoder` writes, the
/// server stores exactly, and `CopyBinaryRow` reads back the server's own binary output.
@Suite("Binary COPY in and out")
struct CopyBinaryTests {
    struct Row: Equatable {
        var text: String?
        var big: Int64?
        var integer: Int?
        var micros: Int64?
        var ratio: Double?
        var ids: [Int64]
    }

    static let rows: [Row] = [
        Row(text: "plain", big: 1, integer: 550, micros: 1_764_547_200_123_456, ratio: 0.5, ids: [3, 2, 1]),
        Row(text: "tab\there\nnew\\line", big: -9_007_199_254_740_993, integer: -1, micros: -1, ratio: 0, ids: []),
        Row(text: "ünïcödé ✉", big: Int64.max, integer: Int(Int32.max), micros: 946_684_800_000_000,
            ratio: 0.1 + 0.2, ids: [Int64.min]),
        Row(text: "", big: nil, integer: nil, micros: nil, ratio: nil, ids: [42]),
        Row(text: nil, big: 0, integer: 0, micros: 0, ratio: 0.999_999_999_999_999_9, ids: []),
    ]

    @Test func encodedRowsAreStoredExactlyAndReadBack() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("SET TimeZone = 'UTC'")
        try connection.query("""
            CREATE TABLE t (n int, v text, b bigint, i integer, at timestamptz, r double precision, ids bigint[] NOT NULL)
            """)
        var encoder = CopyBinaryEncoder()
        for (index, row) in Self.rows.enumerated() {
            encoder.startRow(fields: 7)
            encoder.int32(index)
            encoder.text(row.text)
            encoder.int64(row.big)
            encoder.int32(row.integer)
            encoder.timestamp(unixMicros: row.micros)
            encoder.double(row.ratio)
            encoder.int64Array(row.ids)
        }
        let stored = try connection.copyIn("COPY t FROM STDIN (FORMAT binary)") { writer in
            try writer.sendEncoded(CopyBinaryEncoder.header + encoder.take() + CopyBinaryEncoder.trailer)
        }
        #expect(stored == Self.rows.count)

        // What the server made of the bytes, in its own text form.
        let asText = try connection.query("""
            SELECT (extract(epoch FROM at) * 1000000)::bigint::text, ids::text FROM t ORDER BY n
            """).rows
        #expect(asText.map { $0[0] } == Self.rows.map { $0.micros.map(String.init) })
        #expect(asText.map { $0[1] } == Self.rows.map { "{" + $0.ids.map(String.init).joined(separator: ",") + "}" })

        var read: [Row] = []
        var row = CopyBinaryRow()
        var trailers = 0
        try connection.copyOut("COPY (SELECT n, v, b, i, at, r, ids::text FROM t ORDER BY n) TO STDOUT (FORMAT binary)") { bytes in
            guard row.parse(bytes) else { trailers += 1; return }
            #expect(row.fieldCount == 7)
            #expect(row.int(0) == read.count)
            let ratio = row.int64(5).map { Double(bitPattern: UInt64(bitPattern: $0)) }
            let ids = row.string(6).map { $0.dropFirst().dropLast().split(separator: ",").compactMap { Int64($0) } } ?? []
            read.append(Row(text: row.string(1), big: row.int64(2), integer: row.int(3), micros: row.unixMicros(4),
                            ratio: ratio, ids: ids))
        }
        #expect(trailers == 1)
        #expect(read == Self.rows)
    }
}
