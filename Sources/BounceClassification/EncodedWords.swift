@preconcurrency import Glibc

/// Decodes MIME encoded words (RFC 2047: `=?charset?B?…?=`, `=?charset?Q?…?=`) that mailers leave
/// in a diagnostic, to UTF-8, so that localised wordings match their phrases.
///
/// Only texts holding `=?` pay more than one `memchr` pass. UTF-8, US-ASCII and ISO-8859-1 are
/// decoded here; other charsets (ISO-2022-JP, Shift_JIS, GB2312, KOI8-R, Windows-125x…) through
/// iconv. A word that does not decode stays as written.
enum EncodedWords {
    /// Whether `=?` occurs in the text.
    @inline(__always)
    static func mayHold(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, text.count >= 8 else { return false }
        var from = 0
        while from < text.count - 1, let found = memchr(base + from, 0x3D, text.count - 1 - from) {
            let index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if base[index + 1] == 0x3F { return true }
            from = index + 1
        }
        return false
    }

    /// The text with its encoded words decoded; nil when none decodes. Whitespace between two encoded
    /// words is dropped (RFC 2047 section 6.2), and adjacent words in one charset are converted
    /// together, since encoders split multi-byte characters and ISO-2022 escape runs across words.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        // The run of adjacent words in one charset not converted yet: their bytes, and where they are
        // written (copied as they are when the conversion fails).
        var pending: [UInt8] = []
        var pendingCharset: [UInt8] = []
        var pendingSource: Range<Int>? = nil
        var decodedAny = false
        var position = 0
        var copiedUpTo = 0
        var lastWordEnd = -1

        func flush() {
            guard let source = pendingSource else { return }
            if let converted = convert(pending, charset: pendingCharset) {
                output += converted
                decodedAny = true
            } else {
                output += UnsafeBufferPointer(rebasing: text[source])
            }
            pending = []
            pendingSource = nil
        }

        while position + 1 < text.count {
            guard text[position] == 0x3D, text[position + 1] == 0x3F, let word = parseWord(text, at: position) else {
                position += 1
                continue
            }
            let adjacent = lastWordEnd >= 0 && text[lastWordEnd..<position].allSatisfy(PhraseAutomaton.isSpace)
            if !adjacent || word.charset != pendingCharset { flush() }
            if !adjacent { output += UnsafeBufferPointer(rebasing: text[copiedUpTo..<position]) }
            if pendingSource == nil { pendingSource = position..<word.end } else { pendingSource = pendingSource!.lowerBound..<word.end }
            pendingCharset = word.charset
            pending += word.bytes
            position = word.end
            copiedUpTo = position
            lastWordEnd = position
        }
        flush()
        guard decodedAny else { return nil }
        output += UnsafeBufferPointer(rebasing: text[copiedUpTo...])
        return output
    }

    /// One encoded word at `start`: its charset (lower case, any `*language` suffix removed), its
    /// bytes after B or Q decoding, and the position after its `?=`.
    private static func parseWord(_ text: UnsafeBufferPointer<UInt8>, at start: Int)
        -> (charset: [UInt8], bytes: [UInt8], end: Int)? {
        var position = start + 2
        var charset: [UInt8] = []
        var inLanguage = false
        while position < text.count, text[position] != 0x3F {
            let byte = text[position]
            guard isCharsetByte(byte), position - start < 64 else { return nil }
            if byte == 0x2A { inLanguage = true }
            if !inLanguage { charset.append(PhraseAutomaton.lowercase(byte)) }
            position += 1
        }
        guard !charset.isEmpty, position + 2 < text.count, text[position + 2] == 0x3F else { return nil }
        let encoding = text[position + 1] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }
        let payloadStart = position + 3
        var payloadEnd = payloadStart
        while payloadEnd + 1 < text.count, !(text[payloadEnd] == 0x3F && text[payloadEnd + 1] == 0x3D) {
            // Encoded text holds no whitespace; a word cut short by a line break is left alone.
            guard !PhraseAutomaton.isSpace(text[payloadEnd]), payloadEnd - payloadStart < 4096 else { return nil }
            payloadEnd += 1
        }
        guard payloadEnd + 1 < text.count else { return nil }
        let payload = UnsafeBufferPointer(rebasing: text[payloadStart..<payloadEnd])
        guard let bytes = encoding == 0x62 ? base64(payload) : quotedPrintable(payload) else { return nil }
        return (charset, bytes, payloadEnd + 2)
    }

    private static func isCharsetByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F || byte == 0x2E
            || byte == 0x3A || byte == 0x2A
    }

    /// Base64, padding optional; nil on a byte outside the alphabet.
    private static func base64(_ payload: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(payload.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in payload {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61) + 26
            case 0x30...0x39: value = UInt32(byte - 0x30) + 52
            case 0x2B: value = 62
            case 0x2F: value = 63
            case 0x3D: continue
            default: return nil
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                result.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return result
    }

    /// RFC 2047's Q encoding: `_` is a space, `=XX` a byte in hex.
    private static func quotedPrintable(_ payload: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        func hex(_ byte: UInt8) -> UInt8? {
            if isDigit(byte) { return byte - 0x30 }
            let letter = byte | 0x20
            return letter >= 0x61 && letter <= 0x66 ? letter - 0x61 + 10 : nil
        }
        var result: [UInt8] = []
        var index = 0
        while index < payload.count {
            let byte = payload[index]
            if byte == 0x5F {
                result.append(0x20)
            } else if byte == 0x3D {
                guard index + 2 < payload.count, let high = hex(payload[index + 1]), let low = hex(payload[index + 2]) else { return nil }
                result.append(high << 4 | low)
                index += 2
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }

    /// The bytes in `charset` (lower case) as UTF-8; nil when the charset is unknown or the bytes are
    /// not valid in it.
    static func convert(_ bytes: [UInt8], charset: [UInt8]) -> [UInt8]? {
        switch String(decoding: charset, as: UTF8.self) {
        case "utf-8", "utf8", "us-ascii", "ascii":
            return bytes
        case "iso-8859-1", "iso8859-1", "latin1", "iso_8859-1":
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                if byte < 0x80 { result.append(byte) } else { result += [0xC0 | byte >> 6, 0x80 | byte & 0x3F] }
            }
            return result
        case let name:
            return iconvToUTF8(bytes, from: name)
        }
    }

    private static func iconvToUTF8(_ bytes: [UInt8], from charset: String) -> [UInt8]? {
        guard let converter = iconv_open("UTF-8", charset), converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        // Every charset here takes at most 4 UTF-8 bytes per input byte.
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let written: Int? = input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var inPointer = UnsafeMutableRawPointer(input.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer = UnsafeMutableRawPointer(output.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = input.count, outLeft = output.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1,
                      iconv(converter, nil, nil, &outPointer, &outLeft) != -1 else { return nil }
                return output.count - outLeft
            }
        }
        guard let written else { return nil }
        return Array(output[..<written])
    }
}
