/// The bytes of one parsed JSON value and its flat node list (see `JSONParser`).
final class JSONDocument: Sendable {
    let bytes: [UInt8]
    let nodes: [JSONNode]

    init(bytes: [UInt8], nodes: [JSONNode]) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// The root value.
    var root: JSONValue { JSONValue(document: self, index: 0) }
}

/// A value inside a `JSONDocument`. Reading a member or a string costs nothing until asked for:
/// webhook payloads carry far more than the few fields an event needs.
struct JSONValue: Sendable {
    let document: JSONDocument
    let index: Int

    private var node: JSONNode { document.nodes[index] }

    var isObject: Bool { node.kind == .object }
    var isArray: Bool { node.kind == .array }
    var isNull: Bool { node.kind == .null }

    /// The member named `key` of an object (the first, if repeated); nil for other kinds.
    subscript(key: String) -> JSONValue? {
        guard node.kind == .object else { return nil }
        let end = node.next
        var child = index + 1
        var key = key
        return key.withUTF8 { wanted in
            while child < end {
                let name = document.nodes[child]
                let valueIndex = child + 1
                if name.end - name.start == wanted.count || name.kind == .escapedString, matches(name, wanted) {
                    return JSONValue(document: document, index: valueIndex)
                }
                child = document.nodes[valueIndex].next
            }
            return nil
        }
    }

    private func matches(_ name: JSONNode, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        if name.kind == .escapedString { return JSONText.unescape(document.bytes[name.start..<name.end]).utf8.elementsEqual(wanted) }
        return document.bytes.withUnsafeBufferPointer { bytes in
            for offset in 0..<wanted.count where bytes[name.start + offset] != wanted[offset] { return false }
            return true
        }
    }

    /// Follows a path of member names.
    subscript(path: String...) -> JSONValue? {
        var value: JSONValue? = self
        for key in path { value = value?[key] }
        return value
    }

    /// The elements of an array (empty for other kinds).
    var elements: [JSONValue] {
        guard node.kind == .array else { return [] }
        var result: [JSONValue] = []
        var child = index + 1
        while child < node.next {
            result.append(JSONValue(document: document, index: child))
            child = document.nodes[child].next
        }
        return result
    }

    /// The members of an object, in order (empty for other kinds).
    var members: [(name: String, value: JSONValue)] {
        guard node.kind == .object else { return [] }
        var result: [(String, JSONValue)] = []
        var child = index + 1
        while child < node.next {
            let name = JSONValue(document: document, index: child).string ?? ""
            result.append((name, JSONValue(document: document, index: child + 1)))
            child = document.nodes[child + 1].next
        }
        return result
    }

    /// A string's text; nil for every other kind.
    var string: String? {
        let node = node
        switch node.kind {
        case .string: return String(decoding: document.bytes[node.start..<node.end], as: UTF8.self)
        case .escapedString: return JSONText.unescape(document.bytes[node.start..<node.end])
        default: return nil
        }
    }

    /// A string's bytes before unescaping; nil for other kinds. For parsing embedded documents.
    var stringBytes: [UInt8]? {
        switch node.kind {
        case .string: return Array(document.bytes[node.start..<node.end])
        case .escapedString: return Array(JSONText.unescape(document.bytes[node.start..<node.end]).utf8)
        default: return nil
        }
    }

    /// Strings and numbers as text (a number exactly as written, so that big ids keep every digit);
    /// nil for other kinds.
    var text: String? {
        node.kind == .number ? String(decoding: document.bytes[node.start..<node.end], as: UTF8.self) : string
    }

    /// A whole number, written as a number (`550`, `550.0`) or as a string of digits (`"550"`).
    var integer: Int? {
        switch node.kind {
        case .number, .string:
            guard let number = Double(text ?? "") ?? nil, number.isFinite, number.rounded() == number,
                  abs(number) < 9e15 else { return nil }
            return Int(number)
        default: return nil
        }
    }

    /// A number, or a string holding one.
    var number: Double? {
        switch node.kind {
        case .number, .string: return Double(text ?? "").flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }

    /// `true` or `false`; nil for other kinds.
    var bool: Bool? {
        switch node.kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }
}

/// JSON string unescaping and hex digits.
enum JSONText {
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The text of a string body whose escapes the parser already validated. Lone surrogates
    /// become U+FFFD rather than failing: a diagnostic with one odd character is still worth keeping.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        func unit(at position: Int) -> UInt32? {
            guard position + 5 < bytes.endIndex, bytes[position] == UInt8(ascii: "\\"),
                  bytes[position + 1] == UInt8(ascii: "u") else { return nil }
            var value: UInt32 = 0
            for offset in 2...5 {
                guard let digit = hexValue(bytes[position + offset]) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.endIndex else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let first = unit(at: index - 2) else { output.append(contentsOf: [0xEF, 0xBF, 0xBD]); continue }
                index += 4
                var scalar = first
                if (0xD800...0xDBFF).contains(first), let second = unit(at: index), (0xDC00...0xDFFF).contains(second) {
                    scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    index += 6
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                output.append(contentsOf: Array(String(Character(character)).utf8))
            default: output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
