/// An enhanced mail system status code (RFC 3463, registry in RFC 5248): `class.subject.detail`.
///
/// Only well-formed codes exist as values: class 2, 4 or 5, subject and detail 0–999, ASCII digits
/// only, no leading/trailing junk. Anything else (`5.1`, `5.1.1.1`, `abc`, full-width digits) in a
/// recorded status field is treated as absent by the classifier; only in the text are full-width
/// digits read, through `ResponseParser`'s folded copy.
public struct EnhancedStatus: Sendable, Hashable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public let statusClass: Int
    /// The subject: 0 other, 1 addressing, 2 mailbox, 3 mail system, 4 network/routing,
    /// 5 protocol, 6 content/media, 7 security/policy.
    public let subject: Int
    /// The detail within the subject.
    public let detail: Int

    /// Creates a status when the three parts are in range, else `nil`.
    public init?(statusClass: Int, subject: Int, detail: Int) {
        guard statusClass == 2 || statusClass == 4 || statusClass == 5,
              (0...999).contains(subject), (0...999).contains(detail) else { return nil }
        self.statusClass = statusClass
        self.subject = subject
        self.detail = detail
    }

    /// Parses exactly `class.subject.detail`, surrounding ASCII spaces allowed; `nil` when malformed.
    public init?(_ text: String) {
        var copy = text
        guard let parsed = copy.withUTF8({ EnhancedStatus(bytes: $0) }) else { return nil }
        self = parsed
    }

    public var description: String { "\(statusClass).\(subject).\(detail)" }

    /// A single integer that orders and indexes statuses: `class * 1_000_000 + subject * 1000 + detail`.
    var packed: Int { statusClass * 1_000_000 + subject * 1000 + detail }

    /// Reads `D.D{1,3}.D{1,3}` starting exactly at `index`; returns the status and its byte length.
    /// Does not look at the bytes around it: callers decide what counts as a token boundary.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (EnhancedStatus, Int)? {
        var position = index
        guard position < bytes.count else { return nil }
        let classDigit = Int(bytes[position]) - 0x30
        guard classDigit == 2 || classDigit == 4 || classDigit == 5 else { return nil }
        position += 1
        guard position < bytes.count, bytes[position] == 0x2E else { return nil }
        position += 1
        guard let (subject, subjectLength) = number(bytes, at: position) else { return nil }
        position += subjectLength
        guard position < bytes.count, bytes[position] == 0x2E else { return nil }
        position += 1
        guard let (detail, detailLength) = number(bytes, at: position) else { return nil }
        position += detailLength
        guard let status = EnhancedStatus(statusClass: classDigit, subject: subject, detail: detail) else { return nil }
        return (status, position - index)
    }

    /// One to three ASCII digits; a fourth digit makes the whole token malformed.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Int, Int)? {
        var value = 0
        var length = 0
        while index + length < bytes.count, isDigit(bytes[index + length]) {
            if length == 3 { return nil }
            value = value * 10 + Int(bytes[index + length] - 0x30)
            length += 1
        }
        return length == 0 ? nil : (value, length)
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

extension EnhancedStatus {
    /// Parses exactly `class.subject.detail` from raw bytes (surrounding spaces allowed); `nil` when malformed.
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard let (status, length) = EnhancedStatus.scan(bytes, at: start), start + length == end else { return nil }
        self = status
    }
}
