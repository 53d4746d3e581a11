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
    private static let statusTypes: Set<String> = ["message/delivery-status", "message/global-delivery-status"]

    static func outcome(_ message: ParsedMessage, options: IngestOptions) -> MessageOutcome {
        let text = message.text
        let headers = message.root.headers
        let autoReply = AutoReplyDetector.reason(headers: headers, subject: text.subject)
        // DSNs carry Auto-Submitted too, so headers alone only decide when nothing looks like a bounce.
        if autoReply != nil, !text.looksLikeBounce { return .autoReply }

        let original = OriginalMessage.find(in: message.root, text: text, options: options)
        let assembler = EventAssembler(root: message.root, original: original, bytes: message.bytes)
        let textual = BounceTextDialects.failures(in: text)

        if let statusPart = message.root.first(where: { statusTypes.contains($0.mediaType.essence) }) {
            let report = DeliveryStatusReport.parse(statusPart.decodedBody)
            let events = assembler.makeEvents(DeliveryStatusEvents.drafts(from: report, textual: textual))
            if !events.isEmpty { return .events(events) }
            if !report.recipients.isEmpty {
                return .notABounce(reason: "delivery status report with no failed or delayed recipient")
            }
        }
        if !textual.isEmpty {
            let drafts = textual.map {
                EventDraft(recipient: $0.recipient, diagnostic: $0.diagnostic, kind: $0.kind, remoteMTA: $0.remoteMTA)
            }
            return .events(assembler.makeEvents(drafts))
        }
        if text.looksLikeBounce || text.hasNullReturnPath {
            return .unreadable(reason: "looks like a bounce (subject \"\(text.subject)\") but names no failed recipient")
        }
        return .notABounce(reason: "no delivery status report, no known bounce text and no auto-reply marker")
    }
}
