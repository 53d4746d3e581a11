import Foundation

/// Parses one message of any kind: a feedback report (complaint) goes to `parseFeedbackReport`,
/// everything else to `parseBounceMessage`.
public func parseMessage(_ bytes: [UInt8], options: IngestOptions = IngestOptions()) -> MessageOutcome {
    switch ParsedMessage.make(bytes) {
    case .failure(let problem): return .unreadable(reason: problem.reason)
    case .success(let message):
        return message.isFeedbackReport
            ? FeedbackReportReader.outcome(message, options: options)
            : BounceReader.outcome(message, options: options)
    }
}

/// Parses one message as a bounce: an RFC 3464 delivery status notification, or one of the
/// non-standard texts (Exim, qmail, Postfix, Exchange, Gmail, Yahoo); recognises auto-replies.
public func parseBounceMessage(_ bytes: [UInt8], options: IngestOptions = IngestOptions()) -> MessageOutcome {
    switch ParsedMessage.make(bytes) {
    case .failure(let problem): return .unreadable(reason: problem.reason)
    case .success(let message): return BounceReader.outcome(message, options: options)
    }
}

/// Parses one message as an RFC 5965 feedback report; anything else is `.notABounce`.
public func parseFeedbackReport(_ bytes: [UInt8], options: IngestOptions = IngestOptions()) -> MessageOutcome {
    switch ParsedMessage.make(bytes) {
    case .failure(let problem): return .unreadable(reason: problem.reason)
    case .success(let message): return FeedbackReportReader.outcome(message, options: options)
    }
}

/// Parses one message in the format the caller already knows.
public func parseMessage(_ bytes: [UInt8], format: IngestFormat, options: IngestOptions = IngestOptions()) -> MessageOutcome {
    switch format {
    case .dsn: parseBounceMessage(bytes, options: options)
    case .arf: parseFeedbackReport(bytes, options: options)
    }
}

enum BounceReader {
    private static let statusTypes: Set<String> = [
        "message/delivery-status", "message/global-delivery-status", "text/delivery-status",
    ]

    static func outcome(_ message: ParsedMessage, options: IngestOptions, depth: Int = 0) -> MessageOutcome {
        let text = message.text
        let headers = message.root.headers
        let autoReply = AutoReplyDetector.reason(headers: headers, subject: text.subject)
        // A list manager forwarding a bounce marks its notice as automatic: the enclosed bounce decides.
        if let enclosed = EnclosedBounce.outcome(of: message, options: options, depth: depth, onlyIfAnnounced: true) { return enclosed }
        if let notice = ListBounceActionNotice.outcome(of: message, options: options, depth: depth) { return notice }
        // DSNs carry Auto-Submitted too, so headers alone only decide when nothing looks like a bounce.
        if autoReply != nil, !text.looksLikeBounce { return .autoReply }

        let original = OriginalMessage.find(in: message.root, text: text, options: options)
        let assembler = EventAssembler(root: message.root, original: original, bytes: message.bytes)
        let dialects = withRepliesFromStructure(BounceTextDialects.failures(in: text), text: text)
        var rejections: [RecipientAddress.Rejection] = []

        if let statusPart = message.root.first(where: { statusTypes.contains($0.mediaType.essence) }) {
            let report = DeliveryStatusReport.parse(statusPart.decodedBody)
            let found = DeliveryStatusEvents.drafts(from: report, textual: dialects, text: text)
            rejections = found.rejections
            let events = assembler.makeEvents(found.drafts)
            if !events.isEmpty { return .events(events) }
            if !report.recipients.isEmpty, found.rejections.isEmpty {
                return .notABounce(reason: "delivery status report with no failed or delayed recipient")
            }
        }
        // "Your message, earlier reported as delayed, has now been delivered": the recipient it names did not fail.
        if DeliveredNotice.says(text) {
            return .notABounce(reason: "a notice that the message was delivered or relayed, not a failure")
        }
        // The structural fallback reads only mail that presents itself as a bounce: in ordinary mail an
        // address next to the word "failed" is no failed recipient.
        let mayBeBounce = text.looksLikeBounce || text.hasNullReturnPath
        var textual = dialects.isEmpty && mayBeBounce
            ? StructuralBounceText.failures(
                in: text, excluding: Set([original?.sender, original?.messageID, assembler.bounceMessageID].compactMap { $0?.lowercased() }),
                addressedInOriginal: Set(((original?.recipients ?? []) + (original?.copyRecipients ?? [])).map { $0.lowercased() }))
            : dialects
        if mayBeBounce { textual = withFailedRecipientsHeader(textual, text: text) }
        if textual.isEmpty, mayBeBounce, let returned = ReturnedRecipient.failure(text: text, original: original) {
            textual = [returned]
        }
        var drafts: [EventDraft] = []
        for failure in textual {
            switch RecipientAddress.validate(failure.recipient) {
            case .success(let recipient):
                drafts.append(EventDraft(
                    recipient: recipient, diagnostic: failure.diagnostic, kind: failure.kind, enhancedStatus: failure.status,
                    remoteMTA: failure.remoteMTA))
            case .failure(let rejection):
                rejections.append(rejection)
            }
        }
        if !drafts.isEmpty { return .events(assembler.makeEvents(drafts)) }
        if mayBeBounce, let enclosed = EnclosedBounce.outcome(of: message, options: options, depth: depth, onlyIfAnnounced: false) {
            return enclosed
        }
        if let rejection = rejections.first {
            return .unreadable(reason: "the bounce names no usable recipient: \(rejection.reason)")
        }
        if mayBeBounce {
            return .unreadable(reason: "looks like a bounce (subject \"\(text.subject)\") but names no failed recipient")
        }
        return .notABounce(reason: "no delivery status report, no known bounce text and no auto-reply marker")
    }

    /// A dialect that found the recipient but no words for it (a qmail front end's odd layout)
    /// takes the reply the structural reading ties to that recipient.
    private static func withRepliesFromStructure(_ failures: [TextualFailure], text: BounceText) -> [TextualFailure] {
        guard failures.contains(where: { $0.diagnostic == StructuralBounceText.noDetails }) else { return failures }
        var replies: [String: String] = [:]
        for finding in StructuralBounceText.findings(in: text) where finding.strength >= 2 {
            let key = finding.recipient.lowercased()
            if replies[key] == nil { replies[key] = finding.diagnostic }
        }
        return failures.map { failure in
            guard failure.diagnostic == StructuralBounceText.noDetails, let reply = replies[failure.recipient.lowercased()] else { return failure }
            var improved = failure
            improved.diagnostic = reply
            return improved
        }
    }

    /// `X-Failed-Recipients` is the MTA's own list: recipients it names that the text did not tie
    /// to an explanation still failed, with the text's first reply as the reason.
    private static func withFailedRecipientsHeader(_ failures: [TextualFailure], text: BounceText) -> [TextualFailure] {
        let listed = text.failedRecipientsHeader.filter { RecipientAddress.isMailSystemAccount($0) == false }
        guard !listed.isEmpty else { return failures }
        var result = failures
        var known = Set(failures.map { $0.recipient.lowercased() })
        var shared: String?? = nil
        for address in listed where known.insert(address.lowercased()).inserted {
            if shared == nil { shared = .some(StructuralBounceText.firstReply(in: text.lines) ?? firstFailureSentence(in: text)) }
            result.append(TextualFailure(
                recipient: address, diagnostic: shared.flatMap { $0 } ?? StructuralBounceText.noDetails,
                remoteMTA: nil, kind: text.failureKind))
        }
        return result
    }

    /// The first line that says what went wrong, for bounces that give no reply code.
    static func firstFailureSentence(in text: BounceText) -> String? {
        text.lines.lazy.map { $0.trimmed }.first { line in
            !line.isEmpty && StructuralBounceText.hasFailureWording(line)
        }
    }
}
