import Foundation

/// Turns Postfix log lines into events: `status=bounced` → bounce, `status=deferred` → deferral,
/// `status=expired` → bounce. Remembers each queue id's Message-ID (cleanup) and sender (qmgr),
/// in a bounded map, to attach them to later delivery lines.
public struct PostfixLogParser: Sendable {
    /// Supplies the year of classic syslog timestamps (normally "now").
    public let referenceDate: Date
    /// The zone classic syslog timestamps are written in.
    public let timeZone: TimeZone
    private let clock: LogClock
    private var queue: BoundedRecall<QueueEntry>

    private struct QueueEntry: Sendable {
        var messageID: String?
        var sender: String?
    }

    public init(referenceDate: Date = Date(), timeZone: TimeZone = TimeZone(secondsFromGMT: 0)!, rememberedQueueIDs: Int = 100_000) {
        self.referenceDate = referenceDate
        self.timeZone = timeZone
        clock = LogClock(reference: referenceDate, timeZone: timeZone)
        queue = BoundedRecall(capacity: rememberedQueueIDs)
    }

    /// How many queue ids are currently remembered.
    public var rememberedCount: Int { queue.count }

    /// What the parser remembers, to be saved between runs (see `PostfixLogState`).
    public var queueMemory: PostfixQueueMemory {
        PostfixQueueMemory(entries: queue.entriesOldestFirst.map {
            PostfixQueueMemory.Entry(queueID: $0.key, messageID: $0.value.messageID, sender: $0.value.sender)
        })
    }

    /// Adds saved entries (oldest first), keeping anything already learnt from newer lines.
    public mutating func remember(_ memory: PostfixQueueMemory) {
        for entry in memory.entries {
            queue.update(entry.queueID) { current in
                current = QueueEntry(messageID: current?.messageID ?? entry.messageID, sender: current?.sender ?? entry.sender)
            }
        }
    }

    /// The event a line describes, or nil for every other line (after noting ids it carries).
    public mutating func parse(line: String) -> IngestedEvent? {
        // Most lines of a mail log are irrelevant; byte searches reject them cheaply.
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == ASCII.lf || last == ASCII.cr { bytes.removeLast() }
        if let record = Self.record(in: bytes, marker: Self.messageIDMarker) {
            let id = AddressText.stripAngles(String(record.value.prefix { !$0.isWhitespace && $0 != "," }))
            if !id.isEmpty { queue.update(record.queueID) { $0 = QueueEntry(messageID: id, sender: $0?.sender) } }
            return nil
        }
        if let record = Self.record(in: bytes, marker: Self.fromMarker) {
            let sender = String(record.value.prefix { $0 != ">" })
            if !sender.isEmpty { queue.update(record.queueID) { $0 = QueueEntry(messageID: $0?.messageID, sender: sender) } }
            return nil
        }
        if let record = Self.record(in: bytes, marker: Self.removedMarker) {
            queue.forget(record.queueID)
            return nil
        }
        guard let status = Self.find(Self.statusMarker, in: bytes), let kind = Self.kind(bytes, statusAt: status),
            let record = Self.record(in: bytes, marker: Self.toMarker)
        else { return nil }
        return delivery(queueID: record.queueID, fields: "to=<" + record.value, kind: kind, line: Substring(String(decoding: bytes, as: UTF8.self)))
    }

    private static let messageIDMarker = Array(": message-id=".utf8)
    private static let fromMarker = Array(": from=<".utf8)
    private static let removedMarker = Array(": removed".utf8)
    private static let toMarker = Array(": to=<".utf8)
    private static let statusMarker = Array(" status=".utf8)

    private static func kind(_ bytes: [UInt8], statusAt index: Int) -> EventKind? {
        let word = bytes[(index + statusMarker.count)...].prefix { $0 != ASCII.space && $0 != UInt8(ascii: ",") }
        switch String(decoding: word, as: UTF8.self) {
        case "bounced", "expired": return .bounce
        case "deferred": return .deferral
        default: return nil
        }
    }

    private func delivery(queueID: String, fields: String, kind: EventKind, line: Substring) -> IngestedEvent? {
        guard let statusRange = fields.range(of: " status=") else { return nil }
        let afterStatus = fields[statusRange.upperBound...]
        let word = afterStatus.prefix { !$0.isWhitespace && $0 != "," }
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
            occurredAt: LogTimestamp.parse(line, clock: clock),
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
    private static func record(in bytes: [UInt8], marker: [UInt8]) -> (queueID: String, value: Substring)? {
        guard let index = find(marker, in: bytes) else { return nil }
        let queueID = bytes[..<index].reversed().prefix { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
        guard queueID.count >= 5 else { return nil }
        return (String(decoding: queueID.reversed(), as: UTF8.self), Substring(String(decoding: bytes[(index + marker.count)...], as: UTF8.self)))
    }

    /// The index of the first occurrence of `marker` in `bytes`.
    static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = marker.first, bytes.count >= marker.count else { return nil }
        var index = 0
        let last = bytes.count - marker.count
        while index <= last {
            if bytes[index] == first, bytes[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index += 1
        }
        return nil
    }
}
