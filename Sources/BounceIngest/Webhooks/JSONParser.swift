/// A strict JSON (RFC 8259) parser that lays one value out flat: no recursion (deep nesting cannot
/// overflow the stack), no allocation per string or number (they stay byte ranges until read).
///
/// It reports "incomplete" instead of failing when the input ends inside a value, so that a
/// streaming reader can fetch more bytes and try again.
struct JSONParser {
    /// Nesting deeper than this is refused; real webhook payloads nest five or six levels.
    var maximumDepth = 64
    private(set) var nodes: [JSONNode] = []
    private var stack: [Int] = []

    enum Outcome: Equatable {
        /// A whole value: `end` is the offset just after it, `newlines` how many line breaks it spans.
        case value(end: Int, newlines: Int)
        /// The input ended before the value did.
        case incomplete
        /// Not JSON: `offset` is where the parser gave up, `newlines` the line breaks before it.
        case failure(offset: Int, newlines: Int, message: String)
    }

    init() {
        nodes.reserveCapacity(256)
        stack.reserveCapacity(16)
    }

    /// Parses the value that starts at `start` (leading whitespace allowed). Node offsets are
    /// relative to `start`, so the value's bytes can be copied out and read on their own.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Outcome {
        nodes.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        let count = bytes.count
        var index = start
        var newlines = 0

        // `index` and `newlines` are passed inout rather than captured by local functions: captured,
        // they would be boxed and every access checked for exclusivity at run time.
        @inline(__always) func skipSpace(_ index: inout Int, _ newlines: inout Int) {
            while index < count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x09 || byte == 0x0D { index += 1 } else if byte == 0x0A { newlines += 1; index += 1 } else { break }
            }
        }

        while true {
            // A value is expected here.
            skipSpace(&index, &newlines)
            guard index < count else { return .incomplete }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < maximumDepth else { return .failure(offset: index, newlines: newlines, message: "nested deeper than \(maximumDepth) levels") }
                let isObject = byte == UInt8(ascii: "{")
                stack.append(nodes.count)
                nodes.append(JSONNode(kind: isObject ? .object : .array, start: index - start, end: 0, next: 0))
                index += 1
                skipSpace(&index, &newlines)
                guard index < count else { return .incomplete }
                if bytes[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    closeContainer(at: index - start)
                } else if isObject {
                    switch key(bytes, &index, &newlines, start: start) {
                    case .some(let problem): return problem
                    case .none: continue
                    }
                } else {
                    continue
                }
            case UInt8(ascii: "\""):
                if let problem = string(bytes, &index, start: start) { return problem.withNewlines(newlines) }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if let problem = number(bytes, &index, start: start) { return problem.withNewlines(newlines) }
            case UInt8(ascii: "t"):
                if let problem = literal(bytes, &index, "true", .true, start: start) { return problem.withNewlines(newlines) }
            case UInt8(ascii: "f"):
                if let problem = literal(bytes, &index, "false", .false, start: start) { return problem.withNewlines(newlines) }
            case UInt8(ascii: "n"):
                if let problem = literal(bytes, &index, "null", .null, start: start) { return problem.withNewlines(newlines) }
            default:
                return .failure(offset: index, newlines: newlines, message: "unexpected \(Self.describe(byte)) where a value should start")
            }
            // A value ended: what follows depends on the container it sits in.
            while true {
                guard let open = stack.last else { return .value(end: index, newlines: newlines) }
                skipSpace(&index, &newlines)
                guard index < count else { return .incomplete }
                let isObject = nodes[open].kind == .object
                let next = bytes[index]
                if next == UInt8(ascii: ",") {
                    index += 1
                    if isObject {
                        skipSpace(&index, &newlines)
                        if let problem = key(bytes, &index, &newlines, start: start) { return problem }
                    }
                    break
                } else if next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    closeContainer(at: index - start)
                } else {
                    return .failure(offset: index, newlines: newlines, message: "unexpected \(Self.describe(next)) where \(isObject ? "',' or '}'" : "',' or ']'") should follow")
                }
            }
        }
    }

    private mutating func closeContainer(at end: Int) {
        let open = stack.removeLast()
        nodes[open].end = end
        nodes[open].next = nodes.count
    }

    /// An object member's key and the colon after it.
    private mutating func key(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ newlines: inout Int, start: Int) -> Outcome? {
        guard index < bytes.count else { return .incomplete }
        guard bytes[index] == UInt8(ascii: "\"") else {
            return .failure(offset: index, newlines: newlines, message: "unexpected \(Self.describe(bytes[index])) where a member name should start")
        }
        if let problem = string(bytes, &index, start: start) { return problem.withNewlines(newlines) }
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A {
            if bytes[index] == 0x0A { newlines += 1 }
            index += 1
        }
        guard index < bytes.count else { return .incomplete }
        guard bytes[index] == UInt8(ascii: ":") else {
            return .failure(offset: index, newlines: newlines, message: "unexpected \(Self.describe(bytes[index])) where ':' should follow a member name")
        }
        index += 1
        return nil
    }

    private mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, start: Int) -> Outcome? {
        let open = index
        index += 1
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                nodes.append(JSONNode(kind: escaped ? .escapedString : .string, start: open + 1 - start, end: index - start, next: nodes.count + 1))
                index += 1
                return nil
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard index + 1 < bytes.count else { return .incomplete }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < bytes.count else { return .incomplete }
                    for offset in 2...5 where JSONText.hexValue(bytes[index + offset]) == nil {
                        return .failure(offset: index + offset, newlines: 0, message: "bad \\u escape in a string")
                    }
                    index += 6
                default:
                    return .failure(offset: index, newlines: 0, message: "unknown escape \\\(Self.describe(bytes[index + 1])) in a string")
                }
                continue
            }
            if byte < 0x20 {
                return .failure(offset: index, newlines: 0, message: byte == 0x0A
                    ? "line break inside a string (the value is cut off, or not JSON)"
                    : "unescaped control character \(Self.describe(byte)) in a string")
            }
            index += 1
        }
        return .incomplete
    }

    private mutating func number(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, start: Int) -> Outcome? {
        let begin = index
        @inline(__always) func isDigit(_ at: Int) -> Bool { at < bytes.count && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        func digits() -> Outcome? {
            guard index < bytes.count else { return .incomplete }
            guard isDigit(index) else { return .failure(offset: index, newlines: 0, message: "a digit should follow in a number") }
            while isDigit(index) { index += 1 }
            return nil
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return .incomplete }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if let problem = digits() {
            return problem
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if let problem = digits() { return problem }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if let problem = digits() { return problem }
        }
        // The number may go on in the next chunk.
        guard index < bytes.count else { return .incomplete }
        nodes.append(JSONNode(kind: .number, start: begin - start, end: index - start, next: nodes.count + 1))
        return nil
    }

    private mutating func literal(
        _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ word: StaticString, _ kind: JSONNode.Kind, start: Int
    ) -> Outcome? {
        let length = word.utf8CodeUnitCount
        for offset in 0..<length {
            guard index + offset < bytes.count else { return .incomplete }
            guard bytes[index + offset] == word.utf8Start[offset] else {
                return .failure(offset: index + offset, newlines: 0, message: "unexpected \(Self.describe(bytes[index + offset])) (not true, false or null)")
            }
        }
        nodes.append(JSONNode(kind: kind, start: index - start, end: index + length - start, next: nodes.count + 1))
        index += length
        return nil
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}

private extension JSONParser.Outcome {
    /// Failures inside a string or number do not know how many line breaks came before them.
    func withNewlines(_ newlines: Int) -> JSONParser.Outcome {
        if case .failure(let offset, _, let message) = self { return .failure(offset: offset, newlines: newlines, message: message) }
        return self
    }
}

/// One value of a parsed document. Offsets are into the document's bytes; for strings they exclude
/// the quotes. `next` is the index of the node after this value and everything inside it.
struct JSONNode: Sendable, Hashable {
    enum Kind: UInt8, Sendable {
        case object, array, string, escapedString, number, `true`, `false`, null
    }
    var kind: Kind
    var start: Int
    var end: Int
    var next: Int
}
