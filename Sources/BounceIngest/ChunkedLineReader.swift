import Foundation

/// Reads a file line by line in 64 KiB chunks, so that only the current line is held in memory.
struct ChunkedLineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    static let chunkSize = 64 * 1024

    init(handle: FileHandle) {
        self.handle = handle
    }

    /// The next line including its `\n` (the last line may lack one), or nil at the end of the file.
    mutating func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: ASCII.lf) {
                defer { start = newline + 1 }
                return buffer[start...newline]
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                return buffer[start...]
            }
            try fill()
        }
    }

    private mutating func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
    }
}
