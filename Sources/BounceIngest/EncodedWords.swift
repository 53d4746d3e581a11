import Foundation

/// RFC 2047 encoded-word decoding (`=?UTF-8?Q?R=C3=A9ponse?=`) for subjects and display names.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        guard text.containsBytes(of: "=?") else { return text }
        var output = ""
        var rest = Substring(text)
        var previousWasEncoded = false
        while !rest.isEmpty {
            guard let start = rest.range(of: "=?") else { break }
            let before = rest[..<start.lowerBound]
            if let decoded = decodeWord(rest[start.lowerBound...]) {
                // Whitespace between two adjacent encoded words is not part of the text.
                if !(previousWasEncoded && before.allSatisfy(\.isWhitespace)) { output += before }
                output += decoded.text
                rest = decoded.rest
                previousWasEncoded = true
            } else {
                output += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                previousWasEncoded = false
            }
        }
        return output + rest
    }

    /// Decodes one word at the start of `text`: `=?charset?encoding?payload?=`.
    private static func decodeWord(_ text: Substring) -> (text: String, rest: Substring)? {
        let body = text.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        let charset = body[..<q1].split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = body[body.index(after: q1)...]
        guard let q2 = afterCharset.firstIndex(of: "?"), afterCharset.distance(from: afterCharset.startIndex, to: q2) == 1
        else { return nil }
        let encoding = afterCharset[afterCharset.startIndex].uppercased()
        let payloadStart = afterCharset.index(after: q2)
        guard let end = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        guard !payload.contains(where: { $0 == " " }) else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B": bytes = TransferDecoding.base64(Array(payload.utf8)[...])
        case "Q": bytes = TransferDecoding.quotedPrintable(Array(payload.utf8)[...], underscoreIsSpace: true)
        default: return nil
        }
        return (TextDecoding.string(bytes, charset: charset), afterCharset[end.upperBound...])
    }
}
