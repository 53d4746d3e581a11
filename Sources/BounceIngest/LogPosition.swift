import Foundation

/// Where reading of a log file stopped: which file (device and inode) and the byte offset just
/// after the last complete line. Saved between runs so a growing log is read only once.
public struct LogPosition: Codable, Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var offset: UInt64

    public init(device: UInt64, inode: UInt64, offset: UInt64) {
        self.device = device
        self.inode = inode
        self.offset = offset
    }

    /// The saved position, or nil when the state file is missing or unreadable (start over).
    public static func load(from stateFile: String) -> LogPosition? {
        guard let data = FileManager.default.contents(atPath: stateFile) else { return nil }
        return try? JSONDecoder().decode(LogPosition.self, from: data)
    }

    /// Writes the position atomically (temporary file, then rename).
    public func save(to stateFile: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: stateFile), options: .atomic)
    }
}

/// Errors reading a log file.
public enum LogReadError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotOpen(path: String)
    case cannotIdentify(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path): "cannot open log file \(path)"
        case .cannotIdentify(let path): "cannot read device and inode of \(path)"
        }
    }
}
