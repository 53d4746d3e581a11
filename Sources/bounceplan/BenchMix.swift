@preconcurrency import Glibc
import BounceClassification

/// The realistic `classify --tsv` input of `bench-classify`: rule examples (all categories), as
/// pipelines store replies: bare, with a DSN `smtp;` prefix, wrapped by Postfix, Exim or Exchange, and
/// as transcripts that carry two or three replies (a busy greeting or greylisting before the
/// recipient's answer, qmail's "does not like recipient", a Sendmail session). Addresses, host names,
/// IP addresses and queue ids vary per line; code and status come in their own fields on about half
/// the lines, as mailers that record them do, and only in the text on the rest.
///
/// The examples are drawn with weights, not uniformly: the localised rules hold about half of all
/// examples, most of them a short phrase, while a real stream is mostly English, so examples with
/// non-ASCII text make up `localisedShare` of the lines. Lengths come out with a median of about
/// 80 bytes, about one line in ten over 200 bytes and about one in twelve with two or three replies; the
/// report line prints all three.
struct BenchMix {
    /// One rule example: the text and the fields the mailer would have recorded.
    struct Template {
        let code: String
        let status: String
        let text: String
        /// Holds a non-ASCII byte (a localised reply).
        var isLocalised: Bool { text.utf8.contains { $0 >= 0x80 } }
    }

    /// Per mille of the lines drawn from localised examples.
    static let localisedShare = 80

    let english: [Template]
    let localised: [Template]
    private var random: SplitMix64

    init(templates: [Template], seed: UInt64) {
        english = templates.filter { !$0.isLocalised }
        localised = templates.filter(\.isLocalised)
        random = SplitMix64(seed: seed)
    }

    /// Every example of every rule in force, with the code and status it starts with (when it does).
    static func templates(from classifier: Classifier) -> [Template] {
        var result: [Template] = []
        for rule in classifier.rules {
            for example in rule.examples {
                // A TSV line holds no line breaks or tabs: pipelines join multi-line replies with spaces.
                let text = example.diagnostic.replacingAll("\n", with: " ").replacingAll("\t", with: " ")
                let leading = leadingCodeAndStatus(text)
                result.append(Template(
                    code: example.smtpCode.map(String.init) ?? leading.code,
                    status: example.enhancedStatus ?? leading.status, text: text))
            }
        }
        // Replies no rule speaks of: they still cost a full scan.
        for text in ["250 2.0.0 Ok: queued as 4F2A1B3C9D", "Delivery failed", "The message could not be delivered",
                     "554 Transaction failed", "451 Requested action aborted: local error in processing"] {
            let leading = leadingCodeAndStatus(text)
            result.append(Template(code: leading.code, status: leading.status, text: text))
        }
        return result
    }

    /// Shape of what was written, for the report line.
    struct Shape {
        let medianBytes: Int
        let p90Bytes: Int
        let over200: Int
        /// Lines that carry two or three replies.
        let embedded: Int
    }

    /// Writes `lines` lines to `path`.
    mutating func write(lines: Int, to path: String) throws -> Shape {
        guard let file = fopen(path, "w") else { throw BenchError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 4096)
        var lengthCounts = [Int](repeating: 0, count: 4097)
        var over200 = 0, embedded = 0
        for _ in 0..<lines {
            let (line, replies) = nextLine()
            if replies > 1 { embedded += 1 }
            let length = line.utf8.count
            lengthCounts[min(length, 4096)] += 1
            if length > 200 { over200 += 1 }
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                guard fwrite(buffer, 1, buffer.count, file) == buffer.count else { throw BenchError("cannot write \(path)") }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        guard fwrite(buffer, 1, buffer.count, file) == buffer.count else { throw BenchError("cannot write \(path)") }
        func percentile(_ share: Int) -> Int {
            var seen = 0
            for (length, count) in lengthCounts.enumerated() {
                seen += count
                if seen * 100 >= lines * share { return length }
            }
            return lengthCounts.count - 1
        }
        return Shape(medianBytes: percentile(50), p90Bytes: percentile(90), over200: over200, embedded: embedded)
    }

    /// One input line, `code<TAB>status<TAB>text`, and how many replies its text carries.
    mutating func nextLine() -> (line: String, replies: Int) {
        let pool = localised.isEmpty || random.below(1000) >= BenchMix.localisedShare ? english : localised
        var template = pool[random.below(pool.count)]
        // Examples of code-only rules have no text; a real stream has few such lines.
        while template.text.isEmpty && random.below(10) != 0 { template = pool[random.below(pool.count)] }
        let address = nextAddress()
        let reply = template.text.replacingAll("bob@example.org", with: address)
        let text: String
        var replies = 1
        switch random.below(100) {
        case 0..<63: text = reply
        case 63..<75: text = "smtp; " + reply
        case 75..<83:
            text = "host \(nextHost())[\(nextIP())] said: \(reply) (in reply to RCPT TO command)"
        case 83..<85: text = "SMTP error from remote mail server after RCPT TO:<\(address)>: \(reply)"
        case 85..<88: text = "Remote Server returned '\(reply)'"
        case 88..<90:
            let ip = nextIP()
            text = "\(ip) does not like recipient. Remote host said: \(reply) Giving up on \(ip)."
        case 90..<93:
            text = "host \(nextHost())[\(nextIP())] said: 421 4.3.2 Service not available, closing transmission channel "
                + "(in reply to MAIL FROM command); host \(nextHost())[\(nextIP())] said: \(reply) (in reply to RCPT TO command)"
            replies = 2
        case 93..<96:
            text = "----- Transcript of session follows ----- ... while talking to \(nextHost()).: >>> RCPT To:<\(address)> "
                + "<<< \(reply) \(template.code.isEmpty ? "550" : template.code) \(address)... Recipient rejected"
            replies = 2
        case 96..<97:
            text = "SMTP error from remote mail server after end of data: host \(nextHost()) [\(nextIP())]: \(reply) "
                + "retry timeout exceeded; 421 4.4.2 Connection dropped"
            replies = 2
        case 97..<98:
            text = "host \(nextHost())[\(nextIP())] said: 421 4.7.0 Try again later, closing connection (in reply to MAIL FROM command); "
                + "host \(nextHost())[\(nextIP())] said: 451 4.7.1 Greylisted, please retry in 5 minutes (in reply to RCPT TO command); "
                + "host \(nextHost())[\(nextIP())] said: \(reply) (in reply to RCPT TO command)"
            replies = 3
        default:
            text = "\(reply) [\(nextQueueID())] (Queued-As: \(nextQueueID()), Reporting-MTA: dns; \(nextHost()))"
        }
        switch random.below(20) {
        case 0..<9: return ("\(template.code)\t\(template.status)\t\(text)", replies)
        case 9..<11: return ("\(template.code)\t\t\(text)", replies)
        default: return ("\t\t\(text)", replies)
        }
    }

    private static let localParts = ["j.smith", "anna.k", "m.rossi", "kenji.t", "li.wei", "olga.p", "carlos_m", "b.nguyen",
                                     "info", "sales", "newsletter", "a", "marie-claire.dupont", "h.yamamoto"]
    private static let domains = ["example.com", "example.net", "example.org", "mail.example.com", "corp.example.net",
                                  "students.example.edu", "example.co.jp", "example.de"]

    private mutating func nextAddress() -> String {
        let local = BenchMix.localParts[random.below(BenchMix.localParts.count)]
        let number = random.below(4) == 0 ? String(random.below(100_000)) : ""
        return local + number + "@" + BenchMix.domains[random.below(BenchMix.domains.count)]
    }

    private mutating func nextHost() -> String {
        "mx\(random.below(20)).\(BenchMix.domains[random.below(BenchMix.domains.count)])"
    }

    private mutating func nextIP() -> String {
        ["192.0.2", "198.51.100", "203.0.113"][random.below(3)] + ".\(1 + random.below(254))"
    }

    private mutating func nextQueueID() -> String {
        let value = random.next() & 0xFF_FFFF_FFFF
        return String(value, radix: 16, uppercase: true)
    }

    /// The reply code and enhanced status a text starts with, as a mailer's fields would hold them.
    static func leadingCodeAndStatus(_ text: String) -> (code: String, status: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return ("", "") }
        let code = String(decoding: bytes[0...2], as: UTF8.self)
        var end = 4
        while end < bytes.count, bytes[end] == 0x2E || (bytes[end] >= 0x30 && bytes[end] <= 0x39) { end += 1 }
        let status = end > 4 ? String(decoding: bytes[4..<end], as: UTF8.self) : ""
        return (code, EnhancedStatus(status) == nil ? "" : status)
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation on this path).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let bytes = Array(utf8), needle = Array(target.utf8)
        guard bytes.count >= needle.count else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + needle.count <= bytes.count, bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle {
                result.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
