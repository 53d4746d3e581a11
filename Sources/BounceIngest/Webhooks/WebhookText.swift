/// Byte-level versions of the text helpers the mail parsers use (`ReplyText`, `AddressText`), for the
/// webhook path where they run once per event: `Character`-based scanning cost more than parsing the JSON.
/// They agree with the mail parsers on ASCII text, which is what reply codes, statuses and types are.
enum WebhookText {
    /// Without leading and trailing ASCII whitespace; the same string when there is none.
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last, isSpace(first) || isSpace(last) else { return text }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }

    /// `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`; text without a type is kept whole (trimmed).
    static func untyped(_ text: String) -> String {
        let bytes = text.utf8
        guard let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) else { return trimmed(text) }
        let type = bytes[..<semicolon]
        guard !type.isEmpty, type.count <= 24, !type.contains(UInt8(ascii: " ")) else { return trimmed(text) }
        return trimmed(String(text[bytes.index(after: semicolon)...]))
    }

    /// `<bob@example.net>` → `bob@example.net`.
    static func stripAngles(_ text: String) -> String {
        // Most values are bare: returned as they are, without building new strings.
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, !isSpace(first), !isSpace(last),
           first != UInt8(ascii: "<"), last != UInt8(ascii: ">") { return text }
        var result = Substring(trimmed(text))
        if result.utf8.first == UInt8(ascii: "<") { result = result.dropFirst() }
        if result.utf8.last == UInt8(ascii: ">") { result = result.dropLast() }
        return trimmed(String(result))
    }

    /// The first RFC 3463 status (`5.1.1`) in the text, as `ReplyText.enhancedStatus` finds it.
    static func enhancedStatus(in text: String) -> String? {
        var result: String?
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            while index + 1 < bytes.count, result == nil {
                let byte = bytes[index]
                if byte == UInt8(ascii: "2") || byte == UInt8(ascii: "4") || byte == UInt8(ascii: "5"), bytes[index + 1] == UInt8(ascii: "."),
                   index == 0 || !(isDigit(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ".")) {
                    result = status(bytes, at: index)
                }
                index += 1
            }
        }
        return result
    }

    private static func status(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> String? {
        var index = start + 2
        func digits() -> Int {
            let begin = index
            while index < bytes.count, isDigit(bytes[index]), index - begin < 3 { index += 1 }
            return index - begin
        }
        guard digits() > 0, index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return nil }
        index += 1
        guard digits() > 0 else { return nil }
        if index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".") && index + 1 < bytes.count && isDigit(bytes[index + 1]) {
            return nil
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
