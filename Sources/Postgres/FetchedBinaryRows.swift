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
public struct FetchedBinaryRow: BinaryFields {
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
