import Foundation

/// Turns Postfix log lines into events: `status=bounced` → bounce, `status=deferred` → deferral,
/// `status=expired` → bounce. Remembers each queue id's Message-ID (cleanup) and sender (qmgr),
/// in a bounded map, to attach them to later delivery lines.
public struct PostfixLogParser: Sendable {
    /// Supplies the year of classic syslog timestamps (normally "now").
    public var referenceDate: Date
    /// The zone classic syslog timestamps are written in.
    public var timeZone: TimeZone
    private var queue: BoundedRecall<QueueEntry>

    private struct QueueEntry: Sendable {
        var messageID: String?
        var sender: String?
    }

    public init(referenceDate: Date = Date(), timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!, rememberedQueueIDs: Int = 100_000) {
        self.referenceDate = referenceDate
        self.timeZone = timeZone
        queue = BoundedRecall(capacity: rememberedQueueIDs)
    }

    /// How many queue ids are currently remembered.
    public var rememberedCount: Int { queue.count }

    /// The event a line describes, or nil for every other line (after noting ids it carries).
    public mutating func parse(line: String) -> IngestedEvent? {
        let text = Substring(line.trimmingCharacters(in: "\r\n"))
        if let record = record(in: text, marker: ": message-id=") {
            let id = AddressText.stripAngles(String(record.value.prefix { !$0.isWhitespace && $0 != "," }))
            if !id.isEmpty { queue.update(record.queueID) { $0 = QueueEntry(messageID: id, sender: $0?.sender) } }
            return nil
        }
        if let record = record(in: text, marker: ": from=<") {
            let sender = String(record.value.prefix { $0 != ">" })
            if !sender.isEmpty { queue.update(record.queueID) { $0 = QueueEntry(messageID: $0?.messageID, sender: sender) } }
            return nil
        }
        if let record = record(in: text, marker: ": removed") {
            queue.forget(record.queueID)
            return nil
        }
        guard let record = record(in: text, marker: ": to=<") else { return nil }
        return delivery(queueID: record.queueID, fields: "to=<" + record.value, line: text)
    }

    private func delivery(queueID: String, fields: String, line: Substring) -> IngestedEvent? {
        guard let statusRange = fields.range(of: " status=") else { return nil }
        let afterStatus = fields[statusRange.upperBound...]
        let word = afterStatus.prefix { !$0.isWhitespace && $0 != "," }
        let kind: EventKind
        switch word {
        case "bounced", "expired": kind = .bounce
        case "deferred": kind = .deferral
        default: return nil
        }
        var values: [String: String] = [:]
        for pair in fields[..<statusRange.lowerBound].split(separator: ",") {
            let trimmed = pair.trimmed
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            values[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let recipient = values["to"].map(AddressText.stripAngles), !recipient.isEmpty else { return nil }
        var reply = afterStatus.dropFirst(word.count).trimmed
        if reply.hasPrefix("("), reply.hasSuffix(")") { reply = String(reply.dropFirst().dropLast()) }
        let diagnostic = Self.serverText(reply)
        let relay = values["relay"].flatMap { $0 == "none" ? nil : String($0.prefix { $0 != "[" }) }
        let status = values["dsn"].flatMap(ReplyText.enhancedStatus)
        let code = ReplyText.leadingCode(diagnostic)
        let entry = queue[queueID]
        return IngestedEvent(
            sourceKey: SourceKey.make(basis: "postfix-log:" + line, recipient: recipient, kind: kind, status: status, code: code),
            occurredAt: LogTimestamp.parse(line, reference: referenceDate, timeZone: timeZone),
            recipient: recipient, sender: entry?.sender, messageID: entry?.messageID, campaignID: nil,
            smtpCode: code, enhancedStatus: status, diagnostic: diagnostic.isEmpty ? String(word) : diagnostic,
            remoteMTA: relay.flatMap { $0.isEmpty ? nil : $0 }, kind: kind)
    }

    /// `host mx[1.2.3.4] said: 550 5.1.1 ... (in reply to RCPT TO command)` → `550 5.1.1 ...`.
    static func serverText(_ reply: String) -> String {
        var text = Substring(reply)
        if let said = text.range(of: " said: ") { text = text[said.upperBound...] }
        if let inReply = text.range(of: "(in reply to ", options: .backwards) { text = text[..<inReply.lowerBound] }
        return text.trimmed
    }

    /// Finds `QUEUEID<marker>` and returns the queue id and the text after the marker.
    private func record(in line: Substring, marker: String) -> (queueID: String, value: Substring)? {
        guard let range = line.range(of: marker) else { return nil }
        let before = line[..<range.lowerBound]
        let queueID = before.reversed().prefix { $0.isLetter || $0.isNumber }
        guard queueID.count >= 5 else { return nil }
        return (String(queueID.reversed()), line[range.upperBound...])
    }
}
