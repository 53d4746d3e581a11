import CLibPQ

/// The rows of a completed statement, in libpq's text format.
public final class QueryResult {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// Rows changed by an INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 when not applicable.
    public var affectedRows: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }

    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    /// The value at a row and column, or nil for SQL NULL.
    public func value(row: Int, column: Int) -> String? {
        precondition(row < rowCount && column < columnCount, "row \(row) / column \(column) out of range")
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// The value at a row of the column with this name, or nil for NULL or no such column.
    public func value(row: Int, column name: String) -> String? {
        let column = Int(PQfnumber(handle, name))
        guard column >= 0 else { return nil }
        return value(row: row, column: column)
    }

    /// Every row as an array of optional strings.
    public var rows: [[String?]] {
        (0..<rowCount).map { row in (0..<columnCount).map { value(row: row, column: $0) } }
    }

    /// The first column of the first row, for `SELECT count(*)` and friends.
    public var scalar: String? {
        rowCount > 0 && columnCount > 0 ? value(row: 0, column: 0) : nil
    }
}
