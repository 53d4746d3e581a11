import Foundation

/// Pulls mail addresses out of header and report field values.
enum AddressText {
    /// `rfc822; <bob@example.net>` → `bob@example.net`; keeps whatever is found otherwise, trimmed.
    static func fromTypedField(_ value: String) -> String {
        var text = Substring(value)
        if let semicolon = text.firstIndex(of: ";"), !text[..<semicolon].contains("@") {
            text = text[text.index(after: semicolon)...]
        }
        return stripAngles(text.trimmed)
    }

    /// `"Bob" <bob@example.net>` → `bob@example.net`; `bob@example.net (Bob)` → `bob@example.net`.
    static func mailbox(_ value: String) -> String? {
        if let open = value.lastIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            let inner = value[value.index(after: open)..<close].trimmed
            return inner.isEmpty ? nil : inner
        }
        let token = value.split(whereSeparator: { $0.isWhitespace || $0 == "," }).first { $0.contains("@") }
        return token.map { stripAngles(String($0)) }
    }

    /// All addresses of a list field such as To.
    static func mailboxes(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { mailbox(String($0)) }.filter { $0.contains("@") }
    }

    static func stripAngles(_ text: String) -> String {
        var result = Substring(text.trimmed)
        if result.hasPrefix("<") { result = result.dropFirst() }
        if result.hasSuffix(">") { result = result.dropLast() }
        return result.trimmed
    }

    /// True for something shaped like `local@domain.tld` (no spaces, one `@`, a dot in the domain).
    static func looksLikeAddress(_ text: some StringProtocol) -> Bool {
        // On bytes: this runs for every address-shaped token of every text bounce.
        var atCount = 0
        var localLength = 0
        var sawDotInDomain = false
        var last: UInt8 = 0
        for byte in text.utf8 {
            switch byte {
            case ASCII.space, ASCII.tab, ASCII.lf, ASCII.cr, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: ","):
                return false
            case UInt8(ascii: "@"):
                atCount += 1
                if atCount > 1 { return false }
            case UInt8(ascii: "."):
                if atCount == 1 { sawDotInDomain = true }
                if atCount == 0 { localLength += 1 }
            default:
                if atCount == 0 { localLength += 1 }
            }
            last = byte
        }
        return atCount == 1 && localLength > 0 && sawDotInDomain && last != UInt8(ascii: ".")
    }

    /// The first address-shaped token in a line, with surrounding punctuation removed.
    static func firstAddress(in line: some StringProtocol) -> String? {
        for token in line.split(whereSeparator: { $0.isWhitespace }) {
            let cleaned = token.trimmingCharacters(in: "<>\"'():;,[].")
            if looksLikeAddress(cleaned) { return cleaned }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        guard let first = firstIndex(where: { !chars.contains($0) }) else { return "" }
        let last = lastIndex(where: { !chars.contains($0) })!
        return String(self[first...last])
    }
}
