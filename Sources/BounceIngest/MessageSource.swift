import Foundation

/// One message as read from disk: where it came from (`path`, or `path#n` inside an mbox) and its bytes.
public struct SourceMessage: Sendable, Hashable {
    public var origin: String
    public var bytes: [UInt8]

    public init(origin: String, bytes: [UInt8]) {
        self.origin = origin
        self.bytes = bytes
    }
}

/// What the walk produced for one file or one mbox entry.
public enum SourceItem: Sendable, Hashable {
    /// A message to parse.
    case message(SourceMessage)
    /// A file or mbox entry that could not be read (missing, unreadable, too large).
    case unreadable(origin: String, reason: String)
}

/// Walks files, directories, Maildir folders (`cur/` and `new/`) and mbox files ("From "
/// separated, `>From ` unquoted), handing over one message at a time: never a whole mbox.
public struct MessageSource: Sendable {
    /// Files and folders to read, in order.
    public var paths: [String]
    /// Larger messages are reported as unreadable instead of being held in memory.
    public var maximumMessageBytes: Int

    public init(paths: [String], maximumMessageBytes: Int = 64 * 1024 * 1024) {
        self.paths = paths
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// Calls `visit` once per message (or unreadable item), in a stable order.
    public func forEach(_ visit: (SourceItem) throws -> Void) rethrows {
        for path in paths { try walk(path, depth: 0, visit) }
    }

    /// Folder nesting deeper than this is not entered (it guards against symbolic link loops).
    static let maximumFolderDepth = 16

    private func walk(_ path: String, depth: Int, _ visit: (SourceItem) throws -> Void) rethrows {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return try visit(.unreadable(origin: path, reason: "no such file or directory"))
        }
        guard isDirectory.boolValue else { return try readFile(path, visit) }
        if isMaildir(path) {
            for folder in ["cur", "new"] {
                for file in entries(of: (path as NSString).appendingPathComponent(folder)) where !isDirectoryPath(file) {
                    try readFile(file, visit)
                }
            }
        } else {
            guard depth < Self.maximumFolderDepth else {
                return try visit(.unreadable(origin: path, reason: "folder nested deeper than \(Self.maximumFolderDepth) levels"))
            }
            for entry in entries(of: path) { try walk(entry, depth: depth + 1, visit) }
        }
    }

    private func isMaildir(_ path: String) -> Bool {
        ["cur", "new"].contains { isDirectoryPath((path as NSString).appendingPathComponent($0)) }
    }

    private func isDirectoryPath(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Sorted, without hidden files (Maildir's `tmp` is not listed: only `cur` and `new` are read).
    private func entries(of directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    private func readFile(_ path: String, _ visit: (SourceItem) throws -> Void) rethrows {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return try visit(.unreadable(origin: path, reason: "cannot open file"))
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 5)).map { [UInt8]($0) } ?? []
        if head == Array("From ".utf8) {
            try? handle.seek(toOffset: 0)
            var reader = MboxReader(origin: path, handle: handle, maximumMessageBytes: maximumMessageBytes)
            try reader.forEach(visit)
            return
        }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        if size > maximumMessageBytes {
            return try visit(.unreadable(origin: path, reason: "message of \(size) bytes exceeds the \(maximumMessageBytes)-byte limit"))
        }
        try? handle.seek(toOffset: 0)
        let bytes: [UInt8]
        do {
            bytes = try handle.readToEnd().map { [UInt8]($0) } ?? []
        } catch {
            return try visit(.unreadable(origin: path, reason: "read error: \(error)"))
        }
        try visit(.message(SourceMessage(origin: path, bytes: bytes)))
    }
}

/// Reads a whole message source and parses each message (format detected per message).
public func ingestMessages(
    from source: MessageSource, options: IngestOptions = IngestOptions(),
    _ handle: (_ origin: String, _ outcome: MessageOutcome) throws -> Void
) rethrows {
    try source.forEach { item in
        switch item {
        case .message(let message): try handle(message.origin, parseMessage(message.bytes, options: options))
        case .unreadable(let origin, let reason): try handle(origin, .unreadable(reason: reason))
        }
    }
}
