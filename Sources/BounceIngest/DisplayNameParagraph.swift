import Foundation

/// Exchange names a failed recipient in its text by display name only ("Jane Doe on 11/30/2026 4:19 PM"
/// in Exchange 2003, "Jane Doe" alone in 2007 and later) and gives the address in the report's
/// `X-Display-Name` group: the explanation below that name belongs to that recipient, also when the
/// report lists several.
enum DisplayNameParagraph {
    /// The lines under the line that starts with `name`, up to the next blank line, when they say
    /// what failed; nil when no line names the recipient so.
    static func explanation(for name: String, in lines: [Substring]) -> String? {
        let wanted = name.trimmed.trimmingCharacters(in: "'\"").lowercased()
        guard wanted.utf8.count >= 2 else { return nil }
        for (index, line) in lines.prefix(400).enumerated() {
            let trimmed = line.trimmed.trimmingCharacters(in: "'\"").lowercased()
            guard trimmed.hasPrefix(wanted) else { continue }
            let rest = trimmed.dropFirst(wanted.count)
            // "Jane Doe", "Jane Doe on 11/30/2026 …", "'Jane Doe' on …", "Jane Doe (…)": nothing else may follow.
            guard rest.isEmpty || rest.hasPrefix("' ") || rest.hasPrefix(" on ") || rest.hasPrefix(" (") || rest.hasPrefix("\" ") else { continue }
            var pieces: [String] = []
            var next = index + 1
            while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 6 {
                pieces.append(lines[next].trimmed)
                next += 1
            }
            let joined = pieces.joined(separator: " ")
            guard StructuralBounceText.hasReply(joined) || StructuralBounceText.hasFailureWording(joined) else { continue }
            return String(joined.prefix(RecipientSentence.maximumCharacters))
        }
        return nil
    }
}
