import Foundation

/// Exim: "A message that you sent could not be delivered to one or more of its recipients ...",
/// then each address indented by two spaces with the details indented further below it.
enum EximBounceText {
    private static let triggers = [
        "could not be delivered to one or more of its", "has not yet been delivered to one or more of its",
        "following address(es) failed", "this message was created automatically by mail delivery software",
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        guard text.mentions(any: triggers) else { return [] }
        var failures: [TextualFailure] = []
        let lines = text.lines
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            let indent = line.indentation
            guard (1...3).contains(indent), let token = line.split(whereSeparator: \.isWhitespace).first else { continue }
            let address = AddressText.stripAngles(token.trimmingCharacters(in: ":"))
            guard AddressText.looksLikeAddress(address) else { continue }
            // `  <bob@example.net>: 550 5.1.1 …` keeps its reply on the address line.
            let rest = line.drop(while: \.isWhitespace).dropFirst(token.count).trimmed
            var details: [String] = rest.isEmpty ? [] : [rest]
            while index < lines.count, lines[index].indentation > indent {
                details.append(lines[index].trimmed)
                index += 1
            }
            let joined = details.joined(separator: " ")
            failures.append(TextualFailure(
                recipient: address, diagnostic: diagnostic(from: joined), remoteMTA: remoteHost(in: joined),
                kind: text.failureKind))
        }
        return failures
    }

    private static func diagnostic(from details: String) -> String {
        if let start = ReplyText.replyStart(in: details) { return String(details[start...]).trimmed }
        return details.isEmpty ? StructuralBounceText.noDetails : details
    }

    /// `host mx.example.net [203.0.113.5]` → `mx.example.net`.
    static func remoteHost(in details: String) -> String? {
        guard let range = details.byteRange(of: "host ") else { return nil }
        let name = details[range.upperBound...].split(whereSeparator: { $0.isWhitespace || $0 == "[" || $0 == ":" }).first
        return name.map(String.init).flatMap { $0.contains(".") ? $0 : nil }
    }
}
