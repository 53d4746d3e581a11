import Foundation

/// XMail's bounce (XMail 1.27 `QueueUtils.cpp`, `QueUtTXErrorExNotifySender`): a first line
/// `[<00>] XMail bounce: Rcpt=[bob@example.net];Error=[550 5.1.1 … User unknown]`, then numbered
/// sections with the reason and, optionally, the queue's log, whose `SMTP-Error = "…"` lines hold the
/// replies of each attempt.
enum XMailBounceText {
    static let marker = "[<00>] XMail bounce:"
    /// The reason XMail gives when retries ran out (`QueUtResendMessage`): the log's last reply says more.
    static let retriesExhausted = "maximum number of delivery attempts"

    static func failures(in text: BounceText) -> [TextualFailure] {
        var failures: [TextualFailure] = []
        let lines = text.lines
        for (index, line) in lines.prefix(60).enumerated() where line.hasPrefix(marker) {
            guard let recipient = bracketed("Rcpt=[", in: line), !recipient.isEmpty else { continue }
            // A multi-line reply continues the error field on the following lines, up to its closing `]`.
            var field = String(line)
            var next = index + 1
            while !field.hasSuffix("]"), next < lines.count, next <= index + 8, !lines[next].trimmed.isEmpty {
                field += " " + lines[next].trimmed
                next += 1
            }
            var reason = bracketed("Error=[", in: Substring(field)) ?? ""
            if reason.isEmpty || reason.lowercased().containsBytes(of: retriesExhausted), let last = lastLoggedReply(in: text.lines) {
                reason = last
            }
            failures.append(TextualFailure(
                recipient: recipient, diagnostic: reason.isEmpty ? StructuralBounceText.noDetails : reason,
                remoteMTA: nil, kind: text.failureKind))
        }
        return failures
    }

    /// The text between `opening` and the next `]` (the last `]` of the line for the error, which may contain brackets).
    private static func bracketed(_ opening: String, in line: Substring) -> String? {
        guard let start = line.byteRange(of: opening) else { return nil }
        let rest = line[start.upperBound...]
        let isLastField = opening.hasPrefix("Error")
        guard let end = isLastField ? rest.lastIndex(of: "]") : rest.firstIndex(of: "]") else { return nil }
        return rest[..<end].trimmed
    }

    /// The value of the last `SMTP-Error = "…"` line of the message log.
    private static func lastLoggedReply(in lines: [Substring]) -> String? {
        var last: String?
        for line in lines.prefix(400) where line.hasPrefix("SMTP-Error") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let value = line[line.index(after: equals)...].trimmed.trimmingCharacters(in: "\"")
            if !value.isEmpty { last = value }
        }
        return last
    }
}
