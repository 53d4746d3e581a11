import CLibPQ

/// The rows of one `FETCH` from a `BINARY` cursor, held in memory (libpq's result) until released:
/// each field in PostgreSQL's binary form, as `COPY … (FORMAT binary)` sends it, read in place.
///
/// A cursor read in batches leaves the connection free between batches, which a `COPY … TO STDOUT`
/// does not: the caller can send rows to the server (``Connection/startCopyIn(_:chunks:)``) while it
/// works through a batch.
public final class FetchedBinaryRows {
    private let handle: OpaquePointer
    /// Rows in this batch; 0 when the cursor is exhausted.
    public let count: Int

    init(handle: OpaquePointer) {
        self.handle = handle
        count = Int(PQntuples(handle))
    }

    deinit {
        PQclear(handle)
    }

    /// The row at `index` (0 ..< count); valid while this object lives.
    public func row(_ index: Int) -> FetchedBinaryRow { FetchedBinaryRow(handle: handle, row: Int32(index)) }
}

/// One row of ``FetchedBinaryRows``, with the same field readers as ``CopyBinaryRow``.
public struct FetchedBinaryRow {
    fileprivate let handle: OpaquePointer
    fileprivate let row: Int32

    public func isNull(_ field: Int) -> Bool {
        field >= Int(PQnfields(handle)) || PQgetisnull(handle, row, Int32(field)) == 1
    }

    /// Calls `body` with the raw bytes of a field (nil for NULL).
    public func withBytes<Result>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard !isNull(field), let value = PQgetvalue(handle, row, Int32(field)) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: value, count: Int(PQgetlength(handle, row, Int32(field)))))
    }

    /// A `text` field (invalid UTF-8 repaired with U+FFFD), or nil for NULL.
    public func string(_ field: Int) -> String? {
        withBytes(field) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A `bigint` field (or an `integer` or `smallint` one), or nil for NULL.
    public func int64(_ field: Int) -> Int64? {
        withBytes(field) { bytes -> Int64? in
            guard let bytes else { return nil }
            switch bytes.count {
            case 8: return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
            case 4: return Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
            case 2: return Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
            default: return nil
            }
        }
    }

    /// An `integer` field (or a `smallint` or `bigint` one), or nil for NULL.
    public func int(_ field: Int) -> Int? { int64(field).map { Int($0) } }

    /// A `timestamptz` field as microseconds since the Unix epoch, or nil for NULL.
    public func unixMicros(_ field: Int) -> Int64? { int64(field).map { $0 &+ CopyBinaryRow.postgresEpochMicros } }
}

extension Connection {
    /// Runs one `FETCH` from a cursor declared `BINARY` and returns its rows.
    public func fetchBinary(_ sql: String) throws -> FetchedBinaryRows {
        precondition(pendingCopySQL == nil, "a COPY started with startCopyIn is still open: finishCopyIn first")
        guard let result = PQexec(handle, sql) else { throw connectionError(.protocolFailure, context: Self.summary(of: sql)) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            let error = Self.error(from: result, connection: handle, sql: sql)
            PQclear(result)
            throw error
        }
        return FetchedBinaryRows(handle: result)
    }
}
