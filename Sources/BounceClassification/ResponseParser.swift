@preconcurrency import Glibc

/// Finds the SMTP reply code and the enhanced status code inside a server's text, for mailers that
/// record only the text: `550 5.1.1 <a@b>: … User unknown`, Gmail's multi-line `550-5.1.1 …`,
/// Exchange's `#5.1.1`, DSN `smtp; 550 …`, and `Remote server returned '550 5.1.1 …'` or `'452 …'`;
/// also written in full-width digits or inside MIME encoded words.
enum ResponseParser {
    /// The reply code, when one is written at the start of the text, right before a status code, or
    /// where a mailer reports the server's reply. Full-width digits (`５５０ ５.１.１`) and MIME encoded
    /// words are read too, through a folded or decoded copy made only when the text gives no code.
    static func replyCode(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if let code = asciiReplyCode(in: bytes) { return code }
        return inOtherForms(bytes) { asciiReplyCode(in: $0) }
    }

    /// The first well-formed failure status token, else the first success one (see `asciiEnhancedStatus`), also in full-width
    /// digits or inside MIME encoded words.
    static func enhancedStatus(in bytes: UnsafeBufferPointer<UInt8>) -> EnhancedStatus? {
        if let status = asciiEnhancedStatus(in: bytes) { return status }
        return inOtherForms(bytes) { asciiEnhancedStatus(in: $0) }
    }

    /// `read` applied to the text with its full-width forms folded to ASCII, then to the text with its
    /// encoded words decoded (and folded); nil when neither form exists or `read` finds nothing. Off
    /// the common path: texts that give a code in ASCII never come here.
    private static func inOtherForms<Result>(_ bytes: UnsafeBufferPointer<UInt8>,
                                             _ read: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        if let found = TextFolding.withWideFormsFolded(bytes, read) { return found }
        guard EncodedWords.mayHold(bytes), let decoded = EncodedWords.decode(bytes) else { return nil }
        return decoded.withUnsafeBufferPointer { decoded in read(decoded) ?? TextFolding.withWideFormsFolded(decoded, read) }
    }

    /// A failure code (4xx/5xx) wins over a success code read earlier: a transcript that starts with the
    /// accepted MAIL FROM (`250 2.1.0 Ok … 550 5.1.1 …`) failed at the later reply.
    private static func asciiReplyCode(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var success: Int? = nil
        var index = skipPrefix(bytes)
        if let code = code(bytes, at: index), index + 3 == bytes.count || isCodeTerminator(bytes[index + 3]) {
            if code >= 400 { return code }
            success = code
        }
        // Elsewhere, only a code that is followed by an enhanced status counts: a bare number in
        // prose ("after 200 attempts") is not a reply code. Such a code starts five bytes before the
        // status's first dot, so only the dots are visited (memchr skips the rest many bytes at a time).
        guard let base = bytes.baseAddress else { return nil }
        var from = 6
        while from < bytes.count, let found = memchr(base + from, 0x2E, bytes.count - from) {
            let dot = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            index = dot - 5
            if let code = code(bytes, at: index), !isWordByte(bytes[index - 1]),
               bytes[index + 3] == 0x20 || bytes[index + 3] == 0x2D,
               EnhancedStatus.scan(bytes, at: index + 4) != nil {
                if code >= 400 { return code }
                if success == nil { success = code }
            }
            from = dot + 1
        }
        return reportedCode(bytes, orElse: success)
    }

    /// A code without a status where a mailer reports the server's reply: right after a colon or a
    /// semicolon (Postfix `said: 450 …`, Exim `RCPT TO:<x>: 550 …`, a DSN `smtp; 550 …`), possibly
    /// quoted, at the start of a line, or in the quotes of Exchange's `Remote Server returned '452 …'`. Prose numbers ("after
    /// 200 attempts", "size '500'") follow words or stand alone in quotes, not after these marks.
    private static func reportedCode(_ bytes: UnsafeBufferPointer<UInt8>, orElse success: Int?) -> Int? {
        var success = success
        guard let base = bytes.baseAddress else { return success }
        var mark = 0
        let count = bytes.count
        while mark < count {
            // Most bytes are none of the marks: eight at a time, then straight to the first mark.
            if mark &+ 8 <= count {
                let marks = reportMarks(UnsafeRawPointer(base + mark).loadUnaligned(as: UInt64.self))
                if marks == 0 { mark &+= 8; continue }
                mark &+= marks.trailingZeroBitCount >> 3
            } else if !isReportMark(bytes[mark]) {
                mark &+= 1
                continue
            }
            let byte = bytes[mark]
            defer { mark += 1 }
            var index = mark + 1
            if byte == 0x3A || byte == 0x3B {
                while index < count, bytes[index] == 0x20 { index += 1 }
                if index < count, bytes[index] == 0x27 || bytes[index] == 0x22 { index += 1 }
            } else if byte == 0x0A || byte == 0x5C {
                // The start of a line (also a line break written as the two characters `\n`): a reply of a
                // transcript, also behind Sendmail's `<<< `.
                if byte == 0x5C {
                    guard index < count, bytes[index] == 0x6E else { continue }
                    index += 1
                }
                while index < count, bytes[index] == 0x20 || bytes[index] == 0x3C { index += 1 }
            } else if followsReturned(bytes, quote: mark) {
                // A quote; `index` is right after it.
            } else {
                continue
            }
            if let code = code(bytes, at: index), index + 3 == count || isCodeTerminator(bytes[index + 3]) {
                if code >= 400 { return code }
                if success == nil { success = code }
            }
        }
        return success
    }

    /// The bytes after which `reportedCode` looks for a code: `:`, `;`, a line feed, a backslash (of a
    /// written `\n`), and the quotes `'` and `"`.
    @inline(__always)
    private static func isReportMark(_ byte: UInt8) -> Bool {
        byte == 0x3A || byte == 0x3B || byte == 0x0A || byte == 0x5C || byte == 0x27 || byte == 0x22
    }

    /// The high bit of each byte of `word` (little-endian) that is a mark of `isReportMark`, and maybe
    /// of bytes above the lowest such one: the lowest set bit is exact.
    @inline(__always)
    private static func reportMarks(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        // `:` and `;` differ in the lowest bit only.
        return zeroBytes((word | ones) ^ (0x3B * ones)) | zeroBytes(word ^ (0x0A * ones)) | zeroBytes(word ^ (0x5C * ones))
            | zeroBytes(word ^ (0x27 * ones)) | zeroBytes(word ^ (0x22 * ones))
    }

    private static let returnedWord: [UInt8] = Array("returned ".utf8)

    /// Whether the quote at `quote` follows the word `returned` and one space, any case (Exchange's
    /// `Remote Server returned '…'`).
    private static func followsReturned(_ bytes: UnsafeBufferPointer<UInt8>, quote: Int) -> Bool {
        PhraseAutomaton.text(bytes, has: returnedWord, endingAt: quote)
    }

    /// The first well-formed enhanced status token of class 4 or 5 (a specific one rather than an x.0.0 of
    /// the same class read before it), else the first of class 2: not part of an IP address, version or
    /// longer number. Visits only the bytes before each dot.
    private static func asciiEnhancedStatus(in bytes: UnsafeBufferPointer<UInt8>) -> EnhancedStatus? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var success: EnhancedStatus? = nil
        var undefined: EnhancedStatus? = nil
        var from = 1
        while from < count, let found = memchr(base + from, 0x2E, count - from) {
            let dot = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            let index = dot - 1
            // The shortest token, `5.1.1`, needs four more bytes; later dots have fewer.
            if index + 4 >= count { return undefined ?? success }
            from = dot + 1
            let byte = bytes[index]
            guard byte == 0x32 || byte == 0x34 || byte == 0x35,
                  index == 0 || !(isWordByte(bytes[index - 1]) || bytes[index - 1] == 0x2E),
                  let (status, length) = EnhancedStatus.scan(bytes, at: index) else { continue }
            // A token inside a longer dotted number (an IP address, a version) is no status; any later
            // candidate inside the same token fails the boundary test above.
            let end = index + length
            let followedByNumber = end < count && (isWordByte(bytes[end])
                || (bytes[end] == 0x2E && end + 1 < count && isDigit(bytes[end + 1])))
            if !followedByNumber {
                if status.statusClass == 2 {
                    if success == nil { success = status }
                } else if status.subject != 0 || status.detail != 0 {
                    // A specific status wins over an undefined one of the same class read before it
                    // (a pasted DSN's `Status: 5.0.0` before its `Diagnostic-Code: smtp; 550 5.1.1 …`).
                    if let undefined, undefined.statusClass != status.statusClass { return undefined }
                    return status
                } else if undefined == nil {
                    undefined = status
                }
            }
        }
        return undefined ?? success
    }

    /// Skips leading spaces, quotes and a DSN `smtp;` type prefix.
    private static func skipPrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        func skipFiller() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x27
                || bytes[index] == 0x22 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        }
        skipFiller()
        if index + 5 <= bytes.count, bytes[index] | 0x20 == 0x73, bytes[index + 1] | 0x20 == 0x6D,
           bytes[index + 2] | 0x20 == 0x74, bytes[index + 3] | 0x20 == 0x70, bytes[index + 4] == 0x3B {
            index += 5
            skipFiller()
        }
        return index
    }

    /// Three ASCII digits forming a plausible reply code (2xx–5xx, second digit 0–5).
    private static func code(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 3 <= bytes.count else { return nil }
        let first = bytes[index], second = bytes[index + 1], third = bytes[index + 2]
        guard first >= 0x32, first <= 0x35, second >= 0x30, second <= 0x35, isDigit(third) else { return nil }
        return Int(first - 0x30) * 100 + Int(second - 0x30) * 10 + Int(third - 0x30)
    }

    private static func isCodeTerminator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x2D || byte == 0x09 || byte == 0x0D || byte == 0x0A || byte == 0x3A || byte == 0x27
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }
}
