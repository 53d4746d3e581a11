import Foundation

/// The vocabulary of the structural reading: what counts as a reply, failure wording, a recipient
/// label, a header line of a pasted message, or an account that is never a recipient.
extension StructuralBounceText {
    /// A 4xx/5xx reply code where a reply can start, or a 4.x.x/5.x.x enhanced status.
    static func hasReply(_ text: String) -> Bool {
        if let start = ReplyText.replyStart(in: text), let code = ReplyText.leadingCode(text[start...]), code >= 400 { return true }
        if let status = ReplyText.enhancedStatus(in: text), status.first != "2" { return true }
        return false
    }

    /// Words that say something failed ("unknown", "quota", "rejected", "失敗" …), case-insensitive.
    static func hasFailureWording(_ text: String) -> Bool {
        let lower = text.lowercased()
        return failureWords.contains { lower.containsBytes(of: $0) }
    }

    /// A sentence that says delivery to someone failed; `lower` is already lower-cased.
    static func hasDeliveryFailurePhrase(_ lower: String) -> Bool {
        deliveryFailurePhrases.contains { lower.containsBytes(of: $0) }
    }

    /// Nothing but punctuation, a list bullet or a short label (`Recipient:`, `rfc822;`) before the address.
    static func isLabelOnly(_ before: String) -> Bool {
        // Chinese and Japanese notices write labels with the full-width colon ("收件人：bob@…").
        let before = before.utf8.contains(0xEF) ? before.replacingOccurrences(of: "：", with: ":") : before
        var rest = Substring(before).drop(while: { $0.isWhitespace || "<\"'*-•>([#".contains($0) })
        while let last = rest.last, last.isWhitespace || "<\"'(".contains(last) { rest = rest.dropLast() }
        if rest.isEmpty { return true }
        if rest.hasSuffix("rfc822;") { rest = rest.dropLast("rfc822;".count) }
        rest = Substring(rest.trimmed)
        // Netscape Messaging Server and InterMail name the transport before the address: `SMTP <bob@…>`.
        for transport in ["smtp", "lmtp"] where rest.hasSuffix(transport) && (rest.count == 4 || rest.dropLast(4).last == " ") {
            rest = Substring(rest.dropLast(4).trimmed)
        }
        if rest.isEmpty { return true }
        if rest.allSatisfy({ $0.isNumber || $0 == "." || $0 == ")" }) { return true }  // "1." "2)" numbered lists
        guard rest.hasSuffix(":") else { return false }
        let label = rest.dropLast().trimmed
        return recipientLabels.contains(label) || isFailureLabel(label)
    }

    /// A short label that is itself the reason: `User quota exceeded: SMTP <bob@…>` (Netscape
    /// Messaging Server), `Mailbox disabled: bob@…`.
    static func isFailureLabel(_ label: String) -> Bool {
        let words = label.split(separator: " ")
        // Up to five words: SMTP32's "User mailbox exceeds allowed size: bob@…".
        return !words.isEmpty && words.count <= 5 && !label.contains("@") && hasFailureWording(label)
    }

    /// Labels that only say the address failed, not why: the reason must come from elsewhere.
    static func isGenericFailureLabel(_ before: String) -> Bool {
        let label = before.trimmed.trimmingCharacters(in: ":<\"' ").lowercased()
        return genericFailureLabels.contains(label)
    }

    static let genericFailureLabels: Set<String> = [
        "failed address", "failed addresses", "failed recipient", "failed recipients", "recipient(s)", "recipient", "recipients",
    ]

    /// `550 `, `<<< 550 `, `550-5.1.1 ` … in front of the address: the line is a reply.
    static func isReplyPrefix(_ before: String) -> Bool {
        let trimmed = before.trimmed.drop(while: { $0 == "<" || $0 == " " })
        return ReplyText.leadingCode(trimmed) != nil
    }

    static func leadingPunctuationDropped(_ text: Substring) -> Substring {
        // `bob@example.at - no such user here.` (MDaemon): the dash only separates.
        text.drop(while: { $0 == ">" || $0 == ":" || $0 == "." || $0 == ";" || $0 == "," || $0 == ")" || $0 == "'" || $0 == "\"" || $0 == " " || $0 == "\t" || $0 == "-" })
    }

    static func startsOriginalHeaders(_ line: Substring) -> Bool {
        guard let first = line.first, first.isLetter else { return false }
        let lower = line.prefix(24).lowercased()
        return originalHeaderStarts.contains { lower.hasPrefix($0) }
    }

    static let originalHeaderStarts = [
        "received: ", "return-path: ", "dkim-signature: ", "arc-seal: ", "authentication-results: ", "---------- forwarded message",
    ]

    /// A header line of a pasted original message: its addresses are the original's, not failures.
    static func isHeaderFieldLine(_ line: Substring) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        let name = line[..<colon].trimmed.lowercased()
        return headerNames.contains(name) || name.hasPrefix("x-") && !name.contains(" ")
    }

    static func isServiceAccount(_ address: String) -> Bool {
        guard let at = address.firstIndex(of: "@") else { return false }
        return serviceLocalParts.contains(address[..<at].lowercased())
    }

    static let headerNames: Set<String> = [
        "to", "from", "cc", "bcc", "reply-to", "return-path", "sender", "message-id", "received", "delivered-to",
        "subject", "date", "in-reply-to", "references", "envelope-to", "resent-from", "resent-to", "list-unsubscribe",
        "dkim-signature", "authentication-results", "arc-seal", "arc-message-signature", "arc-authentication-results",
        "received-spf", "mail from", "envelope-from", "de", "von", "an", "para", "à", "destinataire", "expéditeur",
    ]
    static let recipientLabels: Set<String> = [
        "recipient", "recipients", "failed recipient", "failed recipients", "address", "addresses", "email address",
        "e-mail address", "rcpt", "user", "mailbox", "original-recipient", "final-recipient", "x-actual-recipient",
        "to address", "recipient address", "unknown user", "invalid recipient", "destination", "for",
        "failed address", "failed addresses", "recipient(s)", "invalid address",
        "адресат", "получатель", "адрес получателя", "收件人", "宛先", "empfänger", "destinataire", "destinatario", "destinatário",
    ]
    /// Labels or headings under or after which a notice states the reason once for its recipients:
    /// Domino's "------- Failure Reasons --------", Coremail's "退信原因：", "Reason:".
    static let reasonLabels: Set<String> = [
        "failure reasons", "failure reason", "reason", "reasons", "error", "error message", "diagnostic", "cause",
        "退信原因", "失败原因", "错误原因", "原因", "退回原因", "退信理由", "失敗原因", "錯誤原因", "エラー内容", "原因内容",
        "grund", "fehlergrund", "raison", "motivo", "causa", "причина",
    ]
    static let serviceLocalParts: Set<String> = [
        "abuse", "help", "support", "noreply", "no-reply", "donotreply", "do-not-reply", "hostmaster", "webmaster",
    ]
    /// Lines that advise the reader rather than report: their addresses are contacts.
    static let advisoryWords = [
        "contact ", "please reply", "questions", "for assistance", "for more information", "if you feel",
    ]
    static let failureWords = [
        "unknown", "no such", "does not exist", "doesn't exist", "not exist", "not found", "invalid", "unavailable",
        "mailbox full", "quota", "exceeded", "disabled", "inactive", "suspended", "rejected", "refused", "denied",
        "blocked", "failed", "failure", "undeliverable", "not be delivered", "couldn't be delivered", "permanent",
        "unroutable", "unrouteable", "timed out", "expired", "error", "no mailbox", "not accept", "looping",
        "too large", "size limit", "not allowed", "deferred", "delayed", "retry", "not delivered", "unable to",
        "could not", "cannot", "can't", "bad ", "over the limit", "full", "closed", "deactivated", "not listed",
        "recipients were affected", "fatal", "problem", "did not receive", "not have permission", "only accepts messages",
        "quarantine", "失敗", "できません", "エラー", "存在しません",
        // Chinese (Gromox, Coremail, QQ), Korean, Russian, German, French, Spanish, Italian, Portuguese notices.
        "失败", "无法", "無法", "不存在", "错误", "錯誤", "已满", "已滿", "拒绝", "拒絕", "실패", "존재하지 않", "오류",
        "не доставлен", "недоставлен", "не может быть доставлен", "не удалось доставить", "невозможно доставить", "не найден",
        "не существует", "нет такого", "ошибк", "переполнен", "отклонен", "заблокирован", "не удалось",
        "unzustellbar", "fehlgeschlagen", "unbekannt", "existiert nicht", "nicht zugestellt", "konnte nicht",
        "inconnu", "n'existe pas", "échec", "impossible de", "n'a pas pu", "no existe", "desconocido", "no se pudo",
        "non esiste", "sconosciuto", "non è stato possibile", "não existe", "desconhecido", "não foi possível",
        "not enough privilege",
        // Older gateways' wording (the layouts Sympa's bounce parser reads: PMDF, SMTP32, Lotus cc:Mail …).
        "illegal", "exceeds", "haven't received", "have not received", "is unavailable", "delivery problems",
    ]
    static let deliveryFailurePhrases = [
        "error delivering", "could not be delivered", "couldn't be delivered", "cannot be delivered", "not delivered to",
        "wasn't delivered", "was not delivered", "undeliverable to", "delivery to", "failed to deliver", "unable to deliver",
        "did not reach", "could not deliver", "problem delivering", "delivery failed", "delivery has failed",
        "rejected", "does not exist", "user unknown", "unknown user", "not be delivered", "is delayed", "delayed",
        "could not be sent", "no such user", "unknown recipient", "failed", "undeliverable", "quarantined", "was blocked",
        "has blocked", "did not receive", "delivery problems", "haven't received", "unable to send to",
        "не доставлен", "не может быть доставлен", "не удалось доставить", "невозможно доставить", "недоставлен",
        "无法被正确投递", "无法投递", "無法投遞", "無法被正確投遞", "投递失败", "投遞失敗", "无法发送到", "無法發送到",
        "nicht zugestellt", "konnte nicht zugestellt", "n'a pas pu être remis", "no se pudo entregar", "non è stato recapitato",
    ]

    /// `from <`, `sender: `, `sent by ` right before the address: it names who sent, not who failed.
    static func isSenderMention(_ before: String) -> Bool {
        var rest = Substring(before)
        while let last = rest.last, last == " " || last == "<" || last == "\"" || last == "'" { rest = rest.dropLast() }
        return senderLeads.contains { rest.hasSuffix($0) }
    }

    static let senderLeads = [" from", "from:", "sender:", "sent by", "mail from:", "envelope-from:", "return-path:", "reply-to:"]
}
