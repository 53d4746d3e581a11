import Foundation

/// Reads the complete lines a log file gained since the last saved `LogPosition`. A different
/// file at the path (rotated: other device or inode) or a shorter one (truncated) is read from 0.
/// A trailing line without its newline is left for the next read.
public struct ResumableLogReader: Sendable {
    public var path: String
    /// Where the position is kept between runs; nil keeps it in memory only.
    public var stateFile: String?

    public init(path: String, stateFile: String?) {
        self.path = path
        self.stateFile = stateFile
    }

    /// Reads new lines from the saved position, calls `handle` for each, then saves the new position.
    /// If `handle` throws, the position is not saved, so the lines are read again next time.
    @discardableResult
    public func readNewLines(_ handle: (String) throws -> Void) throws -> LogPosition {
        let saved = stateFile.flatMap(LogPosition.load(from:))
        let position = try Self.readLines(path: path, from: saved, handle)
        if let stateFile { try position.save(to: stateFile) }
        return position
    }

    /// Keeps reading as the file grows or is rotated, every `pollInterval` seconds, until
    /// `shouldStop` says so (checked after each round). Lines written to a rotated-away file after
    /// the last round are not read.
    public func follow(pollInterval: TimeInterval = 1, shouldStop: () -> Bool, _ handle: (String) throws -> Void) throws {
        var position = stateFile.flatMap(LogPosition.load(from:))
        while true {
            position = try Self.readLines(path: path, from: position, handle)
            if let stateFile, let position { try position.save(to: stateFile) }
            if shouldStop() { return }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }

    /// Reads complete lines after `position` (when it still describes this file) and returns the
    /// position after the last complete line.
    public static func readLines(path: String, from position: LogPosition?, _ handle: (String) throws -> Void) throws -> LogPosition {
        let (device, inode, size) = try identity(of: path)
        var offset: UInt64 = 0
        if let position, position.device == device, position.inode == inode, position.offset <= size {
            offset = position.offset
        }
        guard let file = FileHandle(forReadingAtPath: path) else { throw LogReadError.cannotOpen(path: path) }
        defer { try? file.close() }
        try file.seek(toOffset: offset)
        var reader = ChunkedLineReader(handle: file)
        while let line = try reader.nextLine(), line.last == ASCII.lf {
            offset += UInt64(line.count)
            var content = line.dropLast()
            if content.last == ASCII.cr { content = content.dropLast() }
            try handle(TextDecoding.string(content))
        }
        return LogPosition(device: device, inode: inode, offset: offset)
    }

    private static func identity(of path: String) throws -> (device: UInt64, inode: UInt64, size: UInt64) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw LogReadError.cannotOpen(path: path)
        }
        guard let device = number(attributes[.systemNumber]), let inode = number(attributes[.systemFileNumber]) else {
            throw LogReadError.cannotIdentify(path: path)
        }
        return (device, inode, number(attributes[.size]) ?? 0)
    }

    private static func number(_ value: Any?) -> UInt64? {
        switch value {
        case let value as UInt64: value
        case let value as Int: UInt64(clamping: value)
        case let value as UInt32: UInt64(value)
        case let value as Int32: UInt64(clamping: value)
        case let value as NSNumber: value.uint64Value
        default: nil
        }
    }
}
