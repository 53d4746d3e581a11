@preconcurrency import Glibc

/// Folds the spellings of one letter to one form, byte by byte, for the phrase matcher and the readers
/// of reply codes: upper-case two-byte UTF-8 letters (Latin-1 Supplement À–Þ, Latin Extended-A, Greek
/// Α–Ω, Cyrillic Ѐ–Я) to lower case, full-width ASCII forms (U+FF01–FF5E, as Japanese and Chinese
/// mailers write digits and Latin letters) to ASCII, and the ideographic space (U+3000) to a space.
/// Typographic punctuation that localised servers write where a phrase has ASCII folds too: the
/// apostrophes U+2018/2019 to `'` (French and Italian "n’existe", "l’indirizzo"), the hyphens and
/// dashes U+2010–2014 to `-` ("e‑mail" with a non-breaking hyphen). Turkish İ and ı fold to `i`, so
/// that "ALICI", "alici" and "alıcı" are one word, as the language's own upper case cannot be told
/// from ASCII's.
///
/// Table-driven and allocation-free, as it runs inside the matcher's scan: a byte that cannot start a
/// fold costs one comparison. A two-byte letter folds to two bytes (positions in the text keep their
/// meaning); a three-byte full-width form folds to one.
enum TextFolding {
    /// What one fold puts in place of the text's bytes: `count` bytes (`first`, then `second` when
    /// `count` is 2) for `span` bytes of text.
    struct Unit {
        let first: UInt8
        let second: UInt8
        let count: Int
        let span: Int
    }

    /// Bit `lead - 0xC3` is set for the bytes a fold can start with: C3, C4, C5 (Latin), CE (Greek),
    /// D0 (Cyrillic), E2 (general punctuation), E3 (ideographic space), EF (full-width forms). Bytes
    /// below C3 wrap to offsets of 61 and more, whose bits are clear.
    private static let leadMask: UInt64 = 1 << 0 | 1 << 1 | 1 << 2 | 1 << 11 | 1 << 13 | 1 << 31 | 1 << 32 | 1 << 44

    /// Whether a fold can start at `byte`; false for every ASCII byte and most others.
    @inline(__always) static func mayFold(_ byte: UInt8) -> Bool {
        let offset = byte &- 0xC3
        return offset < 64 && (leadMask >> UInt64(offset)) & 1 != 0
    }

    /// The fold starting at `position` (whose byte passed `mayFold`), or nil when the bytes there are
    /// already in folded form.
    @inline(__always)
    static func fold(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> Unit? {
        let lead = text[position]
        guard position + 1 < text.count else { return nil }
        let trail = text[position + 1]
        switch lead {
        case 0xEF:
            guard position + 2 < text.count else { return nil }
            let last = text[position + 2]
            // U+FF01–FF3F are EF BC 81–BF, U+FF40–FF5E are EF BD 80–9E; both map onto 0x21–0x7E.
            if trail == 0xBC, last >= 0x81, last <= 0xBF { return Unit(first: last &- 0x60, second: 0, count: 1, span: 3) }
            if trail == 0xBD, last >= 0x80, last <= 0x9E { return Unit(first: last &- 0x20, second: 0, count: 1, span: 3) }
            return nil
        case 0xE3:
            guard position + 2 < text.count, trail == 0x80, text[position + 2] == 0x80 else { return nil }
            return Unit(first: 0x20, second: 0, count: 1, span: 3)
        case 0xE2:
            // U+2010–2014 (E2 80 90–94) are hyphens and dashes, U+2018/2019 (E2 80 98/99) apostrophes.
            guard position + 2 < text.count, trail == 0x80 else { return nil }
            let last = text[position + 2]
            if last >= 0x90, last <= 0x94 { return Unit(first: 0x2D, second: 0, count: 1, span: 3) }
            if last == 0x98 || last == 0x99 { return Unit(first: 0x27, second: 0, count: 1, span: 3) }
            return nil
        case 0xC4 where trail == 0xB0 || trail == 0xB1:
            // Turkish İ (U+0130) and ı (U+0131).
            return Unit(first: 0x69, second: 0, count: 1, span: 2)
        default:
            guard trail & 0xC0 == 0x80 else { return nil }
            let folded = twoByteLowerCase[twoByteRow(lead) << 6 | Int(trail & 0x3F)]
            guard folded != 0 else { return nil }
            return Unit(first: UInt8(folded >> 8), second: UInt8(folded & 0xFF), count: 2, span: 2)
        }
    }

    /// Whether the three bytes at `position` are a full-width form, the ideographic space or folded
    /// punctuation, and the byte they fold to.
    @inline(__always)
    static func threeByteForm(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt8? {
        guard position >= 0, position + 2 < text.count, text[position] == 0xEF || text[position] == 0xE3 || text[position] == 0xE2,
              let unit = fold(text, at: position), unit.span == 3 else { return nil }
        return unit.first
    }

    /// Whether the text holds a byte that may start a full-width form; one `memchr` pass, for the
    /// readers of codes that need a folded copy. (An ideographic space alone, without full-width
    /// digits, gives them nothing to read.)
    static func mayHoldWideForms(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return false }
        return memchr(base, 0xEF, text.count) != nil
    }

    /// Calls `body` with a copy of `text` whose full-width forms and ideographic spaces are folded to
    /// ASCII (other bytes unchanged); nil when it holds no full-width form.
    static func withWideFormsFolded<Result>(_ text: UnsafeBufferPointer<UInt8>,
                                            _ body: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        guard mayHoldWideForms(text) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(text.count, 1)) { copy in
            var written = 0, position = 0, folded = false
            while position < text.count {
                if let byte = threeByteForm(text, at: position) {
                    copy[written] = byte
                    position += 3
                    folded = true
                } else {
                    copy[written] = text[position]
                    position += 1
                }
                written += 1
            }
            guard folded else { return nil }
            return body(UnsafeBufferPointer(rebasing: copy[..<written]))
        }
    }

    /// Row of `twoByteLowerCase` for a lead byte that passed `mayFold` (C3 0, C4 1, C5 2, CE 3, D0 4).
    @inline(__always) private static func twoByteRow(_ lead: UInt8) -> Int {
        switch lead {
        case 0xC3, 0xC4, 0xC5: Int(lead &- 0xC3)
        case 0xCE: 3
        default: 4
        }
    }

    /// `row << 6 | trail & 0x3F` → the lower-case letter's two UTF-8 bytes (`lead << 8 | trail`), 0 for
    /// bytes that are not an upper-case letter. Lower case may change the lead byte (Р D0 A0 → р D1 80).
    private static let twoByteLowerCase: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 5 << 6)
        func add(_ upper: Int, _ lower: Int) {
            let lead = UInt8(0xC0 | upper >> 6), trail = UInt8(0x80 | upper & 0x3F)
            let lowerBytes = UInt16(0xC0 | lower >> 6) << 8 | UInt16(0x80 | lower & 0x3F)
            table[twoByteRow(lead) << 6 | Int(trail & 0x3F)] = lowerBytes
        }
        for upper in 0xC0...0xDE where upper != 0xD7 { add(upper, upper + 0x20) }          // À–Þ, not ×
        // Latin Extended-A: upper case at even code points, except 0139–0148 and 0179–017E (odd);
        // İ (0130) folds to two characters and ı, ĸ, ŉ, ſ have no upper-case partner here.
        for upper in stride(from: 0x100, through: 0x12E, by: 2) { add(upper, upper + 1) }
        for upper in stride(from: 0x132, through: 0x136, by: 2) { add(upper, upper + 1) }
        for upper in stride(from: 0x139, through: 0x147, by: 2) { add(upper, upper + 1) }
        for upper in stride(from: 0x14A, through: 0x176, by: 2) { add(upper, upper + 1) }
        add(0x178, 0xFF)                                                                    // Ÿ → ÿ
        for upper in stride(from: 0x179, through: 0x17D, by: 2) { add(upper, upper + 1) }
        for upper in 0x391...0x3A9 where upper != 0x3A2 { add(upper, upper + 0x20) }       // Α–Ω
        for upper in 0x400...0x40F { add(upper, upper + 0x50) }                             // Ѐ–Џ
        for upper in 0x410...0x42F { add(upper, upper + 0x20) }                             // А–Я
        return table
    }()
}
