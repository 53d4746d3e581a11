import Foundation

/// One unfolded header field.
struct HeaderField: Sendable, Hashable {
    var name: String
    var value: String
}

/// RFC 5322 header fields in their original order, looked up case-insensitively.
struct HeaderFields: Sendable, Hashable {
    var fields: [HeaderField] = []

    var isEmpty: Bool { fields.isEmpty }

    /// The first non-empty value of the field, trimmed.
    subscript(_ name: String) -> String? {
        fields.first { $0.name.equalsIgnoringASCIICase(name) && !$0.value.isEmpty }?.value
    }

    func values(_ name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }
}

/// Reads the header block at the start of a message, part or report group.
enum HeaderParser {
    /// Parses header lines until the first empty line, or until a line that cannot be a header
    /// (tolerating messages without the blank separator). Returns the fields and where the body starts.
    /// `skipsMboxSeparator` drops a leading "From " line, which only a whole message can carry.
    static func parse(_ bytes: ArraySlice<UInt8>, skipsMboxSeparator: Bool = false) -> (fields: HeaderFields, bodyStart: Int) {
        var fields: [HeaderField] = []
        var current: (name: String, value: [UInt8])?
        var index = bytes.startIndex
        var isFirstLine = true

        func finish() {
            if let field = current {
                let value = TextDecoding.string(field.value)
                fields.append(HeaderField(name: field.name, value: value.collapsingWhitespace))
            }
            current = nil
        }

        while let line = bytes.line(at: index) {
            defer { isFirstLine = false }
            if line.isEmpty {
                finish()
                return (HeaderFields(fields: fields), line.next)
            }
            let content = bytes[line.start..<line.contentEnd]
            if isFirstLine && skipsMboxSeparator && content.starts(with: Array("From ".utf8)) {
                index = line.next  // an mbox separator left in place
                continue
            }
            if ASCII.isBlank(content.first!), current != nil {
                current!.value.append(contentsOf: content)
                index = line.next
                continue
            }
            guard let name = fieldName(content) else {
                finish()
                return (HeaderFields(fields: fields), line.start)
            }
            finish()
            let colon = content.firstIndex(of: ASCII.colon)!
            current = (name, Array(content[(colon + 1)...]))
            index = line.next
        }
        finish()
        return (HeaderFields(fields: fields), bytes.endIndex)
    }

    /// The field name when the line looks like `Name: value` (obsolete space before the colon allowed).
    private static func fieldName(_ line: ArraySlice<UInt8>) -> String? {
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex else { return nil }
        var nameBytes = line[line.startIndex..<colon]
        while let last = nameBytes.last, ASCII.isBlank(last) { nameBytes = nameBytes.dropLast() }
        guard !nameBytes.isEmpty, nameBytes.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        return String(decoding: nameBytes, as: UTF8.self)
    }
}

extension String {
    /// Field names are ASCII: comparing bytes avoids the two allocations of `lowercased()` per
    /// field per lookup, which every message makes dozens of.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        for (a, b) in zip(utf8, other.utf8) where a != b {
            let lowerA = a >= 65 && a <= 90 ? a + 32 : a
            let lowerB = b >= 65 && b <= 90 ? b + 32 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
