import Foundation

/// A bounce that reaches us inside another message: mailing-list managers forward the bounces they
/// could not process to the list owner with the bounce attached (L-Soft LISTSERV's "has been identified
/// as a possible delivery error notice", Mailman's "Uncaught bounce notification"), and people forward
/// bounces to a bounce mailbox. The attached bounce is read as if it had arrived itself, so the same
/// bounce gives the same event (and the same source key) whether it came wrapped or not.
enum EnclosedBounce {
    /// Wrappers are unwrapped this deep at most: a bounce inside a forwarded bounce, no further.
    static let maximumDepth = 2

    /// Words of list managers that say the attachment is a bounce they did not process.
    static let wrapperPhrases = [
        // L-Soft LISTSERV's owner notice: "The enclosed message, found in the LISTNAME mailbox and shown under
        // the spool ID … in the system log, has been identified as a possible delivery error notice for the
        // following reason: …" (its.uiowa.edu LISTSERV owner pages; jiscmail.ac.uk/help/owners/errormessages.html).
        "identified as a possible delivery error", "has been identified as a delivery error", "possible delivery error",
        // Mailman 2.1 and 3: "The attached message was received as a bounce, but either the bounce format was not
        // recognized, or no member addresses could be extracted from it."
        "was received as a bounce", "uncaught bounce notification",
    ]

    /// The events of the enclosed bounce: first when the wrapper says it forwards one, else only when
    /// the wrapper itself yielded nothing and the enclosed message presents itself as a bounce.
    static func outcome(of message: ParsedMessage, options: IngestOptions, depth: Int, onlyIfAnnounced: Bool) -> MessageOutcome? {
        guard depth < maximumDepth else { return nil }
        // The notice's opening, with its line breaks as spaces: the phrases are wrapped anywhere.
        let opening = (message.text.subject + " " + message.text.lines.prefix(40).joined(separator: " ")).collapsingWhitespace.lowercased()
        let announced = wrapperPhrases.contains { opening.containsBytes(of: $0) }
        if onlyIfAnnounced, !announced { return nil }
        var enclosed: [MIMEPart] = []
        message.root.walk { part in
            if part.isEmbeddedMessage, enclosed.count < 4 { enclosed.append(part) }
        }
        var candidates = enclosed.map { Array($0.decodedBody) }
        // A wrapper that is not MIME-aware, or a forward by hand, pastes the bounce into its text instead.
        if announced || isForward(message.text.subject), candidates.isEmpty, let pasted = pastedMessage(in: message.root) {
            candidates.append(pasted)
        }
        for bytes in candidates {
            guard case .success(let inner) = ParsedMessage.make(bytes) else { continue }
            // Unannounced, only a message that calls itself a bounce is read: the original message a
            // bounce returns is ordinary mail and must not be searched for failures.
            guard announced || inner.text.looksLikeBounce else { continue }
            let outcome = BounceReader.outcome(inner, options: options, depth: depth + 1)
            if !outcome.events.isEmpty { return outcome }
        }
        return nil
    }

    /// "Fwd: …", "Fw: …", "WG: …", "TR: …", "RV: …": a message someone forwarded by hand.
    static func isForward(_ subject: String) -> Bool {
        let lower = subject.lowercased().trimmed
        return ["fwd:", "fw:", "wg:", "tr:", "rv:", "enc:", "i:"].contains { lower.hasPrefix($0) }
    }

    /// A message pasted into the wrapper's text: from the first run of at least three header lines
    /// (`Received:`, `From:`, `Subject:` …) to the end of that text part.
    static func pastedMessage(in root: MIMEPart) -> [UInt8]? {
        var texts: [String] = []
        root.walk { part in
            if part.mediaType.essence == "text/plain" || part.mediaType.essence == "text/rfc822-headers", texts.count < 4 { texts.append(part.text) }
        }
        return texts.lazy.compactMap(pastedMessage(in:)).first
    }

    private static func pastedMessage(in text: String) -> [UInt8]? {
        let lines = text.utf8.split(separator: ASCII.lf, omittingEmptySubsequences: false)
        var index = 0
        while index + 2 < lines.count {
            if lines[index...(index + 2)].allSatisfy(isHeaderLine) {
                let start = lines[index].startIndex
                return Array(text.utf8[start...])
            }
            index += 1
        }
        return nil
    }

    /// `Name: value` with a name of letters, digits and hyphens starting at the line's first byte,
    /// or a folded continuation line.
    private static func isHeaderLine(_ line: Substring.UTF8View.SubSequence) -> Bool {
        guard let first = line.first else { return false }
        if first == ASCII.space || first == ASCII.tab { return line.contains { $0 > ASCII.space } }
        guard let colon = line.firstIndex(of: ASCII.colon), colon != line.startIndex, line.distance(from: line.startIndex, to: colon) <= 40
        else { return false }
        return line[..<colon].allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == ASCII.hyphen
        }
    }
}
