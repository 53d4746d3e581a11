import Foundation

/// Postfix, qmail and Yahoo: each failed recipient starts a block with `<address>:`, followed
/// (on the same line for Postfix, below it for qmail and Yahoo) by "said: 550 ..." text.
enum AngleBlockBounceText {
    private static let triggers = [
        "this is the mail system at host", "qmail-send program", "unable to deliver your message to the following address",
        "could not be delivered to one or more recipients", "wasn't able to deliver your message to the following addresses",
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        guard text.looksLikeBounce || text.hasNullReturnPath || text.mentions(any: triggers) else { return [] }
        var failures: [TextualFailure] = []
        let lines = text.lines
        var index = 0
        while index < lines.count {
            guard let (address, rest) = blockStart(lines[index]) else { index += 1; continue }
            index += 1
            var pieces = rest.isEmpty ? [] : [rest]
            // Some qmail front ends (ezmlm) leave a blank line between the address and its reason.
            if pieces.isEmpty, index + 1 < lines.count, lines[index].trimmed.isEmpty, blockStart(lines[index + 1]) == nil,
                !lines[index + 1].trimmed.hasPrefix("---")
            {
                index += 1
            }
            while index < lines.count, !lines[index].trimmed.isEmpty, blockStart(lines[index]) == nil {
                let piece = lines[index].trimmed
                if !piece.hasPrefix("Giving up on ") { pieces.append(piece) }
                index += 1
            }
            let joined = pieces.joined(separator: " ")
            failures.append(TextualFailure(
                recipient: address, diagnostic: diagnostic(from: joined), remoteMTA: remoteHost(in: joined),
                kind: text.failureKind))
        }
        return failures
    }

    /// `<bob@example.net>: host ...` → (`bob@example.net`, `host ...`).
    private static func blockStart(_ line: Substring) -> (String, String)? {
        // Only at column 0: indented `<address>:` lines continue a Postfix reply.
        guard line.hasPrefix("<"), let close = line.firstIndex(of: ">") else { return nil }
        let address = String(line[line.index(after: line.startIndex)..<close])
        guard AddressText.looksLikeAddress(address) else { return nil }
        var rest = line[line.index(after: close)...]
        // Postfix names the alias the address came from: `<bob@…> (expanded from <info@…>): …`.
        if rest.hasPrefix(" (expanded from "), let end = rest.firstIndex(of: ")") { rest = rest[rest.index(after: end)...] }
        guard rest.hasPrefix(":") else { return nil }
        return (address, rest.dropFirst().trimmed)
    }

    /// After "said:" when present, else from the reply code (Courier puts the host and the
    /// transcript before it), without Postfix's "(in reply to … command)".
    private static func diagnostic(from block: String) -> String {
        StructuralBounceText.diagnostic(from: block)
    }

    /// Postfix `host mx.example.net[203.0.113.5] said:`, qmail `Connected to 203.0.113.5 but ...`
    /// or `203.0.113.5 does not like recipient.`
    private static func remoteHost(in block: String) -> String? {
        if let range = block.byteRange(of: "host ") {
            let name = block[range.upperBound...].split(whereSeparator: { $0.isWhitespace || $0 == "[" }).first
            if let name, name.contains(".") { return String(name) }
        }
        if let range = block.byteRange(of: "Connected to ") {
            return block[range.upperBound...].split(separator: " ").first.map(String.init)
        }
        if let range = block.byteRange(of: " does not like recipient") {
            return block[..<range.lowerBound].split(separator: " ").last.map(String.init)
        }
        return nil
    }
}
