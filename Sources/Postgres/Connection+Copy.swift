import CLibPQ

extension Connection {
    /// Streams the rows of `COPY … TO STDOUT` (text format) to `row`, one call per row, without holding
    /// more than one row in memory. Returns the number of rows.
    ///
    /// COPY takes no bind parameters; pass values through ``setSetting(_:to:local:)`` and
    /// `current_setting(…)` in the query instead of splicing them in.
    @discardableResult
    public func copyOut(_ sql: String, row: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try beginCopy(sql, expecting: PGRES_COPY_OUT)
        var count = 0
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                // After a failure in `row`, keep draining so the connection stays usable.
                if failure == nil {
                    do {
                        try row(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                        count += 1
                    } catch {
                        failure = error
                        _ = cancelRunningStatement()
                    }
                }
            } else if length == -1 {
                break
            } else {
                throw connectionError(.copy, context: Self.summary(of: sql))
            }
        }
        try drainResults(sql: sql, ignoringErrors: failure != nil)
        if let failure { throw failure }
        return count
    }

    /// Runs `COPY … FROM STDIN` and lets `body` write rows through a buffered ``CopyInWriter``.
    /// An error thrown by `body` aborts the COPY, so nothing it wrote is kept.
    /// Returns the number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        try beginCopy(sql, expecting: PGRES_COPY_IN)
        let writer = CopyInWriter(connection: self)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by bounceplan")
            try? drainResults(sql: sql, ignoringErrors: true)
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw connectionError(.copy, context: Self.summary(of: sql))
        }
        var stored = 0
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                throw Self.error(from: result, connection: handle, sql: sql)
            }
            stored = Int(String(cString: PQcmdTuples(result))) ?? stored
        }
        return stored
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let status = PQputCopyData(
            handle, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard status == 1 else { throw connectionError(.copy, context: "sending COPY data") }
    }

    private func drainResults(sql: String, ignoringErrors: Bool) throws {
        var firstError: PostgresError?
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            if status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && firstError == nil {
                firstError = Self.error(from: result, connection: handle, sql: sql)
            }
            PQclear(result)
        }
        if let firstError, !ignoringErrors { throw firstError }
    }

    /// Asks the server to cancel the statement running on this connection.
    @discardableResult
    public func cancelRunningStatement() -> Bool {
        guard let cancel = PQgetCancel(handle) else { return false }
        defer { PQfreeCancel(cancel) }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        return PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count)) == 1
    }
}

/// Sends COPY rows in 64 KiB chunks (measured faster than 8 KiB or 1 MiB per `PQputCopyData`).
public final class CopyInWriter {
    private unowned let connection: Connection
    /// The rows not yet sent; write fields into it, then call ``endRow()``.
    public var encoder = CopyTextEncoder()
    /// Rows finished with ``endRow()``.
    public private(set) var rowCount = 0

    init(connection: Connection) {
        self.connection = connection
    }

    /// Appends one text field; nil is SQL NULL.
    public func field(_ value: String?) { encoder.field(value) }

    /// Appends one integer field; nil is SQL NULL.
    public func field(_ value: Int?) { encoder.field(value) }

    /// Appends one field from raw bytes; nil is SQL NULL.
    public func field(bytes: UnsafeRawBufferPointer?) { encoder.field(bytes: bytes) }

    /// Ends the current row and sends the buffer when it passes the chunk size.
    public func endRow() throws {
        encoder.endRow()
        rowCount += 1
        if encoder.isFull { try flush() }
    }

    /// Convenience: one whole row of text fields.
    public func row(_ fields: [String?]) throws {
        for value in fields { encoder.field(value) }
        try endRow()
    }

    /// Sends bytes already in COPY text format (whole rows), for a producer on another thread.
    public func sendEncoded(_ chunk: [UInt8]) throws {
        try flush()
        try chunk.withUnsafeBytes { try connection.putCopyData($0) }
    }

    func flush() throws {
        guard !encoder.bytes.isEmpty else { return }
        try encoder.bytes.withUnsafeBytes { try connection.putCopyData($0) }
        encoder.reset()
    }
}

extension Connection {
    /// Sends a `COPY` statement and checks that the server entered the expected COPY mode; the
    /// statement's error (SQLSTATE and message) when it did not.
    func beginCopy(_ sql: String, expecting status: ExecStatusType) throws {
        let start = PQexec(handle, sql)
        guard let start else { throw connectionError(.copy, context: Self.summary(of: sql)) }
        guard PQresultStatus(start) == status else {
            let error = Self.error(from: start, connection: handle, sql: sql)
            PQclear(start)
            throw error
        }
        PQclear(start)
    }
}
