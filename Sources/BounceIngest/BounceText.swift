import Foundation

/// The human-readable text of a bounce, cut where the copy of the original message begins,
/// with the clues the dialect parsers share.
struct BounceText: Sendable {
    /// Lines before the copy of the original message, without line terminators.
    let lines: [Substring]
    /// The text after a "copy of the message follows" marker, if any.
    let originalCopy: Substring?
    let subject: String
    /// Sent by a mailer daemon, titled like a bounce, or a multipart/report.
    let looksLikeBounce: Bool
    /// `Return-Path: <>`: bounces have it, but so do RFC 3834 auto-replies, so it is weak evidence.
    let hasNullReturnPath: Bool
    /// A "still trying" warning rather than a final failure.
    let isDelayNotice: Bool
    /// The bounce's own header fields.
    private let headers: HeaderFields

    /// The bounce's own correspondents (From, To, Reply-To, Sender): the original sender being
    /// told, or the mail system telling; never a failed recipient. Lower-cased; computed on demand,
    /// as only the structural fallback needs them.
    var ownAddresses: Set<String> {
        var result: Set<String> = []
        for name in ["From", "To", "Reply-To", "Sender"] {
            for value in headers.values(name) {
                for found in MailAddressScanner.addresses(in: Substring(value)) { result.insert(found.address.lowercased()) }
            }
        }
        return result
    }

    /// Addresses named by an `X-Failed-Recipients` header (Exim, Google), in order.
    var failedRecipientsHeader: [String] {
        headers.values("X-Failed-Recipients").flatMap(AddressText.mailboxes)
    }
    private let lowercased: String

    /// Marker lines after which MTAs paste the returned message (or its headers).
    private static let copyMarkers = [
        "this is a copy of the message", "below this line is a copy of the message", "original message headers:",
        "----- original message -----", "this is a copy of your message", "------ original message",
        "the headers of the original message", "----- message header follows -----",
        "unsent message follows", "original message follows", "message headers follow",
        "below is a copy of the original message", "header of the original message is following",
        "unsent message below", "message text follows", "returned message follows", "returned message --",
        "here is listed the initial part of the message",
        // ITS COMSAT's "============ Failed message follows: ============".
        "failed message follows",
        "исходное сообщение", "заголовки исходного сообщения", "копия исходного сообщения", "текст исходного сообщения",
    ]
    private static let bounceSubjects = [
        "undeliver", "undelivered", "delivery status notification", "failure notice", "returned mail",
        "mail delivery failed", "delivery failure", "unzustellbar", "non remis", "delayed mail",
        "could not send message", "nondeliverable", "delivery has failed", "message not delivered",
        "mail delivery problem", "delivery notification", "warning: message",
        "mail failure", "non-delivery", "not deliverable", "could not be delivered", "mail system error",
        "delivery report", "mail delivery status", "permanent error", "undeliverable mail", "failed delivery",
        // Russian, Chinese and Gromox's own titles ("Delivery failure, user doesn't exist!").
        "не доставлен", "недоставлен", "невозможно доставить", "ошибка доставки", "уведомление о недоставке",
        "投递失败", "投遞失敗", "退信", "possible delivery error", "error report from",
    ]
    private static let bounceSenders = [
        "mailer-daemon", "postmaster", "mail delivery subsystem", "mail delivery system", "courier mail server",
        "post_master", "mailer daemon", "mail administrator", "mail delivery service", "mdaemon@",
    ]
    private static let delayPhrases = [
        "(delay)", "delayed mail", "delivery delayed", "this is a warning only", "has not yet been delivered",
        "will retry", "will keep trying", "delivery incomplete", "has been delayed", "still being retried",
        "not yet been delivered", "warning: message", "not delivered yet", "temporary problem delivering",
        "is delayed for more than", "temporary failure report", "delivery delay",
        // MDaemon: "The attached message had TEMPORARY non-fatal delivery errors … THIS IS A WARNING MESSAGE ONLY".
        "warning message only", "temporary non-fatal", "temporary delivery failure", "automatically retry delivery",
        "attempts to deliver this message are pending",
        // masqmail's warning (tpl/warnmsg.tpl*): "could not yet be delivered … has been defered" in every language.
        "could not yet be delivered", "could not yet send", "has been defered", "has been deferred", "will be tried again",
        // Localised delay notices (Exchange's "Delivery to the following recipients has been delayed" in Russian,
        // German, French and Spanish; Russian robots' "not delivered yet").
        "задерживается", "пока не доставлено", "ещё не доставлено", "еще не доставлено", "verzögert", "est retardée",
        "se ha retrasado",
    ]

    /// At most this much text is examined; bounce explanations sit at the top.
    static let maximumCharacters = 256 * 1024

    init(root: MIMEPart) {
        var plain: [String] = []
        var html: [String] = []
        root.walk { part in
            // Attached files (logs, CSVs) are not the MTA's explanation; plain text always counts,
            // since some MTAs mark their whole notice as an attachment.
            guard part.mediaType.type == "text", !part.isHeadersOnly else { return }
            let isAttachment = part.headers["Content-Disposition"]?.lowercased().hasPrefix("attachment") == true
            switch part.mediaType.subtype {
            case "plain": plain.append(String(part.text.prefix(Self.maximumCharacters)))
            case "html" where !isAttachment: html.append(String(part.text.prefix(Self.maximumCharacters)))
            default: break
            }
        }
        // An empty text/plain alternative beside the real HTML notice does not count as text.
        let plainHasText = plain.contains { $0.utf8.contains { $0 > ASCII.space } }
        let chosen = plainHasText || html.isEmpty ? plain : html.map(HTMLText.plain)
        // Split on the byte: as Characters, "\r\n" is one grapheme that a split on "\n" never finds,
        // which made every CRLF text bounce one long line.
        let joined = chosen.joined(separator: "\n")
        let allLines = joined.utf8.split(separator: ASCII.lf, omittingEmptySubsequences: false).map { line in
            Substring(line.last == ASCII.cr ? line.dropLast() : line)
        }
        let markerIndex = allLines.firstIndex { line in
            let lower = line.lowercased()
            return Self.copyMarkers.contains { lower.containsBytes(of: $0) }
        }
        if let markerIndex {
            lines = Array(allLines[..<markerIndex])
            originalCopy = Substring(allLines[(markerIndex + 1)...].joined(separator: "\n"))
        } else {
            lines = allLines
            originalCopy = nil
        }
        lowercased = lines.joined(separator: "\n").lowercased()

        subject = root.headers["Subject"].map(EncodedWords.decode) ?? ""
        let lowerSubject = subject.lowercased()
        let from = (root.headers["From"] ?? "").lowercased()
        hasNullReturnPath = root.headers["Return-Path"].map { AddressText.stripAngles($0).isEmpty } ?? false
        looksLikeBounce = root.mediaType.essence == "multipart/report"
            || Self.bounceSenders.contains { from.containsBytes(of: $0) }
            || Self.bounceSubjects.contains { lowerSubject.containsBytes(of: $0) }
        headers = root.headers
        let introduction = String(lowercased.prefix(2_000))
        isDelayNotice = Self.delayPhrases.contains { lowerSubject.containsBytes(of: $0) || introduction.containsBytes(of: $0) }
    }

    /// Case-insensitive: does the text (before the copy marker) mention any of the phrases?
    /// The phrases are given in lower case (all callers pass constants), so they are not lowered here.
    func mentions(any phrases: [String]) -> Bool {
        phrases.contains { lowercased.containsBytes(of: $0) }
    }

    var failureKind: EventKind { isDelayNotice ? .deferral : .bounce }
}

/// Crude HTML to text, enough for NDRs that only come as HTML.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var output = ""
        var inTag = false
        var tag = ""
        for char in html {
            if inTag {
                if char == ">" {
                    inTag = false
                    let name = tag.lowercased().trimmingCharacters(in: "/ ").split(separator: " ").first ?? ""
                    if ["br", "p", "div", "tr", "li", "table", "h1", "h2", "h3"].contains(String(name)) { output += "\n" }
                } else {
                    tag.append(char)
                }
            } else if char == "<" {
                inTag = true
                tag = ""
            } else {
                output.append(char)
            }
        }
        return output.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
