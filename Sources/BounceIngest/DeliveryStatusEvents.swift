import Foundation

/// Turns an RFC 3464 report into drafts: one per failed or delayed recipient.
enum DeliveryStatusEvents {
    static func drafts(from report: DeliveryStatusReport, textual: [TextualFailure], text: BounceText)
        -> (drafts: [EventDraft], rejections: [RecipientAddress.Rejection])
    {
        let arrival = report.perMessage["Arrival-Date"].flatMap(MailDate.parse)
        let envelopeSender = report.perMessage["X-Postfix-Sender"].map(AddressText.fromTypedField)
            .flatMap { $0.utf8.contains(UInt8(ascii: "@")) ? $0 : nil }
        var rejections: [RecipientAddress.Rejection] = []
        var seen: Set<String> = []
        // Read the text once, and only when some recipient lacks a Diagnostic-Code.
        var textFindings: [String: String]?
        // Findings that only have a heading ("Delivery to the following recipients failed."): the last resort.
        var headingFindings: [String: String] = [:]
        func fromStructure(_ recipient: String) -> String? {
            if textFindings == nil {
                textFindings = [:]
                for finding in StructuralBounceText.findings(in: text) {
                    let key = finding.recipient.lowercased()
                    if finding.strength >= 2 {
                        if textFindings![key] == nil { textFindings![key] = finding.diagnostic }
                    } else if headingFindings[key] == nil, finding.diagnostic != StructuralBounceText.noDetails {
                        headingFindings[key] = finding.diagnostic
                    }
                }
            }
            return textFindings![recipient.lowercased()]
        }
        // A report about one recipient whose text never names it (Exchange writes the display name,
        // "Jane Doe (…)" or 'Jane Doe' on …): the text's one reply, or its first explanation, is that recipient's.
        let failedGroups = report.recipients.filter { kind(action: $0["Action"], status: $0["Status"].flatMap(ReplyText.enhancedStatus)) != nil }
        var soleExplanation: String?? = nil
        func explanationForSoleRecipient() -> String? {
            guard failedGroups.count == 1 else { return nil }
            if let soleExplanation { return soleExplanation }
            let found = StructuralBounceText.firstReply(in: text.lines) ?? firstExplanation(in: text.lines)
            soleExplanation = .some(found)
            return found
        }
        // Each look-up scans the text; a report listing hundreds of recipients stops looking after a few dozen.
        var sentenceLookups = 0
        func sentenceNaming(_ recipient: String) -> String? {
            guard sentenceLookups < StructuralBounceText.maximumWrappedSentenceLookups else { return nil }
            sentenceLookups += 1
            return RecipientSentence.sentence(naming: recipient, in: text.lines)
        }
        let drafts: [EventDraft] = report.recipients.compactMap { group in
            let status = group["Status"].flatMap(ReplyText.enhancedStatus)
            guard let kind = kind(action: group["Action"], status: status) else { return nil }
            let recipient: String
            switch self.recipient(of: group) {
            case .success(let address): recipient = address
            case .failure(let rejection):
                rejections.append(rejection)
                return nil
            }
            guard seen.insert(recipient.lowercased() + "|" + kind.rawValue).inserted else { return nil }
            let fromText = textual.first { $0.recipient.lowercased() == recipient.lowercased() }
            // Without a Diagnostic-Code the server's words are usually in the human-readable part.
            let localExit = group["Diagnostic-Code"].flatMap(LocalMailerExitStatus.exitStatus(ofDiagnosticCode:))
            let explained: String? = localExit.map { LocalMailerExitStatus.diagnostic(exitStatus: $0, recipient: recipient, in: text.lines) }
                ?? group["Diagnostic-Code"].map(untyped).flatMap { $0.isEmpty ? nil : $0 }
                ?? fromText?.diagnostic
                ?? fromStructure(recipient)
                ?? group["X-Display-Name"].flatMap { DisplayNameParagraph.explanation(for: $0, in: text.lines) }
                ?? sentenceNaming(recipient)
                ?? explanationForSoleRecipient()
            // A specific status says more than a list heading; a vague one (x.1.0, x.0.0) says less.
            let vagueStatus = status.map { $0.hasSuffix(".0") } ?? true
            let heading: String? = vagueStatus ? headingFindings[recipient.lowercased()] : nil
            let diagnostic = explained ?? heading ?? "\(group["Action"] ?? "failed") (status \(status ?? "unknown"))"
            return EventDraft(
                recipient: recipient, diagnostic: diagnostic, kind: kind, enhancedStatus: preciser(status, than: diagnostic),
                remoteMTA: group["Remote-MTA"].map(untyped).flatMap { $0.isEmpty ? nil : $0 } ?? fromText?.remoteMTA,
                occurredAt: group["Last-Attempt-Date"].flatMap(MailDate.parse) ?? arrival,
                sender: envelopeSender)
        }
        return (drafts, rejections)
    }

    /// The first line that explains a failure rather than introducing one: it has failure wording,
    /// does not end with ":", names no address and is not one of the openings every notice has.
    static func firstExplanation(in lines: [Substring]) -> String? {
        for line in lines.prefix(60) {
            let trimmed = line.trimmed
            guard !trimmed.isEmpty, !trimmed.hasSuffix(":"), !trimmed.utf8.contains(UInt8(ascii: "@")),
                StructuralBounceText.hasFailureWording(trimmed), !StructuralBounceText.isHeaderFieldLine(line)
            else { continue }
            let lower = trimmed.lowercased()
            if openingWords.contains(where: { lower.containsBytes(of: $0) }) { continue }
            return String(trimmed.prefix(RecipientSentence.maximumCharacters))
        }
        return nil
    }

    /// Openings that say only that something failed ("Your message did not reach some or all of the
    /// intended recipients.", "… could not be delivered to one or more recipients").
    static let openingWords = [
        "did not reach", "one or more", "some or all", "following", "automatically generated", "mail delivery",
        "delivery status notification", "this is the mail system", "returned mail", "undeliverable:",
    ]

    /// A generic `Status: 5.0.0` gives way to the reply's own `5.1.1` of the same class, and a subject-only
    /// `Status: 5.1.0` ("other address status", what Cisco Secure Email writes over a remote
    /// `550 5.1.1 … User unknown`) to the reply's status of the same class and subject.
    static func preciser(_ status: String?, than diagnostic: String) -> String? {
        guard let status, status.hasSuffix(".0"),
            let specific = EmbeddedReply.enhancedStatus(in: diagnostic) ?? ReplyText.enhancedStatus(in: diagnostic),
            specific.first == status.first, specific != status
        else { return status }
        if status.hasSuffix(".0.0") { return specific }
        let subject: (String) -> Substring? = { $0.split(separator: ".").dropFirst().first }
        return subject(status) == subject(specific) ? specific : status
    }

    /// Original-Recipient is what the sender addressed (before aliasing), so it is preferred when
    /// usable; a pipe, a file or a fragment in one field gives way to an address in another.
    private static func recipient(of group: HeaderFields) -> Result<String, RecipientAddress.Rejection> {
        var firstRejection: RecipientAddress.Rejection?
        for name in ["Original-Recipient", "Final-Recipient", "X-Actual-Recipient"] {
            guard let value = group[name].map(AddressText.fromTypedField), !value.isEmpty else { continue }
            switch RecipientAddress.validate(value) {
            case .success(let address): return .success(address)
            case .failure(let rejection):
                // An Original-Recipient without '@' is routine (a local alias); only report the others.
                if firstRejection == nil, name != "Original-Recipient" || value.utf8.contains(UInt8(ascii: "@")) || value.hasPrefix("|") {
                    firstRejection = rejection
                }
            }
        }
        return .failure(firstRejection ?? RecipientAddress.Rejection("the report names no recipient"))
    }

    /// failed → bounce, delayed → deferral, delivered/relayed/expanded → nothing to record.
    private static func kind(action: String?, status: String?) -> EventKind? {
        let word = action?.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "(" }).first.map(String.init)
        switch word {
        case "failed": return .bounce
        case "delayed": return .deferral
        case "delivered", "relayed", "expanded": return nil
        default:
            switch status?.first {
            case "2": return nil
            case "4": return .deferral
            default: return .bounce
            }
        }
    }

    /// `smtp; 550 5.1.1 ...` → `550 5.1.1 ...`; a field without a type is kept whole.
    static func untyped(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmed }
        let type = value[..<semicolon]
        guard !type.isEmpty, type.count <= 24, !type.utf8.contains(ASCII.space) else { return value.trimmed }
        return value[value.index(after: semicolon)...].trimmed
    }
}
