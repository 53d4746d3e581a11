import Foundation

/// Mailman's notice to a list owner that a member's bounces made the list act (disable or
/// unsubscribe): "This is a LIST mailing list bounce action notice:", then `Member:`, `Action:` and
/// `Reason:` lines, with the bounce that triggered it attached (Mailman 1.x `Mailman/Bouncer.py`,
/// Mailman 2.1 `templates/en/bounce.txt`, subject "Bounce action notification"). The member is the
/// failed recipient, whatever address the attached bounce names; its reply, when it has one, is the reason.
enum ListBounceActionNotice {
    static func outcome(of message: ParsedMessage, options: IngestOptions, depth: Int) -> MessageOutcome? {
        let text = message.text
        let opening = text.lines.prefix(12).joined(separator: " ").lowercased()
        guard opening.containsBytes(of: "bounce action notice") else { return nil }
        guard let member = field("member", in: text.lines), case .success(let recipient) = RecipientAddress.validate(member) else { return nil }
        let triggering = triggeringEvents(of: message, options: options, depth: depth)
        if let own = triggering.first(where: { $0.recipient.lowercased() == recipient.lowercased() }) { return .events([own]) }
        // The attached bounce names another address (the member's forwarding target) or none: its reply,
        // else the notice's own reason, is the member's.
        let model = triggering.first
        let reason = field("reason", in: text.lines) ?? "Excessive or fatal bounces."
        let assembler = EventAssembler(root: message.root, original: nil, bytes: message.bytes)
        let draft = EventDraft(
            recipient: recipient, diagnostic: model?.diagnostic ?? reason, kind: .bounce, enhancedStatus: model?.enhancedStatus,
            smtpCode: model?.smtpCode, remoteMTA: model?.remoteMTA, occurredAt: model?.occurredAt)
        let events = assembler.makeEvents([draft]).map { event in
            var event = event
            event.sender = model?.sender
            event.messageID = model?.messageID
            event.campaignID = model?.campaignID
            return event
        }
        return .events(events)
    }

    /// `    Member:     bob@example.net` → `bob@example.net` (the first such line).
    private static func field(_ name: String, in lines: [Substring]) -> String? {
        for line in lines.prefix(40) {
            let trimmed = line.trimmed
            guard let colon = trimmed.firstIndex(of: ":"), trimmed[..<colon].trimmed.lowercased() == name else { continue }
            let value = trimmed[trimmed.index(after: colon)...].trimmed
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The events of the attached bounce, read as if it had arrived itself.
    private static func triggeringEvents(of message: ParsedMessage, options: IngestOptions, depth: Int) -> [IngestedEvent] {
        guard depth < EnclosedBounce.maximumDepth else { return [] }
        var enclosed: [MIMEPart] = []
        message.root.walk { part in
            if part.isEmbeddedMessage, enclosed.count < 2 { enclosed.append(part) }
        }
        for part in enclosed {
            guard case .success(let inner) = ParsedMessage.make(Array(part.decodedBody)) else { continue }
            let events = BounceReader.outcome(inner, options: options, depth: depth + 1).events
            if !events.isEmpty { return events }
        }
        return []
    }
}
