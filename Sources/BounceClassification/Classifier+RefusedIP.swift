/// Whether a refusal's subject is an IP address: "IP 192.0.2.212 is blocked by EarthLink", "cmsmtp 192.0.2.233 blocked",
/// "Mail Refused - 198.51.100.13", "Blocked (203.0.113.88)", "remote ip is forbidden", "your mailserver [203.0.113.89] is
/// rejected". A refusal that names no cause says `policy_rejection`; when what it refuses is an address, it is our sending
/// IP that is refused (`ip_blocklisted`), which tells the operator what to fix. Round 14: 19 open rows labelled
/// `ip_blocklisted` by several writers read as `policy_rejection`, and none labelled `policy_rejection` has this shape.
///
/// Not a subject: the reporting host in a wrapper ("host mx.example.net[192.0.2.227] said:", qmail's "host
/// mx.example.org[192.0.2.37] refused to talk to me", Exim's "host mx.example.ru [198.51.100.63]:", Postfix's
/// "<unknown[192.0.2.11]:52491>"): an address glued to a host name by "[", or whose "]" is followed by ":".
enum RefusedIP {
    static func named(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        var tokens: [Token] = []
        tokens.reserveCapacity(32)
        var index = 0
        while index < text.count {
            guard isTokenByte(text[index]) else { index += 1; continue }
            let start = index
            while index < text.count, isTokenByte(text[index]) { index += 1 }
            var end = index
            while end > start, text[end - 1] == UInt8(ascii: ".") { end -= 1 }
            if end > start { tokens.append(Token(kind: kind(text, start, end), start: start, end: end)) }
        }
        for (position, token) in tokens.enumerated() {
            switch token.kind {
            case .address where !isWrapped(text, token), .ipWord, .ourServer:
                // "<subject> [address] is/has been <refusal>"
                var next = position + 1
                while next < tokens.count, next <= position + 4 {
                    let kind = tokens[next].kind
                    if kind == .refusal || kind == .not && next + 1 < tokens.count && tokens[next + 1].kind == .allowed { return true }
                    guard kind == .filler || kind == .address || kind == .ipWord else { break }
                    next += 1
                }
            case .refusal:
                // "Refused - <address>", "Blocked (<address>)"
                if position + 1 < tokens.count, tokens[position + 1].kind == .address, !isWrapped(text, tokens[position + 1]),
                   gapIsPunctuation(text, from: token.end, to: tokens[position + 1].start) {
                    return true
                }
            default:
                break
            }
        }
        return false
    }

    private enum Kind { case address, ipWord, ourServer, refusal, not, allowed, filler, other }

    private struct Token {
        let kind: Kind
        let start: Int
        let end: Int
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == UInt8(ascii: ".")
    }

    private static func kind(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Kind {
        if isIPv4(text, start, end) { return .address }
        switch lowered(text, start, end) {
        case "ip": return .ipWord
        case "mailserver": return .ourServer
        case "blocked", "refused", "forbidden", "rejected", "denied", "banned", "blacklisted", "blocklisted": return .refusal
        case "not": return .not
        case "allowed", "permitted", "accepted": return .allowed
        case "is", "has", "been", "was", "are", "address", "addr", "temporarily", "permanently": return .filler
        default: return .other
        }
    }

    private static func lowered(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        guard end - start <= 12 else { return "" }
        return String(decoding: text[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// Four groups of one to three digits joined by dots.
    private static func isIPv4(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var groups = 1, digits = 0
        for index in start..<end {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                groups += 1
                digits = 0
            } else if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                guard digits <= 3 else { return false }
            } else {
                return false
            }
        }
        return groups == 4 && digits > 0
    }

    /// A reporting host's address: "name[address]" (glued to a host name) or "[address]:".
    private static func isWrapped(_ text: UnsafeBufferPointer<UInt8>, _ token: Token) -> Bool {
        if token.start >= 2, text[token.start - 1] == UInt8(ascii: "["), text[token.start - 2] != UInt8(ascii: " ") { return true }
        if token.end + 1 < text.count, text[token.end] == UInt8(ascii: "]"), text[token.end + 1] == UInt8(ascii: ":") { return true }
        return false
    }

    /// Only spaces and the punctuation of "Refused - 198.51.100.13" or "Blocked (203.0.113.88)" between two tokens.
    private static func gapIsPunctuation(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard end - start <= 4 else { return false }
        for index in start..<end where ![UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: "["),
                                         UInt8(ascii: ":")].contains(text[index]) {
            return false
        }
        return true
    }
}

extension Classifier {
    /// An unexplained refusal of us whose subject is an IP address (`RefusedIP`): our sending IP is refused.
    func refusedIPBehindRefusal(_ verdict: Classification, facts: Facts) -> Classification? {
        guard verdict.category == .sender, verdict.reason == "policy_rejection", RefusedIP.named(in: facts.text) else { return nil }
        return Classification(category: .sender, reason: "ip_blocklisted", ruleID: verdict.ruleID,
                              evidence: verdict.evidence + "; the refusal's subject is an IP address")
    }
}

extension Classifier {
    /// An unexplained refusal of us whose words name a cause of ours that the word families read: relaying refused
    /// ("Sending to remote addresses (relaying) is not allowed", "relaying to <x> denied", "Domain of forward-path is not
    /// allowed"), our reverse DNS, a list that lists us. The families' own refusal cue (`policy_rejection`) adds nothing.
    func senderCauseBehindRefusal(_ facts: Facts) -> Classification? {
        guard let cue = WordCues.read(facts.text).other, cue.category == .sender, cue.reason != "policy_rejection" else { return nil }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }
}

extension Classifier {
    /// Round 16b: an unexplained refusal whose words name the message's parts as what is refused ("554 Message refused,
    /// disallowed link", "Access denied: attachment type not allowed") or its size: the word families read a refusal near an
    /// attachment, link, body, header or file as `content` / `content_policy`, which a vague refusal rule (generic.policy-
    /// rejection, "refused", "denied", "not allowed") otherwise reports as a refusal of us.
    func contentCauseBehindRefusal(_ facts: Facts) -> Classification? {
        guard let cue = WordCues.read(facts.text).other, cue.category == .content else { return nil }
        return Classification(category: cue.category, reason: cue.reason, ruleID: cue.ruleID, evidence: cue.evidence)
    }
}
