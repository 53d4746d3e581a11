import Foundation

/// The neighbouring lines the structural reading consults: the block below an address, the
/// paragraph after it, the heading above a list, and the reply a notice gives once for everyone.
extension StructuralBounceText {
    /// The first reply (with its continuation lines) anywhere in the text, for recipients listed
    /// without their own explanation.
    static func firstReply(in lines: [Substring]) -> String? {
        for (index, line) in lines.enumerated() {
            let text = String(line)
            guard let start = ReplyText.replyStart(in: text), ReplyText.leadingCode(text[start...]).map({ $0 >= 400 }) == true
            else { continue }
            var pieces = [String(text[start...]).trimmed]
            var next = index + 1
            while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 6,
                ReplyText.leadingCode(lines[next].trimmed) != nil || lines[next].indentation > 0 && lines[next].indentation >= line.indentation
            {
                pieces.append(lines[next].trimmed)
                next += 1
            }
            return diagnostic(from: pieces.joined(separator: " "))
        }
        return nil
    }

    /// The lines below an address line that explain it: up to the next blank line or address line.
    static func block(after index: Int, in lines: [Substring], indentation: Int) -> [String] {
        var pieces: [String] = []
        var next = index + 1
        while next < lines.count, pieces.count < 8 {
            let line = lines[next]
            let trimmed = line.trimmed
            if trimmed.isEmpty { break }
            if let first = MailAddressScanner.addresses(in: line, limit: 1).first, isLabelOnly(first.before.lowercased()),
                line.indentation <= indentation
            {
                break
            }
            pieces.append(trimmed)
            next += 1
        }
        return pieces
    }

    /// The paragraph after the blank line below an address, when it explains rather than lists:
    /// no address-led line in it, a reply or failure wording; a lone `because:` label is stepped over.
    static func reasonParagraph(after index: Int, in lines: [Substring]) -> String? {
        var next = index + 1
        var steppedOverLabel = false
        while true {
            guard next < lines.count, lines[next].trimmed.isEmpty else { return nil }
            while next < lines.count, lines[next].trimmed.isEmpty { next += 1 }
            var pieces: [String] = []
            while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 6 {
                let line = lines[next]
                if let first = MailAddressScanner.addresses(in: line, limit: 1).first, isLabelOnly(first.before.lowercased()) { return nil }
                pieces.append(line.trimmed)
                next += 1
            }
            let paragraph = pieces.joined(separator: " ")
            // A lone `because:` label, or a paragraph that only introduces the reason (masqmail's "This error
            // message may give you a hint about what caused the failure:)"), is stepped over once.
            let introduces = pieces.count == 1 && pieces[0].hasSuffix(":") && pieces[0].split(separator: " ").count <= 3
                || paragraph.hasSuffix(":") || paragraph.hasSuffix(":)")
            if introduces, !steppedOverLabel {
                steppedOverLabel = true
                continue
            }
            let lower = paragraph.lowercased()
            guard !paragraph.isEmpty, hasReply(paragraph) || hasFailureWording(paragraph), !paragraph.hasPrefix("---"),
                !advisoryWords.contains(where: { lower.containsBytes(of: $0) })
            else { return nil }
            return paragraph
        }
    }

    /// The line above the address list the address belongs to (list items skipped); when that line
    /// says nothing of a failure, its whole paragraph: a heading wrapped over lines ("The following
    /// destination addresses were unknown (please check\nthe addresses …):") reads as one.
    static func heading(before index: Int, in lines: [Substring]) -> String? {
        guard let last = headingLine(before: index, in: lines) else { return nil }
        var pieces = [lines[last].trimmed]
        if hasFailureWording(pieces[0]) { return pieces[0] }
        var previous = last - 1
        while previous >= 0, pieces.count < 4, !lines[previous].trimmed.isEmpty {
            pieces.insert(lines[previous].trimmed, at: 0)
            previous -= 1
        }
        return pieces.joined(separator: " ")
    }

    /// The nearest non-blank line above the list that is not itself a list item.
    static func headingLine(before index: Int, in lines: [Substring]) -> Int? {
        var previous = index - 1
        var steps = 0
        while previous >= 0, steps < 30 {
            let line = lines[previous]
            if !line.trimmed.isEmpty {
                let addresses = MailAddressScanner.addresses(in: line, limit: 1)
                if addresses.isEmpty || !isLabelOnly(addresses[0].before.lowercased()) { return previous }
            }
            previous -= 1
            steps += 1
        }
        return nil
    }

    /// The sentence that starts on the line at `index`, wrapped over the following lines of its
    /// paragraph ("… was quarantined by the content\nfilter … and has not been delivered.").
    static func sentence(from index: Int, in lines: [Substring]) -> String {
        var pieces = [lines[index].trimmed]
        var next = index + 1
        while next < lines.count, pieces.count < 4, !lines[next].trimmed.isEmpty, !pieces[pieces.count - 1].hasSuffix("."),
            MailAddressScanner.addresses(in: lines[next], limit: 1).isEmpty
        {
            pieces.append(lines[next].trimmed)
            next += 1
        }
        return pieces.joined(separator: " ")
    }

    /// The reason a notice states once under a label of its own: the text after `退信原因：` or
    /// `Reason:` on that line, else the paragraph below the label or below a dashed heading such as
    /// Domino's "------- Failure Reasons --------". Nil unless it reads as a failure.
    static func labelledReason(in lines: [Substring]) -> String? {
        for (index, line) in lines.prefix(80).enumerated() {
            let trimmed = line.trimmed.replacingOccurrences(of: "：", with: ":")
            guard !trimmed.isEmpty, trimmed.utf8.count <= 400 else { continue }
            // masqmail (tpl/failmsg.tpl*, warnmsg.tpl*): "This error message may give you a hint about what caused
            // the failure:" introduces the error message itself, whatever its words.
            if trimmed.lowercased().containsBytes(of: "may give you a hint about what caused"), let hint = paragraph(after: index, in: lines) {
                // The server's last good answer quoted after a timeout is no reply to the failure: keep the sentence whole.
                let reply = diagnostic(from: hint)
                let isFailureReply = ReplyText.leadingCode(reply).map { $0 >= 400 } ?? true
                return String((isFailureReply ? reply : hint).prefix(RecipientSentence.maximumCharacters))
            }
            var label = Substring(trimmed)
            var rest = ""
            if let colon = trimmed.firstIndex(of: ":") {
                label = trimmed[..<colon]
                rest = trimmed[trimmed.index(after: colon)...].trimmed
            } else if trimmed.hasPrefix("---") || trimmed.hasPrefix("===") {
                label = Substring(trimmed.trimmingCharacters(in: "-= "))
            } else {
                continue
            }
            guard reasonLabels.contains(label.trimmed.lowercased()) else { continue }
            if rest.isEmpty {
                var pieces: [String] = []
                var next = index + 1
                while next < lines.count, lines[next].trimmed.isEmpty, next <= index + 2 { next += 1 }
                while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 4 {
                    let piece = lines[next].trimmed
                    // The recipient list below the reason (Domino) is not part of it.
                    if MailAddressScanner.addresses(in: lines[next], limit: 1).first.map({ isLabelOnly($0.before.lowercased()) && $0.after.trimmed.isEmpty }) == true { break }
                    pieces.append(piece)
                    next += 1
                }
                rest = pieces.joined(separator: " ")
            }
            if !rest.isEmpty, hasReply(rest) || hasFailureWording(rest) || containsDisabledWording(rest) {
                return String(diagnostic(from: rest).prefix(RecipientSentence.maximumCharacters))
            }
        }
        return nil
    }

    /// The paragraph after the one holding the line at `index`.
    static func paragraph(after index: Int, in lines: [Substring]) -> String? {
        var next = index + 1
        while next < lines.count, !lines[next].trimmed.isEmpty { next += 1 }
        while next < lines.count, lines[next].trimmed.isEmpty { next += 1 }
        var pieces: [String] = []
        while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 6 {
            pieces.append(lines[next].trimmed)
            next += 1
        }
        return pieces.isEmpty ? nil : pieces.joined(separator: " ")
    }

    /// Reason words that are not failure wording in general: a closed account ("frozen", 冻结, 停用) or
    /// Domino's "No route found to domain".
    static func containsDisabledWording(_ text: String) -> Bool {
        let lower = text.lowercased()
        return ["禁用", "停用", "冻结", "凍結", "注销", "註銷", "frozen", "no route found"].contains { lower.containsBytes(of: $0) }
    }

    /// The notice's own sentence about the failure, above the line at `index`: the first paragraph
    /// that says delivery failed or the message was blocked, joined.
    static func noticeSentence(before index: Int, in lines: [Substring]) -> String? {
        var paragraph: [String] = []
        for line in lines[..<index] {
            let trimmed = line.trimmed
            if trimmed.isEmpty {
                if hasDeliveryFailurePhrase(paragraph.joined(separator: " ").lowercased()) { break }
                paragraph = []
                continue
            }
            if paragraph.count < 6 { paragraph.append(trimmed) }
        }
        let joined = paragraph.joined(separator: " ")
        return hasDeliveryFailurePhrase(joined.lowercased()) ? joined : nil
    }

    /// Netscape Messaging Server and InterMail put the reason above the list's heading
    /// ("     Host example.net not found" / "The following recipients did not receive this
    /// message:"): the paragraph before the heading's, when it says what failed.
    static func reasonAboveHeading(before index: Int, in lines: [Substring]) -> String? {
        guard var previous = headingLine(before: index, in: lines) else { return nil }
        while previous >= 0, !lines[previous].trimmed.isEmpty { previous -= 1 }
        while previous >= 0, lines[previous].trimmed.isEmpty { previous -= 1 }
        var pieces: [String] = []
        while previous >= 0, !lines[previous].trimmed.isEmpty, pieces.count < 3 {
            pieces.insert(lines[previous].trimmed, at: 0)
            previous -= 1
        }
        // Only a short reason line stands for the failure; a long explanatory paragraph does not.
        guard pieces.count == 1, let reason = pieces.first, !reason.hasSuffix(":"), hasFailureWording(reason) || hasReply(reason)
        else { return nil }
        return reason
    }

    /// The next paragraph (within a few lines) that carries a reply code or status.
    static func replyParagraph(after index: Int, in lines: [Substring], address: String) -> String? {
        var next = index + 1
        var pieces: [String] = []
        while next < lines.count, next <= index + 12 {
            let trimmed = lines[next].trimmed
            next += 1
            if trimmed.isEmpty {
                let joined = pieces.joined(separator: " ")
                if hasReply(joined) { return diagnostic(from: joined) }
                pieces = []
                continue
            }
            // A labelled line after the reply (a webmail notice's "Solution: Please contact your recipient …")
            // is advice, not more of the reply.
            if !pieces.isEmpty, startsWithWordLabel(trimmed), ReplyText.leadingCode(trimmed) == nil {
                let joined = pieces.joined(separator: " ")
                if hasReply(joined) { return diagnostic(from: joined) }
            }
            let others = MailAddressScanner.addresses(in: Substring(trimmed), limit: 16).filter { $0.address.lowercased() != address.lowercased() }
            if !others.isEmpty, hasDeliveryFailurePhrase(trimmed.lowercased()), pieces.isEmpty {
                return nil  // the next recipient's sentence
            }
            pieces.append(trimmed)
        }
        let joined = pieces.joined(separator: " ")
        return hasReply(joined) ? diagnostic(from: joined) : nil
    }

    /// `Solution: …`, `Bounce reason: …`: a line opened by a label of at most three words of letters.
    static func startsWithWordLabel(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let label = line[..<colon]
        return !label.isEmpty && label.utf8.count <= 24 && label.first?.isLetter == true
            && label.allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" }) && label.split(separator: " ").count <= 3
    }

    /// From the line that carries the reply, with the lines continuing it; a following `Label:`
    /// line (Messaging Server's "Remote system:") starts something else.
    static func replyLines(_ pieces: [String]) -> String {
        guard let first = pieces.firstIndex(where: hasReply) else { return pieces.joined(separator: " ") }
        var kept = [pieces[first]]
        for piece in pieces[(first + 1)...] {
            let label = piece.split(separator: " ", maxSplits: 3).prefix(3).first { $0.hasSuffix(":") }
            if label != nil, ReplyText.leadingCode(piece) == nil { break }
            kept.append(piece)
        }
        return kept.joined(separator: " ")
    }

    /// The reply from its code on, without Postfix's "(in reply to … command)" or a wrapping
    /// "(reason: …)"; else the text itself.
    static func diagnostic(from text: String) -> String {
        var result = Substring(text)
        if let said = result.byteRange(of: "said:") { result = result[said.upperBound...] }
        if let start = ReplyText.replyStart(in: String(result)) {
            let string = String(result)
            result = Substring(string[start...])
        }
        if let inReply = result.byteRange(of: "(in reply to ", backwards: true) { result = result[..<inReply.lowerBound] }
        var trimmed = result.trimmed
        if trimmed.hasPrefix("("), trimmed.hasSuffix(")"), !trimmed.dropFirst().contains("(") {
            trimmed = String(trimmed.dropFirst().dropLast()).trimmed
        }
        for label in ["(reason:", "reason:"] where trimmed.lowercased().hasPrefix(label) {
            trimmed = String(trimmed.dropFirst(label.count)).trimmed
        }
        if trimmed.hasSuffix(")"), trimmed.filter({ $0 == "(" }).count < trimmed.filter({ $0 == ")" }).count {
            trimmed = String(trimmed.dropLast()).trimmed
        }
        // A reply quoted in a log line (XMail's `SMTP-Error = "550 …"`) loses its closing quote too.
        if trimmed.hasSuffix("\""), trimmed.utf8.count(where: { $0 == UInt8(ascii: "\"") }) == 1 {
            trimmed = String(trimmed.dropLast()).trimmed
        }
        return trimmed.isEmpty ? StructuralBounceText.noDetails : trimmed
    }

    /// For `(expanded from: <addr>)` under a pipe or file entry: the entry's `(reason: …)`, when the
    /// entry a few lines up is a pipe command or a path.
    static func localDeliveryReason(above index: Int, in lines: [Substring]) -> String? {
        var reason: String?
        var previous = index - 1
        while previous >= 0, previous >= index - 4 {
            let trimmed = lines[previous].trimmed.trimmingCharacters(in: "\"<>")
            if trimmed.hasPrefix("(reason:") { reason = diagnostic(from: trimmed) }
            if trimmed.hasPrefix("|") || trimmed.hasPrefix("/") { return reason ?? noDetails }
            if lines[previous].indentation == 0 { return nil }
            previous -= 1
        }
        return nil
    }
}
