import Foundation

/// Byte constants and text decoding shared by the parsers.
enum ASCII {
    static let lf: UInt8 = 10
    static let cr: UInt8 = 13
    static let space: UInt8 = 32
    static let tab: UInt8 = 9
    static let colon: UInt8 = 58
    static let hyphen: UInt8 = 45

    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == cr }
}

/// A line inside a byte buffer: `contentEnd` excludes the line break, `next` is where the next line starts.
struct ByteLine {
    var start: Int
    var contentEnd: Int
    var next: Int

    var isEmpty: Bool { contentEnd == start }
}

extension ArraySlice where Element == UInt8 {
    /// The line starting at `index`, or nil at the end of the buffer.
    func line(at index: Int) -> ByteLine? {
        guard index < endIndex else { return nil }
        let newline = self[index...].firstIndex(of: ASCII.lf)
        let end = newline ?? endIndex
        var contentEnd = end
        if contentEnd > index && self[contentEnd - 1] == ASCII.cr { contentEnd -= 1 }
        return ByteLine(start: index, contentEnd: contentEnd, next: newline.map { $0 + 1 } ?? endIndex)
    }
}

/// Turns bytes into text whatever their encoding claims: the declared single-byte charset when we
/// have its table, else UTF-8 when valid, ISO-8859-1 otherwise.
enum TextDecoding {
    private static let latin1Charsets: Set<String> = [
        "iso-8859-1", "iso8859-1", "latin1", "latin-1", "iso-8859-15",
    ]

    static func string(_ bytes: some Collection<UInt8>, charset: String? = nil) -> String {
        if let charset {
            let label = charset.lowercased()
            if latin1Charsets.contains(label) { return latin1(bytes) }
            if let table = SingleByteCharsets.upperHalf(for: label) {
                // A mislabelled UTF-8 body is common; Cyrillic or Central European single-byte text is
                // practically never valid UTF-8, so valid UTF-8 wins.
                if bytes.contains(where: { $0 >= 0x80 }), let text = String(validating: bytes, as: UTF8.self) { return text }
                return singleByte(bytes, upperHalf: table)
            }
            if let name = MultiByteCharsets.iconvName(for: label),
                bytes.contains(where: { $0 >= 0x80 || $0 == 0x1B }),
                let text = MultiByteCharsets.string(bytes, iconvName: name)
            {
                return text
            }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return latin1(bytes)
    }

    static func singleByte(_ bytes: some Collection<UInt8>, upperHalf table: [UInt16]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : UInt32(table[Int(byte) - 0x80])
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    static func latin1(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}

extension StringProtocol {
    /// The text with every run of ASCII whitespace (including line breaks) collapsed to one space,
    /// trimmed. Works on bytes: per-Character `isWhitespace` was a tenth of the parse time.
    var collapsingWhitespace: String {
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if byte == ASCII.space || byte == ASCII.tab || byte == ASCII.cr || byte == ASCII.lf {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace { output.append(ASCII.space); pendingSpace = false }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    var trimmed: String {
        String(self).trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // ASCII edges are trimmed on bytes; a non-ASCII edge (a no-break space, say) takes the
        // Character path, which was a tenth of the parse time when it did all the work.
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isASCIISpace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, Self.isASCIISpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        if start == end { return "" }
        if bytes[start] < 0x80, bytes[bytes.index(before: end)] < 0x80 {
            return start == bytes.startIndex && end == bytes.endIndex ? self : String(self[start..<end])
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.tab || byte == ASCII.lf || byte == ASCII.cr || byte == 11 || byte == 12
    }
}
