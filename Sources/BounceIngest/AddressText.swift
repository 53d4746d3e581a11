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
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "(" || $0 == ")" || $0 == "," })
        else { return false }
        return !parts[1].hasSuffix(".")
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
