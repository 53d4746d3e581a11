import Foundation

/// The sentence of a notice that names a recipient, read across the lines it is wrapped over:
/// Gromox's `I am sorry to tell you that that the address "bob@example.org" does not\nexist.`,
/// its Chinese `您发送到“bob@example.cn”的邮件无法被正确投递，\n因为该收件人并不存在！`, a Russian
/// `Ваше письмо для bob@example.ru не может быть\nдоставлено: адресат не найден.`
/// Used where a report gives a recipient but no reply, and by the structural reading when no
/// single line says the delivery failed.
enum RecipientSentence {
    /// Longer sentences are cut: an explanation, not a pasted document.
    static let maximumCharacters = 400
    /// How far a paragraph is followed up and down from the address line.
    static let maximumParagraphLines = 8

    /// The sentence naming `address` that says something failed, or nil.
    static func sentence(naming address: String, in lines: [Substring]) -> String? {
        let wanted = address.lowercased()
        guard !wanted.isEmpty,
            let index = lines.firstIndex(where: { line in
                line.utf8.contains(UInt8(ascii: "@")) && !StructuralBounceText.isHeaderFieldLine(line)
                    && line.lowercased().containsBytes(of: wanted)
            })
        else { return nil }
        return sentence(at: index, naming: address, in: lines)
    }

    /// The sentence around `address`, which appears on the line at `index`.
    static func sentence(at index: Int, naming address: String, in lines: [Substring]) -> String? {
        let paragraph = self.paragraph(around: index, in: lines)
        guard let found = paragraph.range(of: address, options: .caseInsensitive) else { return nil }
        let start = sentenceStart(before: found.lowerBound, in: paragraph)
        let end = sentenceEnd(after: found.upperBound, in: paragraph)
        let sentence = String(paragraph[start..<end]).trimmed
        guard StructuralBounceText.hasFailureWording(sentence) else { return nil }
        return sentence.count > maximumCharacters ? String(sentence.prefix(maximumCharacters)) : sentence
    }

    /// The non-blank lines around `index`, joined; a salutation line ("Hi,", "您好：") that opens the
    /// paragraph is left out. CJK lines are joined without a space, as their text has none.
    static func paragraph(around index: Int, in lines: [Substring]) -> String {
        var first = index
        while first > 0, index - first < maximumParagraphLines, !lines[first - 1].trimmed.isEmpty { first -= 1 }
        var last = index
        while last + 1 < lines.count, last - index < maximumParagraphLines, !lines[last + 1].trimmed.isEmpty { last += 1 }
        if first < index, isSalutation(lines[first].trimmed) { first += 1 }
        var joined = ""
        for line in lines[first...last] {
            let piece = line.trimmed
            if piece.isEmpty { continue }
            if !joined.isEmpty, !(isWideScript(joined.unicodeScalars.last) && isWideScript(piece.unicodeScalars.first)) {
                joined += " "
            }
            joined += piece
        }
        return joined
    }

    static func isSalutation(_ line: String) -> Bool {
        guard let last = line.last, [",", ":", "：", "，", "!"].contains(last), !line.contains("@") else { return false }
        return line.split(separator: " ").count <= 3 && line.count <= 24
    }

    /// Chinese, Japanese and Korean scripts and their punctuation: written without spaces.
    static func isWideScript(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        return (0x2E80...0x9FFF).contains(value) || (0xAC00...0xD7AF).contains(value) || (0xFF00...0xFFEF).contains(value)
    }

    /// Just after the end of the previous sentence, or the paragraph's start.
    private static func sentenceStart(before position: String.Index, in text: String) -> String.Index {
        var index = position
        while index > text.startIndex {
            let previous = text.index(before: index)
            let char = text[previous]
            if "。！？".contains(char) { return index }
            if ".!?".contains(char), index < position, text[index] == " " { return index }
            index = previous
        }
        return index
    }

    /// Just after the end of the sentence (its full stop included), or the paragraph's end.
    private static func sentenceEnd(after position: String.Index, in text: String) -> String.Index {
        var index = position
        while index < text.endIndex {
            let char = text[index]
            let next = text.index(after: index)
            if "。！？".contains(char) { return next }
            if ".!?".contains(char), next == text.endIndex || text[next] == " " { return next }
            index = next
        }
        return index
    }
}
