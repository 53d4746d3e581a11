/// A condition on the enhanced status code: exact (`5.7.1`), wildcard (`5.7.*`, `*.7.1`, `4.*.*`)
/// or a range of details (`5.7.606-649`).
struct StatusPattern: Sendable, Hashable, CustomStringConvertible {
    /// `nil` matches any class.
    let statusClass: Int?
    /// `nil` matches any subject (the detail must then be `*` too).
    let subject: Int?
    let details: ClosedRange<Int>

    /// Parses a pattern; `nil` when it is not one of the accepted forms.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        if parts[0] == "*" || parts[0] == "x" || parts[0] == "X" {
            statusClass = nil
        } else if let value = StatusPattern.number(parts[0]), value == 2 || value == 4 || value == 5 {
            statusClass = value
        } else {
            return nil
        }
        if parts[1] == "*" {
            guard parts[2] == "*" else { return nil }
            subject = nil
            details = 0...999
            return
        }
        guard let subjectValue = StatusPattern.number(parts[1]) else { return nil }
        subject = subjectValue
        if parts[2] == "*" {
            details = 0...999
        } else if let dash = parts[2].firstIndex(of: "-") {
            guard let low = StatusPattern.number(String(parts[2][..<dash])),
                  let high = StatusPattern.number(String(parts[2][parts[2].index(after: dash)...])),
                  low <= high else { return nil }
            details = low...high
        } else if let value = StatusPattern.number(parts[2]) {
            details = value...value
        } else {
            return nil
        }
    }

    func matches(_ status: EnhancedStatus) -> Bool {
        if let statusClass, statusClass != status.statusClass { return false }
        if let subject, subject != status.subject { return false }
        return details.contains(status.detail)
    }

    /// How many codes the pattern covers: narrower patterns are more specific and are tried first.
    var width: Int { (statusClass == nil ? 3 : 1) * (subject == nil ? 1000 : 1) * details.count }

    var description: String {
        let classText = statusClass.map(String.init) ?? "*"
        guard let subject else { return "\(classText).*.*" }
        if details == 0...999 { return "\(classText).\(subject).*" }
        if details.count == 1 { return "\(classText).\(subject).\(details.lowerBound)" }
        return "\(classText).\(subject).\(details.lowerBound)-\(details.upperBound)"
    }

    /// One to three ASCII digits.
    private static func number(_ text: String) -> Int? {
        guard (1...3).contains(text.utf8.count), text.utf8.allSatisfy(isDigit) else { return nil }
        return Int(text)
    }
}

/// A condition on the SMTP reply code: exact (`550`), by leading digits (`5xx`, `55x`) or a range (`550-554`).
struct CodePattern: Sendable, Hashable, CustomStringConvertible {
    let codes: ClosedRange<Int>

    init?(_ text: String) {
        let lowered = text.lowercased()
        if let dash = lowered.firstIndex(of: "-") {
            guard let low = CodePattern.exact(String(lowered[..<dash])),
                  let high = CodePattern.exact(String(lowered[lowered.index(after: dash)...])),
                  low <= high else { return nil }
            codes = low...high
        } else if lowered.utf8.count == 3, lowered.hasSuffix("xx"), let first = CodePattern.digit(lowered.utf8.first!),
                  (2...5).contains(first) {
            codes = (first * 100)...(first * 100 + 99)
        } else if lowered.utf8.count == 3, lowered.hasSuffix("x"), let first = CodePattern.digit(lowered.utf8.first!),
                  let second = CodePattern.digit(Array(lowered.utf8)[1]), (2...5).contains(first) {
            codes = (first * 100 + second * 10)...(first * 100 + second * 10 + 9)
        } else if let value = CodePattern.exact(lowered) {
            codes = value...value
        } else {
            return nil
        }
    }

    func matches(_ code: Int) -> Bool { codes.contains(code) }

    var description: String {
        codes.count == 1 ? "\(codes.lowerBound)" : "\(codes.lowerBound)-\(codes.upperBound)"
    }

    /// A plausible reply code, 200–599.
    private static func exact(_ text: String) -> Int? {
        guard text.utf8.count == 3, text.utf8.allSatisfy(isDigit), let value = Int(text), (200...599).contains(value)
        else { return nil }
        return value
    }

    private static func digit(_ byte: UInt8) -> Int? { isDigit(byte) ? Int(byte - 0x30) : nil }
}
