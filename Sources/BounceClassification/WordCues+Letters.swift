/// The letters of other alphabets in the word families' tokenizer (round 13, rules-r13b).
///
/// Until round 12 a byte outside ASCII ended a word, so "Empfänger" was read as "empf" and "nger", and
/// "użytkownik", "destinatário" or "получатель" were no words at all: the families could read a gone
/// recipient only in English. Two-byte UTF-8 letters of the Latin (Latin-1 Supplement, Extended-A and the
/// Romanian ș ț of Extended-B), Greek and Cyrillic blocks are now part of a word, folded to lower case by
/// `TextFolding` as the phrase matcher folds them, and the typographic apostrophe U+2019/U+2018 inside a word
/// reads as `'` ("n’existe", "l’indirizzo"). CJK, kana and Hangul still end a word: those languages write no
/// spaces, and their rules live in `35-localised.yaml`.
extension WordCues {
    /// Whether a two-byte letter of a script the families read starts at `index`: a lead byte C3–C5 (Latin),
    /// C8 (Latin Extended-B: ș ț), CE/CF (Greek) or D0/D1 (Cyrillic) followed by a continuation byte; not the
    /// signs × (C3 97) and ÷ (C3 B7).
    @inline(__always) static func isTwoByteLetter(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let lead = text[index]
        guard lead >= 0xC3, lead <= 0xD1, index + 1 < text.count else { return false }
        let trail = text[index + 1]
        guard trail & 0xC0 == 0x80 else { return false }
        switch lead {
        case 0xC3: return trail != 0x97 && trail != 0xB7
        case 0xC4, 0xC5, 0xC8, 0xCE, 0xCF, 0xD0, 0xD1: return true
        default: return false
        }
    }

    /// Whether the typographic apostrophe U+2019 or U+2018 (E2 80 99 / 98) starts at `index`.
    @inline(__always) static func isCurlyApostrophe(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 2 < text.count && text[index] == 0xE2 && text[index + 1] == 0x80 && (text[index + 2] == 0x99 || text[index + 2] == 0x98)
    }

    /// Whether a word may start (or go on) at `index`: an ASCII letter or digit, or a two-byte letter.
    @inline(__always) static func startsWordCharacter(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index < text.count else { return false }
        let byte = text[index]
        return byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26 || isTwoByteLetter(text, at: index)
    }

    /// Folds the two-byte letter at `index` into `hash`, in lower case.
    @inline(__always) static func hashTwoByteLetter(_ hash: UInt64, _ text: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        // Only the lead bytes `TextFolding` folds (not C8, CF, D1: their letters are lower case already).
        if TextFolding.mayFold(text[index]), let unit = TextFolding.fold(text, at: index) {
            let folded = WordFamilies.hashStep(hash, unit.first)
            return unit.count == 2 ? WordFamilies.hashStep(folded, unit.second) : folded
        }
        return WordFamilies.hashStep(WordFamilies.hashStep(hash, text[index]), text[index + 1])
    }

    /// Whether the run of word characters starting at `index` is a name in snake case ("no_such_user",
    /// "mailbox_does_not_exist"): ASCII letters joined by `_` (and `-`), with no digit, `.`, `@`, `/` or `=` that
    /// would make it an address, a host, a queue id or a parameter ("john_doe@example.com", "relay_1.example.net").
    static func isSnakeCaseName(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Bool {
        var position = index
        var sawUnderscore = false
        while position < text.count {
            let byte = text[position]
            if (byte | 0x20) &- 0x61 < 26 {
                position += 1
            } else if byte == 0x5F || byte == 0x2D {
                sawUnderscore = sawUnderscore || byte == 0x5F
                position += 1
            } else if byte &- 0x30 < 10 || byte == 0x2E || byte == 0x40 || byte == 0x2F || byte == 0x3D {
                // A dot or slash that ends a sentence or a path is not part of the name: only a following word character is.
                if (byte == 0x2E || byte == 0x2F), !startsWordCharacter(text, at: position + 1) { return sawUnderscore }
                return false
            } else {
                return sawUnderscore
            }
        }
        return sawUnderscore
    }
}
