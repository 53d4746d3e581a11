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

    /// Longer lines are not read: no MTA writes its explanation that way.
    static let maximumLineBytes = 2_000
    /// A line naming more addresses than this is a header list, not a failure per address.
    static let maximumAddressesPerLine = 16

    /// Paragraph look-ups per message for sentences wrapped over lines: a list of hundreds of
    /// addresses must not make the reading quadratic.
    static let maximumWrappedSentenceLookups = 32

    /// The sentence around an address whose line alone says nothing, when the whole sentence says
    /// delivery to it failed and names no other address.
    static func wrappedFailureSentence(at index: Int, naming address: String, in lines: [Substring], lookups: inout Int) -> String? {
        let neighbours = (index > 0 && !lines[index - 1].trimmed.isEmpty) || (index + 1 < lines.count && !lines[index + 1].trimmed.isEmpty)
        guard neighbours else { return nil }
        lookups += 1
        guard let sentence = RecipientSentence.sentence(at: index, naming: address, in: lines),
            hasDeliveryFailurePhrase(sentence.lowercased()),
            MailAddressScanner.addresses(in: Substring(sentence), limit: 2).count == 1
        else { return nil }
        return sentence
    }

    /// What a reader records when it found a recipient but no words for the failure.
    static let noDetails = "delivery failed (no details given)"

    static func failures(in text: BounceText, excluding: Set<String> = [], addressedInOriginal: Set<String> = []) -> [TextualFailure] {
        findings(in: text, excluding: excluding, addressedInOriginal: addressedInOriginal).map {
            TextualFailure(recipient: $0.recipient, diagnostic: $0.diagnostic, remoteMTA: $0.remoteMTA, kind: text.failureKind)
        }
    }

    /// The best finding per recipient, in order of first appearance. A service account (`abuse@`,
    /// `support@`) is usually a contact the notice names, but it failed when the returned message was
    /// addressed to it (`addressedInOriginal`, lower-cased): reports forwarded to `abuse@` bounce too.
    static func findings(in text: BounceText, excluding: Set<String> = [], addressedInOriginal: Set<String> = []) -> [Finding] {
        let lines = text.lines
        let ownAddresses = text.ownAddresses
        var best: [String: Finding] = [:]
        var order: [String] = []
        func offer(_ finding: Finding) {
            let key = finding.recipient.lowercased()
            guard !excluding.contains(key), !ownAddresses.contains(key),
                !RecipientAddress.isMailSystemAccount(finding.recipient),
                !isServiceAccount(finding.recipient) || addressedInOriginal.contains(key)
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
            let found = firstReply(in: lines) ?? SessionTranscript.failure(in: lines)
            messageReply = .some(found)
            return found
        }

        var labelled: String??
        func labelledReasonOnce() -> String? {
            if let labelled { return labelled }
            let found = labelledReason(in: lines)
            labelled = .some(found)
            return found
        }
        // Looked for only when a line has MDaemon's `*  To:` shape: most bounces have no transcript.
        var hasTranscript: Bool?
        func inTranscript() -> Bool {
            if let hasTranscript { return hasTranscript }
            let found = SessionTranscript.hasTranscript(lines)
            hasTranscript = found
            return found
        }
        // A pasted original message the copy markers missed starts with its trace fields: nothing below
        // them is the bounce's own report.
        let end = lines.firstIndex(where: startsOriginalHeaders) ?? lines.endIndex
        var wrappedSentenceLookups = 0
        for (index, line) in lines[..<end].enumerated() where line.utf8.contains(UInt8(ascii: "@")) {
            // A bounce explains a failure in lines of ordinary length; a huge line (a pasted blob, a
            // list of thousands) would make the per-address work below quadratic.
            if line.utf8.count > maximumLineBytes || isHeaderFieldLine(line) { continue }
            let lowerLine = line.lowercased()
            let advises = Self.advisoryWords.contains(where: { lowerLine.containsBytes(of: $0) })
            for found in MailAddressScanner.addresses(in: line, limit: maximumAddressesPerLine) {
                let before = found.before.lowercased()
                // An address after advice ("for assistance contact postmaster@…") is a contact; one before it
                // ("your message to bob@… cannot be delivered, please contact …") may still have failed.
                if advises, Self.advisoryWords.contains(where: { before.containsBytes(of: $0) }) { continue }
                // Sendmail's failed pipe or file: `|/usr/bin/procmail`, `(reason: …)`, `(expanded from: <bob@…>)`.
                if before.hasSuffix("(expanded from: <"), let reason = localDeliveryReason(above: index, in: lines) {
                    offer(Finding(recipient: found.address, diagnostic: reason, remoteMTA: nil, strength: 2))
                    continue
                }
                // The sender named in a sentence ("a message from news@… was rejected") did not fail.
                if isSenderMention(before) { continue }
                // The alias an address came from is not a second failure.
                if before.hasSuffix("expanded from <") || before.hasSuffix("expanded from: <") || before.hasSuffix("generated from ") {
                    continue
                }
                let after = leadingPunctuationDropped(found.after)
                // A session transcript: RCPT TO:<address> answered on the next line.
                if before.containsBytes(of: "rcpt to") {
                    var answered = false
                    for (offset, answer) in lines[(index + 1)...].prefix(3).enumerated() {
                        let answerText = String(answer)
                        guard let start = ReplyText.replyStart(in: answerText), let code = ReplyText.leadingCode(answerText[start...])
                        else { continue }
                        answered = true
                        if code >= 400 {
                            var reply = diagnostic(from: String(answerText[start...]))
                            if ReplyText.enhancedStatus(in: reply) == nil,
                                let summary = SessionTranscript.summaryLine(after: index + 1 + offset, code: code, address: found.address, in: lines)
                            {
                                reply = summary
                            }
                            offer(Finding(recipient: found.address, diagnostic: reply, remoteMTA: nil, strength: 3))
                        }
                        break
                    }
                    // James's "Message details" list the RCPT TO and give the error further down.
                    if !answered, let reply = sharedReply() {
                        offer(Finding(recipient: found.address, diagnostic: reply, remoteMTA: nil, strength: 1))
                    }
                    continue
                }
                // MDaemon's transcript records the envelope recipient it was delivering to.
                if before.utf8.contains(UInt8(ascii: "*")), SessionTranscript.isEnvelopeRecipientLead(before, inTranscript: inTranscript()) {
                    offer(Finding(recipient: found.address, diagnostic: sharedReply() ?? noDetails, remoteMTA: nil, strength: 1))
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
                    let following = block(after: index, in: lines, indentation: line.indentation)
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
                    // A reason the notice labels as such (masqmail's hint, Domino's "Failure Reasons") outranks
                    // whatever paragraph happens to follow the list.
                    if following.isEmpty, sameLine.isEmpty, let reason = labelledReasonOnce() {
                        offer(Finding(recipient: found.address, diagnostic: reason, remoteMTA: nil, strength: hasReply(reason) ? 3 : 2))
                        continue
                    }
                    if following.isEmpty, sameLine.isEmpty, let reason = reasonParagraph(after: index, in: lines) {
                        offer(Finding(recipient: found.address, diagnostic: diagnostic(from: reason), remoteMTA: nil,
                                      strength: hasReply(reason) ? 3 : 2))
                        continue
                    }
                    // IMail's `Unknown user: bob@example.net`: the label is the reason.
                    // A label that only says it failed ("Failed address:") takes the notice's reply.
                    if hasFailureWording(before) {
                        let reason = isGenericFailureLabel(before) ? sharedReply() ?? line.trimmed : line.trimmed
                        offer(Finding(recipient: found.address, diagnostic: reason, remoteMTA: nil, strength: 2))
                        continue
                    }
                    guard sameLine.isEmpty || sameLine.allSatisfy({ ",;".contains($0) }) else { continue }
                    // The reason stated once under a label of its own (Domino's "Failure Reasons",
                    // Coremail's "退信原因：") explains every recipient the notice lists.
                    if let reason = labelledReasonOnce() {
                        offer(Finding(recipient: found.address, diagnostic: reason, remoteMTA: nil, strength: hasReply(reason) ? 3 : 2))
                        continue
                    }
                    // A list shares its heading: found once, not once per address.
                    let heading: String?
                    if let (listed, shared) = listHeading, lines[(listed + 1)..<index].allSatisfy({ $0.trimmed.isEmpty }) {
                        heading = shared
                    } else {
                        heading = Self.heading(before: index, in: lines)
                    }
                    listHeading = (index, heading)
                    if let heading, hasFailureWording(heading) {
                        // A heading that only introduces the list ("… did not receive this message:") may
                        // have the reason above it.
                        let above = heading.hasSuffix(":") ? reasonAboveHeading(before: index, in: lines) : nil
                        let reason = sharedReply() ?? above ?? heading
                        offer(Finding(recipient: found.address, diagnostic: reason, remoteMTA: nil, strength: 1))
                    } else if isGenericFailureLabel(before), let notice = noticeSentence(before: index, in: lines) {
                        // A gateway's policy notice: "… has blocked the message below …", then a field
                        // block naming `Recipient(s): bob@…`.
                        offer(Finding(recipient: found.address, diagnostic: sharedReply() ?? notice, remoteMTA: nil, strength: 1))
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
                    } else if let reason = reasonParagraph(after: index, in: lines), reason.utf8.count <= 240 {
                        // dma: "There was an error delivering your mail to <bob@…>." then the reason in a
                        // paragraph of its own ("DNS lookup failure: host example.invalid not found").
                        offer(Finding(recipient: found.address, diagnostic: diagnostic(from: reason), remoteMTA: nil, strength: 2))
                    } else {
                        let whole = RecipientSentence.sentence(at: index, naming: found.address, in: lines) ?? sentence(from: index, in: lines)
                        offer(Finding(recipient: found.address, diagnostic: whole, remoteMTA: nil, strength: 1))
                    }
                } else if wrappedSentenceLookups < maximumWrappedSentenceLookups,
                    let wrapped = wrappedFailureSentence(at: index, naming: found.address, in: lines, lookups: &wrappedSentenceLookups)
                {
                    // The sentence is wrapped so that no one line says delivery failed ("… не может быть\nдоставлено: …").
                    let reply = replyParagraph(after: index, in: lines, address: found.address)
                    offer(Finding(recipient: found.address, diagnostic: reply ?? wrapped, remoteMTA: reply.flatMap(EximBounceText.remoteHost),
                                  strength: reply == nil ? 1 : 2))
                }
            }
        }
        return order.compactMap { best[$0] }
    }
}
