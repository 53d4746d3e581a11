import Foundation

/// The last resort for a notice that says delivery failed but names nobody, such as Google Groups'
/// "the group you tried to contact (team) may not exist, or you may not have permission to post
/// messages to the group": the returned message's recipient, when it had exactly one.
enum ReturnedRecipient {
    /// Wording that says the message did not get through, beyond the structural reading's phrases.
    private static let noticePhrases = StructuralBounceText.deliveryFailurePhrases + [
        "may not exist", "not have permission to post", "only accepts messages from", "not been delivered",
    ]

    static func failure(text: BounceText, original: OriginalMessage?) -> TextualFailure? {
        guard let original, original.recipients.count == 1, original.copyRecipients.isEmpty,
            let recipient = original.recipients.first
        else { return nil }
        let key = recipient.lowercased()
        // The returned copy of a message we sent names us as its sender: a copy whose "recipient" is a
        // mail system, the sender or the bounce's own correspondent is not a failed delivery.
        guard key != original.sender?.lowercased(), !text.ownAddresses.contains(key),
            !RecipientAddress.isMailSystemAccount(recipient), !StructuralBounceText.isServiceAccount(recipient),
            text.mentions(any: noticePhrases)
        else { return nil }
        let diagnostic = StructuralBounceText.firstReply(in: text.lines) ?? SessionTranscript.failure(in: text.lines)
            ?? localPartReason(of: recipient, in: text.lines)
            ?? BounceReader.firstFailureSentence(in: text) ?? StructuralBounceText.noDetails
        return TextualFailure(recipient: recipient, diagnostic: diagnostic, remoteMTA: nil, kind: text.failureKind)
    }

    /// GroupWise names a user of its own post office by user id, the reason in parentheses
    /// ("\tthomas.berg (User not on post office)", the layout Sympa's bounce parser reads as
    /// `^\s+(\S*) \((.+)\)`): the reason, when the id is the returned recipient's local part.
    static func localPartReason(of recipient: String, in lines: [Substring]) -> String? {
        guard let at = recipient.firstIndex(of: "@") else { return nil }
        let prefix = recipient[..<at].lowercased() + " ("
        for line in lines where line.first == "\t" || line.first == " " {
            let trimmed = line.trimmed
            guard trimmed.lowercased().hasPrefix(prefix), trimmed.hasSuffix(")") else { continue }
            let reason = trimmed.dropFirst(prefix.count).dropLast().trimmed
            return reason.isEmpty ? nil : reason
        }
        return nil
    }
}
