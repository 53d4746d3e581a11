import Foundation

/// Reads a stream of JSON values (one document, NDJSON, or values one after the other) in chunks,
/// handing over one value at a time with the line it starts on. A top-level array is taken apart:
/// each element is handed over on its own, so a batch of a million events never sits in memory.
///
/// Malformed input is reported with its line, and reading resumes at the next line that starts
/// (in column 0) with `{` or `[`: one bad line of an NDJSON file costs that line only.
struct JSONStreamReader {
    /// What the reader found next.
    enum Item {
        case value(JSONDocument, line: Int)
        case malformed(line: Int, message: String)
    }

    /// A value larger than this is refused (and skipped) instead of being held in memory.
    var maximumValueBytes: Int
    var maximumDepth: Int
    private let read: (Int) throws -> [UInt8]
    private var buffer: [UInt8] = []
    private var position = 0
    /// The line of `buffer[position]`, counting from 1.
    private var line = 1
    private var atEnd = false
    private var insideTopLevelArray = false
    private var expectingElement = false
    private var arrayLine = 0
    private var pastStart = false
    private var parser = JSONParser()
    static let chunkSize = 1 << 20

    /// Bytes held right now (read ahead or part of the current value): bounded by the largest
    /// value allowed plus two chunks, whatever the input.
    var bufferedByteCount: Int { buffer.count }

    /// `read(n)` returns up to n more bytes, or none at the end of the stream.
    init(maximumValueBytes: Int = 8 << 20, maximumDepth: Int = 64, read: @escaping (Int) throws -> [UInt8]) {
        self.maximumValueBytes = maximumValueBytes
        self.maximumDepth = maximumDepth
        self.read = read
        parser.maximumDepth = maximumDepth
    }

    /// Reads a file (or standard input) through its handle.
    init(handle: FileHandle, maximumValueBytes: Int = 8 << 20) {
        self.init(maximumValueBytes: maximumValueBytes) { count in
            try handle.read(upToCount: count).map { [UInt8]($0) } ?? []
        }
    }

    /// Reads bytes already in memory.
    init(bytes: [UInt8], maximumValueBytes: Int = 8 << 20, maximumDepth: Int = 64) {
        var remaining: [UInt8]? = bytes
        self.init(maximumValueBytes: maximumValueBytes, maximumDepth: maximumDepth) { _ in
            defer { remaining = nil }
            return remaining ?? []
        }
    }

    /// The next value or problem; nil at the end of the stream. Throws only when reading fails.
    mutating func next() throws -> Item? {
        while true {
            skipSpace()
            guard position < buffer.count else {
                if atEnd {
                    guard insideTopLevelArray else { return nil }
                    insideTopLevelArray = false
                    return .malformed(line: arrayLine, message: "the top-level array that starts here is never closed (no ']'; the input is truncated)")
                }
                try fill()
                continue
            }
            if insideTopLevelArray {
                let byte = buffer[position]
                if byte == UInt8(ascii: "]") {
                    position += 1
                    insideTopLevelArray = false
                    continue
                }
                if !expectingElement {
                    // A new line starting a value where ',' or ']' was due: the array was cut off.
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "["), position > 0, buffer[position - 1] == ASCII.lf {
                        insideTopLevelArray = false
                        return .malformed(line: arrayLine, message: "the top-level array that starts here is never closed (no ']' before line \(line) starts a new value; the input is truncated)")
                    }
                    guard byte == UInt8(ascii: ",") else {
                        return malformed("unexpected \(JSONParser.describe(byte)) where ',' or ']' should follow an element")
                    }
                    position += 1
                    expectingElement = true
                    continue
                }
            } else if buffer[position] == UInt8(ascii: "[") {
                arrayLine = line
                position += 1
                insideTopLevelArray = true
                expectingElement = true
                skipSpace()
                if position < buffer.count, buffer[position] == UInt8(ascii: "]") {
                    position += 1
                    insideTopLevelArray = false
                }
                continue
            }
            if let item = try value() { return item }
        }
    }

    /// Parses the value at `position`, reading more input as long as it is incomplete.
    private mutating func value() throws -> Item? {
        while true {
            let start = position
            let outcome = buffer.withUnsafeBufferPointer { parser.parse($0, from: start) }
            switch outcome {
            case .value(let end, let newlines):
                let document = JSONDocument(bytes: Array(buffer[start..<end]), nodes: parser.nodes)
                let startLine = line
                position = end
                line += newlines
                expectingElement = false
                return .value(document, line: startLine)
            case .failure(let offset, let newlines, let message):
                if newlines > 0, let cut = cutOff(from: start, before: offset) { return cut }
                line += newlines
                position = offset
                return malformed(message, line: line)
            case .incomplete:
                if atEnd, let cut = cutOff(from: start, before: buffer.count) { return cut }
                if atEnd {
                    // A bare number at the very end is complete; anything else is cut off.
                    if buffer.last.map({ $0 >= 0x30 && $0 <= 0x39 }) == true { buffer.append(0x0A); continue }
                    let message = "the input ends inside a JSON value (truncated)"
                    position = buffer.count
                    insideTopLevelArray = false
                    return .malformed(line: line, message: message)
                }
                if buffer.count - start >= maximumValueBytes {
                    return malformed("a JSON value longer than \(maximumValueBytes) bytes; skipped")
                }
                try fill()
            }
        }
    }

    /// A failed value that a later line starting with `{` or `[` runs into was cut off (a truncated
    /// NDJSON line): the value is reported, and reading resumes at that line. Without this, a cut
    /// right after `:` or `,` would let the parser take the next, valid line as part of the broken one.
    private mutating func cutOff(from start: Int, before end: Int) -> Item? {
        var index = start + 1
        var newlines = 0
        // `end` itself may be the new line's `{`: that is where the parser gave up.
        while index <= end, index < buffer.count {
            if buffer[index - 1] == ASCII.lf {
                newlines += 1
                if buffer[index] == UInt8(ascii: "{") || buffer[index] == UInt8(ascii: "[") {
                    let startLine = line
                    line += newlines
                    position = index
                    insideTopLevelArray = false
                    expectingElement = false
                    return .malformed(line: startLine, message: "the value that starts here is cut off (truncated) before line \(line) starts a new one")
                }
            }
            index += 1
        }
        return nil
    }

    /// Reports a problem and moves to the next line that starts with `{` or `[`.
    private mutating func malformed(_ message: String, line at: Int? = nil) -> Item {
        let item = Item.malformed(line: at ?? line, message: message)
        insideTopLevelArray = false
        expectingElement = false
        do { try resynchronise() } catch { atEnd = true; position = buffer.count }
        return item
    }

    private mutating func resynchronise() throws {
        while true {
            while position < buffer.count {
                if buffer[position] == ASCII.lf {
                    line += 1
                    position += 1
                    if position < buffer.count, buffer[position] == UInt8(ascii: "{") || buffer[position] == UInt8(ascii: "[") { return }
                    if position == buffer.count, !atEnd {
                        try fill()
                        if position < buffer.count, buffer[position] == UInt8(ascii: "{") || buffer[position] == UInt8(ascii: "[") { return }
                    }
                } else {
                    position += 1
                }
            }
            if atEnd { return }
            try fill()
        }
    }

    private mutating func skipSpace() {
        while position < buffer.count {
            let byte = buffer[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 } else if byte == ASCII.lf { line += 1; position += 1 } else { return }
        }
    }

    /// Drops what was read and appends the next chunk; sets `atEnd` when there is no more.
    private mutating func fill() throws {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let chunk = try read(Self.chunkSize)
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        // Editors on Windows start UTF-8 files with a byte order mark; it is not JSON.
        if !pastStart, buffer.count >= 3 || atEnd {
            pastStart = true
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
    }
}
