import Postgres
import Testing

/// `CopyTextRow.parse` splits rows with no escape but `\N` on a fast path and every other row byte by
/// byte: both must give the same fields.
@Suite("COPY text rows")
struct CopyTextRowTests {
    /// A raw row as the server sends it, and the fields it holds (nil is NULL).
    static let rows: [(raw: String, fields: [String?])] = [
        ("1\tplain\n", ["1", "plain"]),
        ("1\tplain", ["1", "plain"]),
        ("", [""]),
        ("\n", [""]),
        ("\t", ["", ""]),
        ("a\t\tb\t", ["a", "", "b", ""]),
        ("\\N", [nil]),
        ("\\N\t\\N\n", [nil, nil]),
        ("7\t\\N\tx\t\\N", ["7", nil, "x", nil]),
        ("x\\ty\t\\N", ["x\ty", nil]),
        ("back\\\\slash\tz", ["back\\slash", "z"]),
        ("new\\nline\tcar\\rriage", ["new\nline", "car\rriage"]),
        ("\\b\\f\\v\t\\q", ["\u{8}\u{c}\u{b}", "q"]),
        ("ab\\N\tc", [nil, "c"]),
        ("\\Nx\tc", [nil, "c"]),
        ("end\\", ["end\\"]),
        ("ünïcödé ✉\t\\N\t550", ["ünïcödé ✉", nil, "550"]),
    ]

    @Test(arguments: rows)
    func fields(raw: String, fields expected: [String?]) {
        var row = CopyTextRow()
        // Parse another row first: the storage is reused between rows.
        Array("zz\\tzz\t\\N\tq\n".utf8).withUnsafeBytes { row.parse($0) }
        Array(raw.utf8).withUnsafeBytes { row.parse($0) }
        #expect(row.fieldCount == expected.count)
        #expect((0..<row.fieldCount).map { row.string($0) } == expected)
        for (index, value) in expected.enumerated() {
            #expect(row.isNull(index) == (value == nil))
        }
    }

    @Test func numbersOnEitherPath() {
        var row = CopyTextRow()
        Array("42\t-7\t\\N\tx".utf8).withUnsafeBytes { row.parse($0) }
        #expect(row.int(0) == 42)
        #expect(row.int(1) == -7)
        #expect(row.int(2) == nil)
        #expect(row.int(3) == nil)
        Array("42\ta\\tb\t-7".utf8).withUnsafeBytes { row.parse($0) }
        #expect(row.int(0) == 42)
        #expect(row.int(2) == -7)
        #expect(row.withBytes(1) { $0.map { Array($0) } } == Array("a\tb".utf8))
    }
}
