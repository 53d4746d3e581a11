/// Cuts a text into words and writes each word's classes from a `WordTable`: the one tokenizer of the word families
/// (`WordCues`) and of the owner reading (`OwnerWords`), so that both read the same words. Until round 14 each had a
/// tokenizer of its own and only the families' read two-byte letters, snake case and the curly apostrophe:
/// "Empfänger" was one word to the families and the fragments "empf" and "nger" to the owner reading.
///
/// A word is a run of ASCII letters and digits and the two-byte letters of `WordCues+Letters.swift` (accented Latin,
/// Greek, Cyrillic), folded to lower case; `-` and `'` (also the curly U+2019/U+2018) inside it belong to it. Words
/// holding a digit, `.`, `@`, `_`, `/` or `=` (numbers, statuses, addresses, host names, queue ids, parameters) are
/// opaque and not written. A camel-case name ("ConnectionProblem") and a snake-case name ("no_such_user") are words.
/// A line break written as the two characters `\n` separates words. No allocation.
enum WordScanner {
    /// What a reader needs beyond the words.
    struct Options: OptionSet, Sendable {
        let rawValue: UInt8
        /// A token of its own (the `separator` classes) at each clause end — `: ; , ! ? . ( ) [ ] < >`, a line break,
        /// also written as `\n` — once between two words: the owner reading's agents and objects end there.
        static let clauseSeparators = Options(rawValue: 1 << 0)
        /// A word ending in "s" and an apostrophe keeps it ("recipients' list"): the owner reading's plural possessive.
        static let pluralPossessive = Options(rawValue: 1 << 1)
    }

    /// Writes the classes of each word of `text` (and separators, if asked) to `tokens`; returns how many were written.
    /// With `stop`, the writing ends after the first word holding one of its bits: a reader that gives up at such a
    /// word (the owner reading's vetoes) need not have the rest of the text read.
    @inline(__always)
    static func tokenize(_ text: UnsafeBufferPointer<UInt8>, table: WordTable, options: Options = [],
                         separator: WordClass.RawValue = 0, stop: WordClass.RawValue = 0,
                         into tokens: UnsafeMutableBufferPointer<WordClass.RawValue>) -> Int {
        let separators = options.contains(.clauseSeparators)
        let possessive = options.contains(.pluralPossessive)
        let count = text.count
        var written = 0
        var index = 0
        while index < count, written < tokens.count {
            let byte = text[index]
            guard isAlphanumeric(byte) || WordCues.isTwoByteLetter(text, at: index) else {
                let escapedBreak = byte == 0x5C && index + 1 < count && text[index + 1] == 0x6E
                if separators, escapedBreak || isClauseEnd(byte), written > 0, tokens[written - 1] != separator {
                    tokens[written] = separator
                    written += 1
                }
                index += escapedBreak ? 2 : 1
                continue
            }
            var hash = WordFamilies.hashSeed
            var opaque = false
            let start = index
            // Whether the word is a name in snake case, asked only at its first `_`: most words have none.
            var snake: Bool? = nil
            while index < count {
                let next = text[index]
                if next &- 0x41 < 26 {
                    // "ConnectionProblem", "GreyListed": webhook and API names join words in camel case.
                    if index > start, text[index - 1] &- 0x61 < 26, !opaque { break }
                    hash = WordFamilies.hashStep(hash, next | 0x20)
                } else if next &- 0x61 < 26 {
                    hash = WordFamilies.hashStep(hash, next)
                } else if next &- 0x30 < 10 {
                    opaque = true
                } else if next == 0x5F, snake ?? WordCues.isSnakeCaseName(text, from: start) {
                    // "no_such_user", "recipient_not_found": a webhook's or API's name in snake case is words.
                    snake = true
                    break
                } else if next == 0x2D || next == 0x27 || next == 0x2E || next == 0x40 || next == 0x5F || next == 0x2F || next == 0x3D {
                    if next == 0x5F { snake = false }
                    guard WordCues.startsWordCharacter(text, at: index + 1) else {
                        // Only after an "s" ("recipients' list"): "… in blacklist'" ends a quoted reply, not a possessive.
                        if possessive, next == 0x27, text[index - 1] | 0x20 == 0x73 {
                            hash = WordFamilies.hashStep(hash, next)
                            index += 1
                        }
                        break
                    }
                    if next == 0x2D || next == 0x27 { hash = WordFamilies.hashStep(hash, next) } else { opaque = true }
                } else if WordCues.isTwoByteLetter(text, at: index) {
                    hash = WordCues.hashTwoByteLetter(hash, text, at: index)
                    index += 2
                    continue
                } else if index > start, WordCues.isCurlyApostrophe(text, at: index) {
                    // "n’existe", "l’indirizzo": the typographic apostrophe of French and Italian servers.
                    if WordCues.startsWordCharacter(text, at: index + 3) {
                        hash = WordFamilies.hashStep(hash, 0x27)
                        index += 3
                        continue
                    }
                    if possessive, text[index - 1] | 0x20 == 0x73 {
                        hash = WordFamilies.hashStep(hash, 0x27)
                        index += 3
                    }
                    break
                } else {
                    break
                }
                index += 1
            }
            if !opaque {
                let classes = table.classes(ofHash: hash).rawValue
                tokens[written] = classes
                written += 1
                if classes & stop != 0 { return written }
            }
        }
        return written
    }

    @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
    }

    @inline(__always) static func isClauseEnd(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x3A, 0x3B, 0x2C, 0x21, 0x3F, 0x0A, 0x0D, 0x2E, 0x28, 0x29, 0x5B, 0x5D, 0x3C, 0x3E: return true
        default: return false
        }
    }
}
