import CLibPQ
import Glibc

extension Connection {
    /// Starts `COPY … FROM STDIN` with all of its data (`chunks`, already in the COPY's format) and
    /// returns without waiting for the server to store it: the data waits in libpq's buffer and goes out
    /// as the socket takes it (``pumpCopyIn()``), so the server stores rows while the caller computes.
    /// Nothing else may be sent on the connection until ``finishCopyIn()``, which reports the outcome.
    public func startCopyIn(_ sql: String, chunks: [[UInt8]]) throws {
        precondition(pendingCopySQL == nil, "a COPY started with startCopyIn is still open: finishCopyIn first")
        try beginCopy(sql, expecting: PGRES_COPY_IN)
        pendingCopySQL = sql
        // Non-blocking: libpq enlarges its output buffer instead of waiting for the server to read.
        guard PQsetnonblocking(handle, 1) == 0 else { throw connectionError(.copy, context: Self.summary(of: sql)) }
        for chunk in chunks where !chunk.isEmpty {
            let queued = chunk.withUnsafeBytes {
                PQputCopyData(handle, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count))
            }
            if queued != 1 {
                // 0: the buffer could not grow; send what is queued, waiting, then queue again.
                guard queued == 0 else { throw connectionError(.copy, context: "sending COPY data") }
                try flushWaiting(sql)
                guard chunk.withUnsafeBytes({
                    PQputCopyData(handle, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count))
                }) == 1 else { throw connectionError(.copy, context: "sending COPY data") }
            }
        }
        var ended = PQputCopyEnd(handle, nil)
        if ended == 0 {
            try flushWaiting(sql)
            ended = PQputCopyEnd(handle, nil)
        }
        guard ended == 1 else { throw connectionError(.copy, context: Self.summary(of: sql)) }
        try pumpCopyIn()
    }

    /// Sends as much of a started COPY's data as the socket takes now, without waiting; does nothing
    /// when no COPY is open.
    public func pumpCopyIn() throws {
        guard pendingCopySQL != nil else { return }
        guard PQflush(handle) != -1 else { throw connectionError(.copy, context: "sending COPY data") }
    }

    /// Sends the rest of a started COPY's data, waits for the server and returns the rows it stored,
    /// or throws its error. Returns 0 when no COPY is open.
    @discardableResult
    public func finishCopyIn() throws -> Int {
        guard let sql = pendingCopySQL else { return 0 }
        pendingCopySQL = nil
        // Everything queued goes out first: libpq refuses to leave non-blocking mode with data unsent.
        try flushWaiting(sql)
        guard PQsetnonblocking(handle, 0) == 0 else { throw connectionError(.copy, context: Self.summary(of: sql)) }
        var stored = 0
        var failure: PostgresError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK {
                if failure == nil { failure = Self.error(from: result, connection: handle, sql: sql) }
            } else {
                stored = Int(String(cString: PQcmdTuples(result))) ?? stored
            }
        }
        if let failure { throw failure }
        return stored
    }

    /// Sends everything libpq has queued, waiting on the socket as libpq's documentation prescribes:
    /// when it is writable, flush again; when the server sent something (a notice, an error), read it first.
    private func flushWaiting(_ sql: String) throws {
        while true {
            switch PQflush(handle) {
            case 0: return
            case 1:
                var socket = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | POLLOUT), revents: 0)
                guard poll(&socket, 1, -1) >= 0 || errno == EINTR else {
                    throw connectionError(.copy, context: Self.summary(of: sql))
                }
                if socket.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 {
                    throw connectionError(.copy, context: Self.summary(of: sql))
                }
            default:
                throw connectionError(.copy, context: Self.summary(of: sql))
            }
        }
    }
}
