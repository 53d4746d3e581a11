import Foundation

/// The fallback for bounce texts no dialect parser knows: a failed recipient is an address that the
/// text ties to a failure by its layout. Accepted shapes:
/// - the address followed on its line by a reply, a status or failure wording (`bob@example.net: 550 …`,
///   `<bob@example.net>... User unknown`, `bob@example.net: Envelope expired`);
/// - a reply line that contains the address (`550 5.1.1 bob@example.net... User unknown`);
/// - `RCPT To:<bob@example.net>` in a session transcript, answered by a `<<< 5xx` line;
/// - the address alone (or after a label such as `Recipient:`) with its explanation on the lines below;
/// - a sentence that says delivery to the address failed, with the reply in the paragraphs after it;
/// - the address alone in a list under a heading that says the addresses failed.
/// Addresses of the bounce's own correspondents, the original sender and mail-system accounts are
/// never taken, nor header lines of a pasted original message.
enum StructuralBounceText {
    /// One address tied to a failure, with how strongly (3: its own reply; 2: explanation nearby;
    /// 1: only a heading or sentence).
    struct Finding {
        var recipient: String
        var diagnostic: String
        var remoteMTA: String?
        var strength: Int
    }

    /// What a reader records when it found a recipient but no words for the failure.
    static let noDetails = "delivery failed (no details given)"

    static func failures(in text: BounceText, excluding: Set<String> = []) -> [TextualFailure] {
        findings(in: text, excluding: excluding).map {
            TextualFailure(recipient: $0.recipient, diagnostic: $0.diagnostic, remoteMTA: $0.remoteMTA, kind: text.failureKind)
        }
    }

    /// The best finding per recipient, in order of first appearance.
    static func findings(in text: BounceText, excluding: Set<String> = []) -> [Finding] {
        let lines = text.lines
        let ownAddresses = text.ownAddresses
        var best: [String: Finding] = [:]
        var order: [String] = []
        func offer(_ finding: Finding) {
            let key = finding.recipient.lowercased()
            guard !excluding.contains(key), !ownAddresses.contains(key),
                !RecipientAddress.isMailSystemAccount(finding.recipient), !isServiceAccount(finding.recipient)
            else { return }
            if let existing = best[key] {
                if finding.strength > existing.strength { best[key] = finding }
            } else {
                best[key] = finding
                order.append(key)
            }
        }
        var listHeading: (index: Int, heading: String?)?
        var messageReply: String??
        func sharedReply() -> String? {
            if let messageReply { return messageReply }
            let found = firstReply(in: lines)
            messageReply = .some(found)
            return found
        }

        // A pasted original message the copy markers missed starts with its trace fields: nothing below
        // them is the bounce's own report.
        let end = lines.firstIndex(where: startsOriginalHeaders) ?? lines.endIndex
        for (index, line) in lines[..<end].enumerated() where line.utf8.contains(UInt8(ascii: "@")) {
            if isHeaderFieldLine(line) { continue }
            let lowerLine = line.lowercased()
            if Self.advisoryWords.contains(where: { lowerLine.containsBytes(of: $0) }) { continue }
            for found in MailAddressScanner.addresses(in: line) {
                let before = found.before.lowercased()
                let after = leadingPunctuationDropped(found.after)
                let following = block(after: index, in: lines, indentation: line.indentation)
                // A session transcript: RCPT TO:<address> answered on the next line.
                if before.containsBytes(of: "rcpt to") {
                    var answered = false
                    for answer in lines[(index + 1)...].prefix(3) {
                        let answerText = String(answer)
                        guard let start = ReplyText.replyStart(in: answerText), let code = ReplyText.leadingCode(answerText[start...])
                        else { continue }
                        answered = true
                        if code >= 400 {
                            offer(Finding(recipient: found.address, diagnostic: diagnostic(from: String(answerText[start...])), remoteMTA: nil, strength: 3))
                        }
                        break
                    }
                    // James's "Message details" list the RCPT TO and give the error further down.
                    if !answered, let reply = sharedReply() {
                        offer(Finding(recipient: found.address, diagnostic: reply, remoteMTA: nil, strength: 1))
                    }
                    continue
                }
                // A reply line naming the address: `550 5.1.1 <bob@example.net>... User unknown`.
                let lineReply = String(line.trimmed.drop(while: { $0 == "<" || $0 == " " }))
                if ReplyText.leadingCode(lineReply).map({ $0 >= 400 }) == true, isReplyPrefix(before) {
                    offer(Finding(recipient: found.address, diagnostic: lineReply, remoteMTA: nil, strength: 3))
                    continue
                }
                let isLed = isLabelOnly(before)
                if isLed {
                    let sameLine = after.trimmed
                    // Text beside the address that says nothing (Exchange's "on 30/11/2026 13:10") is left out.
                    let sameLineCounts = hasReply(sameLine) || hasFailureWording(sameLine)
                    let pieces = ((sameLineCounts ? [sameLine] : []) + following).filter { !$0.isEmpty }
                    let combined = pieces.joined(separator: " ")
                    if hasReply(combined) {
                        offer(Finding(recipient: found.address, diagnostic: diagnostic(from: replyLines(pieces)),
                                      remoteMTA: EximBounceText.remoteHost(in: combined), strength: 3))
                        continue
                    }
                    if hasFailureWording(combined) {
                        offer(Finding(recipient: found.address, diagnostic: diagnostic(from: combined),
                                      remoteMTA: nil, strength: 2))
                        continue
                    }
                    // Notes and SurfControl: "was not delivered to:", the address, then "because:" and
                    // the reason, each in a paragraph of its own.
                    if following.isEmpty, sameLine.isEmpty, let reason = reasonParagraph(after: index, in: lines) {
                        offer(Finding(recipient: found.address, diagnostic: diagnostic(from: reason), remoteMTA: nil,
                                      strength: hasReply(reason) ? 3 : 2))
                        continue
                    }
                    // IMail's `Unknown user: bob@example.net`: the label is the reason.
                    if hasFailureWording(before) {
                        offer(Finding(recipient: found.address, diagnostic: line.trimmed, remoteMTA: nil, strength: 2))
                        continue
                    }
                    guard sameLine.isEmpty || sameLine.allSatisfy({ ",;".contains($0) }) else { continue }
                    // A list shares its heading: found once, not once per address.
                    let heading: String?
                    if let (listed, shared) = listHeading, lines[(listed + 1)..<index].allSatisfy({ $0.trimmed.isEmpty }) {
                        heading = shared
                    } else {
                        heading = Self.heading(before: index, in: lines)
                    }
                    listHeading = (index, heading)
                    if let heading, hasFailureWording(heading) {
                        offer(Finding(recipient: found.address, diagnostic: sharedReply() ?? heading,
                                      remoteMTA: nil, strength: 1))
                    }
                    continue
                }
                // A sentence about the address: the reply is usually in the paragraph after it.
                if hasDeliveryFailurePhrase(lowerLine) {
                    if hasReply(String(line)) {
                        let reply = diagnostic(from: String(line))
                        offer(Finding(recipient: found.address, diagnostic: reply, remoteMTA: EximBounceText.remoteHost(in: String(line)), strength: 3))
                    } else if let reply = replyParagraph(after: index, in: lines, address: found.address) {
                        offer(Finding(recipient: found.address, diagnostic: reply,
                                      remoteMTA: EximBounceText.remoteHost(in: reply), strength: 2))
                    } else {
                        offer(Finding(recipient: found.address, diagnostic: line.trimmed, remoteMTA: nil, strength: 1))
                    }
                }
            }
        }
        return order.compactMap { best[$0] }
    }

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
    private static func block(after index: Int, in lines: [Substring], indentation: Int) -> [String] {
        var pieces: [String] = []
        var next = index + 1
        while next < lines.count, pieces.count < 8 {
            let line = lines[next]
            let trimmed = line.trimmed
            if trimmed.isEmpty { break }
            if let first = MailAddressScanner.addresses(in: line).first, isLabelOnly(first.before.lowercased()),
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
    private static func reasonParagraph(after index: Int, in lines: [Substring]) -> String? {
        var next = index + 1
        var steppedOverLabel = false
        while true {
            guard next < lines.count, lines[next].trimmed.isEmpty else { return nil }
            while next < lines.count, lines[next].trimmed.isEmpty { next += 1 }
            var pieces: [String] = []
            while next < lines.count, !lines[next].trimmed.isEmpty, pieces.count < 6 {
                let line = lines[next]
                if let first = MailAddressScanner.addresses(in: line).first, isLabelOnly(first.before.lowercased()) { return nil }
                pieces.append(line.trimmed)
                next += 1
            }
            if pieces.count == 1, pieces[0].hasSuffix(":"), pieces[0].split(separator: " ").count <= 3, !steppedOverLabel {
                steppedOverLabel = true
                continue
            }
            let paragraph = pieces.joined(separator: " ")
            let lower = paragraph.lowercased()
            guard !paragraph.isEmpty, hasReply(paragraph) || hasFailureWording(paragraph), !paragraph.hasPrefix("---"),
                !advisoryWords.contains(where: { lower.containsBytes(of: $0) })
            else { return nil }
            return paragraph
        }
    }

    /// The nearest non-blank line above the address list the address belongs to.
    private static func heading(before index: Int, in lines: [Substring]) -> String? {
        var previous = index - 1
        var steps = 0
        while previous >= 0, steps < 30 {
            let line = lines[previous]
            let trimmed = line.trimmed
            if !trimmed.isEmpty {
                let addresses = MailAddressScanner.addresses(in: line)
                if addresses.isEmpty || !isLabelOnly(addresses[0].before.lowercased()) { return trimmed }
            }
            previous -= 1
            steps += 1
        }
        return nil
    }

    /// The next paragraph (within a few lines) that carries a reply code or status.
    private static func replyParagraph(after index: Int, in lines: [Substring], address: String) -> String? {
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
            let others = MailAddressScanner.addresses(in: Substring(trimmed)).filter { $0.address.lowercased() != address.lowercased() }
            if !others.isEmpty, hasDeliveryFailurePhrase(trimmed.lowercased()), pieces.isEmpty {
                return nil  // the next recipient's sentence
            }
            pieces.append(trimmed)
        }
        let joined = pieces.joined(separator: " ")
        return hasReply(joined) ? diagnostic(from: joined) : nil
    }

    /// From the line that carries the reply, with the lines continuing it; a following `Label:`
    /// line (Messaging Server's "Remote system:") starts something else.
    private static func replyLines(_ pieces: [String]) -> String {
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
        return trimmed.isEmpty ? StructuralBounceText.noDetails : trimmed
    }

    static func hasReply(_ text: String) -> Bool {
        if let start = ReplyText.replyStart(in: text), let code = ReplyText.leadingCode(text[start...]), code >= 400 { return true }
        if let status = ReplyText.enhancedStatus(in: text), status.first != "2" { return true }
        return false
    }

    static func hasFailureWording(_ text: String) -> Bool {
        let lower = text.lowercased()
        return failureWords.contains { lower.containsBytes(of: $0) }
    }

    private static func hasDeliveryFailurePhrase(_ lower: String) -> Bool {
        deliveryFailurePhrases.contains { lower.containsBytes(of: $0) }
    }

    /// Nothing but punctuation, a list bullet or a short label (`Recipient:`, `rfc822;`) before the address.
    private static func isLabelOnly(_ before: String) -> Bool {
        var rest = Substring(before).drop(while: { $0.isWhitespace || "<\"'*-•>([#".contains($0) })
        while let last = rest.last, last.isWhitespace || "<\"'(".contains(last) { rest = rest.dropLast() }
        if rest.isEmpty { return true }
        if rest.hasSuffix("rfc822;") { rest = rest.dropLast("rfc822;".count) }
        rest = Substring(rest.trimmed)
        if rest.isEmpty { return true }
        if rest.allSatisfy({ $0.isNumber || $0 == "." || $0 == ")" }) { return true }  // "1." "2)" numbered lists
        guard rest.hasSuffix(":") else { return false }
        let label = rest.dropLast().trimmed
        return recipientLabels.contains(label)
    }

    /// `550 `, `<<< 550 `, `550-5.1.1 ` … in front of the address: the line is a reply.
    private static func isReplyPrefix(_ before: String) -> Bool {
        let trimmed = before.trimmed.drop(while: { $0 == "<" || $0 == " " })
        return ReplyText.leadingCode(trimmed) != nil
    }

    private static func leadingPunctuationDropped(_ text: Substring) -> Substring {
        text.drop(while: { $0 == ">" || $0 == ":" || $0 == "." || $0 == ";" || $0 == "," || $0 == ")" || $0 == "'" || $0 == "\"" || $0 == " " || $0 == "\t" })
    }

    private static func startsOriginalHeaders(_ line: Substring) -> Bool {
        guard let first = line.first, first.isLetter else { return false }
        let lower = line.prefix(24).lowercased()
        return originalHeaderStarts.contains { lower.hasPrefix($0) }
    }

    private static let originalHeaderStarts = [
        "received: ", "return-path: ", "dkim-signature: ", "arc-seal: ", "authentication-results: ", "---------- forwarded message",
    ]

    /// A header line of a pasted original message: its addresses are the original's, not failures.
    private static func isHeaderFieldLine(_ line: Substring) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let name = line[..<colon].trimmed.lowercased()
        return headerNames.contains(name) || name.hasPrefix("x-") && !name.contains(" ")
    }

    private static func isServiceAccount(_ address: String) -> Bool {
        guard let at = address.firstIndex(of: "@") else { return false }
        return serviceLocalParts.contains(address[..<at].lowercased())
    }

    private static let headerNames: Set<String> = [
        "to", "from", "cc", "bcc", "reply-to", "return-path", "sender", "message-id", "received", "delivered-to",
        "subject", "date", "in-reply-to", "references", "envelope-to", "resent-from", "resent-to", "list-unsubscribe",
        "dkim-signature", "authentication-results", "arc-seal", "arc-message-signature", "arc-authentication-results",
        "received-spf", "mail from", "envelope-from", "de", "von", "an", "para", "à", "destinataire", "expéditeur",
    ]
    private static let recipientLabels: Set<String> = [
        "recipient", "recipients", "failed recipient", "failed recipients", "address", "addresses", "email address",
        "e-mail address", "rcpt", "user", "mailbox", "original-recipient", "final-recipient", "x-actual-recipient",
        "to address", "recipient address", "unknown user", "invalid recipient", "destination", "for",
    ]
    private static let serviceLocalParts: Set<String> = [
        "abuse", "help", "support", "noreply", "no-reply", "donotreply", "do-not-reply", "hostmaster", "webmaster",
    ]
    /// Lines that advise the reader rather than report: their addresses are contacts.
    private static let advisoryWords = [
        "contact ", "please reply", "questions", "for assistance", "for more information", "if you feel",
    ]
    static let failureWords = [
        "unknown", "no such", "does not exist", "doesn't exist", "not exist", "not found", "invalid", "unavailable",
        "mailbox full", "quota", "exceeded", "disabled", "inactive", "suspended", "rejected", "refused", "denied",
        "blocked", "failed", "failure", "undeliverable", "not be delivered", "couldn't be delivered", "permanent",
        "unroutable", "unrouteable", "timed out", "expired", "error", "no mailbox", "not accept", "looping",
        "too large", "size limit", "not allowed", "deferred", "delayed", "retry", "not delivered", "unable to",
        "could not", "cannot", "can't", "bad ", "over the limit", "full", "closed", "deactivated", "not listed",
        "recipients were affected", "fatal", "problem", "失敗", "できません", "エラー", "存在しません",
    ]
    private static let deliveryFailurePhrases = [
        "error delivering", "could not be delivered", "couldn't be delivered", "cannot be delivered", "not delivered to",
        "wasn't delivered", "was not delivered", "undeliverable to", "delivery to", "failed to deliver", "unable to deliver",
        "did not reach", "could not deliver", "problem delivering", "delivery failed", "delivery has failed",
        "rejected", "does not exist", "user unknown", "unknown user", "not be delivered", "is delayed", "delayed",
        "could not be sent", "no such user", "unknown recipient", "failed", "undeliverable",
    ]
}
