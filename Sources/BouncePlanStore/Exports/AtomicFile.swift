import Foundation

/// Writes a file so that a reader sees either the old content or the complete new one, never half:
/// the bytes go to a temporary file in the same folder, which is flushed to disk and then renamed
/// over the target. When writing fails the temporary file is removed and the old file is untouched.
///
/// Only regular files are replaced that way. A symbolic link is followed and its target replaced
/// (the link stays); a device, FIFO or socket (`/dev/stdout`, `/dev/null`, a named pipe) is written
/// straight, since renaming over it would swap the node for a regular file; a folder is refused.
public enum AtomicFile {
    /// Calls `body` with a writer on `path`: atomically for a regular (or new) file, straight for
    /// anything else that can be written.
    @discardableResult
    public static func write<Result>(to path: String, _ body: (OutputWriter) throws -> Result) throws -> Result {
        switch try Destination.of(path) {
        case .directory(let resolved):
            throw StoreError(.invalidInput, "\(path) is a folder\(resolved == path ? "" : " (\(resolved))"): give a file name")
        case .special(let resolved):
            return try writeStraight(to: resolved, name: path, body)
        case .regular(let resolved):
            return try writeReplacing(resolved, body)
        }
    }

    /// `-` or nil means standard output; anything else is written with ``write(to:_:)``.
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

    /// Removes the temporary files of writes still under way; for a signal handler about to end the
    /// program, so that an interrupted export leaves no `.NAME.tmp-XXXXXX` behind.
    public static func removeUnfinished() {
        UnfinishedFiles.shared.removeAll()
    }

    /// What a path names once symbolic links are followed.
    enum Destination {
        case regular(String), special(String), directory(String)

        static func of(_ path: String) throws -> Destination {
            let resolved = try followLinks(path)
            var info = stat()
            guard stat(resolved, &info) == 0 else {
                // Nothing there yet (or a dangling link): a new regular file, created atomically.
                return .regular(resolved)
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .regular(resolved)
            case S_IFDIR: return .directory(resolved)
            default: return .special(resolved)
            }
        }

        /// The path a chain of symbolic links ends at (relative targets read from the link's folder).
        /// Paths under /dev and /proc are kept as given: `/dev/stdout` must reach the descriptor this
        /// process holds, not the file some shell opened for it.
        static func followLinks(_ path: String) throws -> String {
            if path.hasPrefix("/dev/") || path.hasPrefix("/proc/") { return path }
            var current = path
            for _ in 0..<40 {
                var info = stat()
                guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let length = readlink(current, &buffer, buffer.count - 1)
                guard length >= 0 else { return current }
                let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = target.hasPrefix("/")
                    ? target
                    : URL(fileURLWithPath: current).deletingLastPathComponent().path + "/" + target
            }
            throw StoreError(.invalidInput, "\(path): too many levels of symbolic links")
        }
    }

    private static func writeStraight<Result>(
        to path: String, name: String, _ body: (OutputWriter) throws -> Result
    ) throws -> Result {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.invalidInput, "cannot open \(name) for writing: \(String(cString: strerror(errno)))")
        }
        let writer = OutputWriter(descriptor: descriptor, name: name, closesDescriptor: true)
        do {
            let result = try body(writer)
            try writer.flush()
            try writer.close()
            return result
        } catch {
            try? writer.close()
            throw error
        }
    }

    private static func writeReplacing<Result>(_ path: String, _ body: (OutputWriter) throws -> Result) throws -> Result {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw StoreError(.invalidInput, "cannot create a temporary file in \(folder) for \(path): \(String(cString: strerror(errno)))")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        UnfinishedFiles.shared.add(temporary)
        var published = false
        defer {
            if !published { unlink(temporary) }
            UnfinishedFiles.shared.remove(temporary)
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
}

/// The temporary files of atomic writes under way, so that a signal can remove them.
final class UnfinishedFiles: @unchecked Sendable {
    static let shared = UnfinishedFiles()
    private let lock = NSLock()
    private var paths: Set<String> = []

    func add(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func remove(_ path: String) { lock.withLock { _ = paths.remove(path) } }
    func removeAll() {
        lock.withLock {
            for path in paths { unlink(path) }
            paths.removeAll()
        }
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
