import Foundation

/// Writes a file so that a reader sees either the old content or the complete new one, never half:
/// the bytes go to a temporary file in the same folder, which is flushed to disk and then renamed
/// over the target. When writing fails the temporary file is removed and the old file is untouched.
public enum AtomicFile {
    /// Calls `body` with a writer on a temporary file beside `path`, then publishes it as `path`.
    @discardableResult
    public static func write<Result>(to path: String, _ body: (OutputWriter) throws -> Result) throws -> Result {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw StoreError(.invalidInput, "cannot create a temporary file in \(folder) for \(path): \(String(cString: strerror(errno)))")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var published = false
        defer {
            if !published { unlink(temporary) }
        }
        let writer = OutputWriter(descriptor: descriptor, name: path, closesDescriptor: true)
        let result: Result
        do {
            result = try body(writer)
            try writer.flush()
            guard fsync(descriptor) == 0 else { throw writer.failure("cannot flush") }
            // Readable like a file made by `>`, not mkstemp's 0600.
            let mask = umask(0)
            umask(mask)
            fchmod(descriptor, 0o666 & ~mask)
            try writer.close()
        } catch {
            try? writer.close()
            throw error
        }
        guard rename(temporary, path) == 0 else {
            throw StoreError(.invalidInput, "cannot rename the finished file to \(path): \(String(cString: strerror(errno)))")
        }
        published = true
        // Make the rename itself durable.
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return result
    }

    /// `-` or nil means standard output; anything else is written atomically with ``write(to:_:)``.
    @discardableResult
    public static func writeOutput<Result>(_ path: String?, _ body: (OutputWriter) throws -> Result) throws -> Result {
        guard let path, path != "-" else {
            let writer = OutputWriter(descriptor: STDOUT_FILENO, name: "standard output", closesDescriptor: false)
            let result = try body(writer)
            try writer.flush()
            return result
        }
        return try write(to: path, body)
    }
}

/// A buffered writer on a file descriptor: exports stream through it in 64 KiB writes.
public final class OutputWriter {
    private let descriptor: Int32
    private let name: String
    private let closesDescriptor: Bool
    private var buffer: [UInt8] = []
    private var closed = false
    /// Bytes handed to the writer so far.
    public private(set) var byteCount = 0
    static let chunkSize = 64 * 1024

    init(descriptor: Int32, name: String, closesDescriptor: Bool) {
        self.descriptor = descriptor
        self.name = name
        self.closesDescriptor = closesDescriptor
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    deinit {
        if closesDescriptor && !closed { Foundation.close(descriptor) }
    }

    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        byteCount += bytes.count
        if buffer.count >= Self.chunkSize { try flush() }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write($0) }
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        guard closesDescriptor, !closed else { return }
        closed = true
        guard Foundation.close(descriptor) == 0 else { throw failure("cannot close") }
    }

    func failure(_ what: String) -> StoreError {
        StoreError(.invalidInput, "\(what) \(name): \(String(cString: strerror(errno)))")
    }
}
