import Glibc
import Postgres

/// COPY rows that must wait for their statement, because the connection is still busy with pass 2's
/// ordered read: encoded in binary COPY form in memory a megabyte at a time, the full megabytes moved to
/// an anonymous temporary file (gone when closed, even after a crash), so the client's memory stays flat
/// whatever the night's size and the pass needs no partitions.
final class CopySpool {
    /// Rows of the current megabyte; call `rowEnded()` after each row.
    var encoder = CopyBinaryEncoder()
    private var file: UnsafeMutablePointer<FILE>?
    private var spilled = 0
    static let memoryLimit = 1 << 20

    var isEmpty: Bool { spilled == 0 && encoder.isEmpty }

    /// Bytes of rows held, in memory and in the file.
    var byteCount: Int { spilled + encoder.count }

    deinit {
        if let file { fclose(file) }
    }

    /// Moves the encoded rows to the file once they reach `memoryLimit`.
    func rowEnded() throws {
        guard encoder.count >= Self.memoryLimit else { return }
        if file == nil {
            file = tmpfile()
            guard file != nil else { throw Self.failure("create", errno) }
        }
        let chunk = encoder.take()
        let written = chunk.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == chunk.count else { throw Self.failure("write", errno) }
        spilled += chunk.count
    }

    /// Sends every row into `table` (a name, with a column list when needed) with one binary COPY, then
    /// empties the spool.
    func copy(into table: String, on connection: Connection) throws {
        guard !isEmpty else { return }
        _ = try connection.copyIn("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
            try writer.sendEncoded(CopyBinaryEncoder.header)
            if let file {
                guard fflush(file) == 0 else { throw Self.failure("write", errno) }
                rewind(file)
                var buffer = [UInt8](repeating: 0, count: CopyTextEncoder.chunkSize)
                var read = 0
                while read < spilled {
                    let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                    guard count > 0 else { throw Self.failure("read", errno) }
                    try writer.sendEncoded(count == buffer.count ? buffer : Array(buffer[..<count]))
                    read += count
                }
            }
            try writer.sendEncoded(encoder.take())
            try writer.sendEncoded(CopyBinaryEncoder.trailer)
        }
        if let file { fclose(file) }
        file = nil
        spilled = 0
    }

    /// Starts a binary COPY of every row held into `table` without waiting for the server
    /// (`Connection.startCopyIn`), then empties the spool: the caller finishes the COPY before its next
    /// statement. Nothing is started when the spool is empty.
    func startCopy(into table: String, on connection: Connection) throws {
        guard !isEmpty else { return }
        var chunks = [CopyBinaryEncoder.header]
        if let file {
            guard fflush(file) == 0 else { throw Self.failure("write", errno) }
            rewind(file)
            var read = 0
            while read < spilled {
                var buffer = [UInt8](repeating: 0, count: min(CopyTextEncoder.chunkSize, spilled - read))
                let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                guard count == buffer.count else { throw Self.failure("read", errno) }
                chunks.append(buffer)
                read += count
            }
            fclose(file)
            self.file = nil
            spilled = 0
        }
        chunks.append(encoder.take())
        chunks.append(CopyBinaryEncoder.trailer)
        try connection.startCopyIn("COPY \(table) FROM STDIN (FORMAT binary)", chunks: chunks)
    }

    private static func failure(_ action: String, _ code: Int32) -> StoreError {
        StoreError(.invalidInput, """
            could not \(action) the run's temporary file of plan rows (\(String(cString: strerror(code)))): \
            make room in the temporary directory (/tmp) and run again; nothing was committed
            """)
    }
}
