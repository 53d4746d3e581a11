import Foundation

/// Exchange and Outlook NDRs: an address line followed by `Remote Server returned '550 5.1.1 ...'`,
/// `mx.example.net #550 5.1.1 ... ##` or `<mx.example.net #5.1.1 smtp;550 5.1.1 User unknown>`.
enum ExchangeBounceText {
    private static let triggers = [
        "diagnostic information for administrators", "remote server returned", "delivery has failed to these recipients",
        "did not reach some or all of the intended recipients", "the following recipient(s) cannot be reached",
        "your message couldn't be delivered", "did not reach the following recipient",
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        guard text.mentions(any: triggers) else { return [] }
        var failures: [TextualFailure] = []
        var lastAddress: String?
        // Exchange 2000/2003 explain in words and end with `<host #5.1.1>`: the words are the reason.
        var explanation: [String] = []
        let lines = text.lines
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if let (diagnostic, remote) = reply(in: line, following: lines[index...]) {
                if let recipient = lastAddress {
                    // `<host #5.5.0 smtp;554 … Relay access denied>`: Exchange's own status stands when the reply has none.
                    let stated = ReplyText.enhancedStatus(in: diagnostic) == nil ? hashStatus(in: line) : nil
                    failures.append(TextualFailure(
                        recipient: recipient, diagnostic: diagnostic, remoteMTA: remote, kind: text.failureKind, status: stated))
                    lastAddress = nil
                }
            } else if let (status, remote) = statusOnly(in: line) {
                if let recipient = lastAddress {
                    let words = explanation.joined(separator: " ")
                    let diagnostic = words.isEmpty ? "#\(status)" : "#\(status) \(words)"
                    failures.append(TextualFailure(recipient: recipient, diagnostic: diagnostic, remoteMTA: remote, kind: text.failureKind))
                    lastAddress = nil
                }
            } else if isAddressLine(line), let address = AddressText.firstAddress(in: line) {
                lastAddress = address
                explanation = []
            } else if lastAddress != nil, !line.trimmed.isEmpty {
                explanation.append(line.trimmed)
            }
        }
        return failures
    }

    /// A short line led by an address: `bob@example.net`, `bob@example.net on 28/11/2026 03:12`.
    private static func isAddressLine(_ line: Substring) -> Bool {
        let tokens = line.split(whereSeparator: \.isWhitespace)
        guard let first = tokens.first, tokens.count <= 6 || tokens.count > 1 && tokens[1] == "on" else { return false }
        return AddressText.looksLikeAddress(first.trimmingCharacters(in: "<>'\"():;,"))
    }

    private static func reply(in line: Substring, following: ArraySlice<Substring>) -> (String, String?)? {
        // The case-insensitive Foundation search is costly on Linux: only lines that can match pay for it.
        if line.lowercased().containsBytes(of: "remote server returned"),
            let range = line.range(of: "Remote Server returned", options: .caseInsensitive)
        {
            var rest = line[range.upperBound...].trimmed
            if rest.hasPrefix("'") {
                rest.removeFirst()
                var extra = following.makeIterator()
                while !rest.contains("'"), let next = extra.next(), !next.trimmed.isEmpty { rest += " " + next.trimmed }
                if let close = rest.lastIndex(of: "'") { rest = String(rest[..<close]) }
            }
            return (rest.trimmed, nil)
        }
        if line.utf8.contains(UInt8(ascii: "#")), let smtp = line.range(of: "smtp;", options: .caseInsensitive),
            let open = line.firstIndex(of: "<"), open < smtp.lowerBound
        {
            var reply = line[smtp.upperBound...]
            if let close = reply.lastIndex(of: ">") { reply = reply[..<close] }
            let host = line[line.index(after: open)...].split(separator: " ").first.map(String.init)
            return (reply.trimmed, host.flatMap { $0.contains(".") && !$0.hasPrefix("#") ? $0 : nil })
        }
        if let hash = line.byteRange(of: "#"), ReplyText.leadingCode(line[hash.upperBound...]) != nil {
            var reply = line[hash.upperBound...]
            if let end = reply.byteRange(of: "##") { reply = reply[..<end.lowerBound] }
            let host = line[..<hash.lowerBound].trimmed
            return (reply.trimmed, host.contains(".") && !host.contains(" ") ? host : nil)
        }
        return nil
    }

    /// The enhanced status right after `#` (`<host #5.5.0 smtp;…>`), if the line has one there.
    private static func hashStatus(in line: Substring) -> String? {
        guard let hash = line.firstIndex(of: "#") else { return nil }
        let after = line[line.index(after: hash)...]
        guard let status = ReplyText.enhancedStatus(in: String(after.prefix(12))), after.hasPrefix(status) else { return nil }
        return status
    }

    /// `<mail.example.net #5.1.1>`: an enhanced status and the host, without the server's reply.
    private static func statusOnly(in line: Substring) -> (String, String?)? {
        let trimmed = line.trimmed
        guard trimmed.hasPrefix("<"), trimmed.hasSuffix(">"), let hash = trimmed.firstIndex(of: "#") else { return nil }
        let inside = trimmed[trimmed.index(after: hash)..<trimmed.index(before: trimmed.endIndex)].trimmed
        guard let status = ReplyText.enhancedStatus(in: inside), inside.hasPrefix(status) else { return nil }
        let host = trimmed[trimmed.index(after: trimmed.startIndex)..<hash].trimmed
        return (status, host.contains(".") && !host.contains(" ") ? host : nil)
    }
}
