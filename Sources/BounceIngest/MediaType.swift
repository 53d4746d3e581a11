import Foundation

/// A parsed Content-Type value: `multipart/report; report-type=delivery-status; boundary="x"`.
struct MediaType: Sendable, Hashable {
    var type: String
    var subtype: String
    var parameters: [String: String]

    var essence: String { "\(type)/\(subtype)" }

    static let plainText = MediaType(type: "text", subtype: "plain", parameters: [:])

    /// Parses a Content-Type header; a missing or garbled value means text/plain (RFC 2045 §5.2).
    static func parse(_ value: String?) -> MediaType {
        guard let value else { return plainText }
        let pieces = splitParameters(value)
        guard let first = pieces.first else { return plainText }
        let typeParts = first.lowercased().split(separator: "/", maxSplits: 1)
        guard typeParts.count == 2 else { return plainText }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmed.lowercased()
            var raw = piece[piece.index(after: equals)...].trimmed
            if raw.hasPrefix("\"") {
                raw = unquote(raw)
            } else if name.hasSuffix("*") {
                // RFC 2231 extended value: charset'language'percent-encoded.
                name.removeLast()
                if let quote = raw.lastIndex(of: "'") { raw = String(raw[raw.index(after: quote)...]) }
                raw = raw.removingPercentEscapes()
            }
            if parameters[name] == nil { parameters[name] = raw }
        }
        return MediaType(
            type: typeParts[0].trimmed, subtype: typeParts[1].trimmed, parameters: parameters)
    }

    /// Splits on `;` outside quoted strings; on bytes, as appending Characters one by one was a
    /// tenth of the time spent on each message.
    private static func splitParameters(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        var pieces: [String] = []
        var start = 0
        var inQuotes = false
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            if byte == UInt8(ascii: "\\") && inQuotes { escaped = true; continue }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: ";") && !inQuotes {
                pieces.append(String(decoding: bytes[start..<index], as: UTF8.self).trimmed)
                start = index + 1
            }
        }
        let last = String(decoding: bytes[start...], as: UTF8.self).trimmed
        if !last.isEmpty { pieces.append(last) }
        return pieces
    }

    private static func unquote(_ text: String) -> String {
        var output = ""
        var escaped = false
        for char in text.dropFirst() {
            if escaped { output.append(char); escaped = false; continue }
            if char == "\\" { escaped = true; continue }
            if char == "\"" { break }
            output.append(char)
        }
        return output
    }
}

extension String {
    fileprivate func removingPercentEscapes() -> String {
        let bytes = Array(utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return TextDecoding.string(output)
    }
}
