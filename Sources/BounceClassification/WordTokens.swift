/// Splits a response's text into the words the word model reads: ASCII letters lowered, two-byte
/// letters folded with `TextFolding` (À–Þ, Latin Extended-A, Greek, Cyrillic), full-width forms read as
/// ASCII, and each CJK, kana or Hangul character a word of its own (those scripts do not separate
/// words). Words holding a digit, `.`, `@`, `_`, `/` or `=` inside them — numbers, statuses, queue ids,
/// addresses, host names, IPs, URLs — are dropped: they name this message, not its cause.
///
/// Runs only when no rule matched, so it may allocate; it reads at most `maximumTextBytes`.
enum WordTokens {
    /// Longer texts are read only this far: the cause is stated early, transcripts repeat it.
    static let maximumTextBytes = 4096
    /// Longer letter runs are encoded blobs, not words.
    static let maximumWordBytes = 40

    /// The words of `text` in order.
    static func words(_ text: UnsafeBufferPointer<UInt8>) -> [String] {
        var reader = Reader(text: UnsafeBufferPointer(rebasing: text[..<min(text.count, maximumTextBytes)]))
        reader.run()
        return reader.words
    }

    /// The model's features: each distinct word and each distinct pair of adjacent words (`"not found"`),
    /// in order of first appearance.
    static func features(_ text: UnsafeBufferPointer<UInt8>) -> [String] {
        features(ofWords: words(text))
    }

    static func features(ofWords words: [String]) -> [String] {
        var seen = Set<String>()
        var features: [String] = []
        for index in words.indices {
            if seen.insert(words[index]).inserted { features.append(words[index]) }
            if index > 0 {
                let pair = words[index - 1] + " " + words[index]
                if seen.insert(pair).inserted { features.append(pair) }
            }
        }
        return features
    }

    private struct Reader {
        let text: UnsafeBufferPointer<UInt8>
        var words: [String] = []
        var current: [UInt8] = []
        var opaque = false
        var position = 0

        init(text: UnsafeBufferPointer<UInt8>) { self.text = text }

        mutating func run() {
            while position < text.count {
                let byte = text[position]
                if byte < 0x80 {
                    readASCII(byte, span: 1)
                } else if byte >= 0xC2, byte < 0xE0 {
                    readTwoByteLetter(byte)
                } else if byte >= 0xE0 {
                    if let ascii = TextFolding.threeByteForm(text, at: position) {
                        readASCII(ascii, span: 3)
                    } else {
                        readWideCharacter(byte)
                    }
                } else {
                    flush()
                    position += 1
                }
            }
            flush()
        }

        private mutating func readASCII(_ byte: UInt8, span: Int) {
            if byte &- 0x41 < 26 || byte &- 0x61 < 26 {
                current.append(byte | 0x20)
            } else if byte &- 0x30 < 10 {
                current.append(byte)
                opaque = true
            } else if byte == 0x5C, span == 1, position + 1 < text.count, text[position + 1] == 0x6E {
                // A line break written as the two characters `\n`.
                flush()
                position += 2
                return
            } else if !current.isEmpty, byte == 0x2D || byte == 0x27, continuesWord(at: position + span) {
                current.append(byte)
            } else if !current.isEmpty, byte == 0x2E || byte == 0x40 || byte == 0x5F || byte == 0x2F || byte == 0x3D,
                      continuesWord(at: position + span) {
                current.append(byte)
                opaque = true
            } else {
                flush()
            }
            position += span
        }

        private mutating func readTwoByteLetter(_ lead: UInt8) {
            guard position + 1 < text.count, text[position + 1] & 0xC0 == 0x80 else {
                flush()
                position += 1
                return
            }
            if TextFolding.mayFold(lead), let unit = TextFolding.fold(text, at: position) {
                current.append(unit.first)
                if unit.count == 2 { current.append(unit.second) }
                position += unit.span
            } else {
                current.append(lead)
                current.append(text[position + 1])
                position += 2
            }
        }

        /// A three- or four-byte character: a word of its own, except punctuation and symbols.
        private mutating func readWideCharacter(_ lead: UInt8) {
            flush()
            let length = lead >= 0xF0 ? 4 : 3
            guard position + length <= text.count,
                  (1..<length).allSatisfy({ text[position + $0] & 0xC0 == 0x80 }) else {
                position += 1
                return
            }
            let isPunctuation = lead == 0xE2 || (lead == 0xE3 && text[position + 1] == 0x80) || lead == 0xEF
            if !isPunctuation {
                words.append(String(decoding: UnsafeBufferPointer(rebasing: text[position..<(position + length)]), as: UTF8.self))
            }
            position += length
        }

        private func continuesWord(at index: Int) -> Bool {
            guard index < text.count else { return false }
            let byte = text[index]
            return byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26 || byte >= 0xC2
        }

        private mutating func flush() {
            if !opaque, current.count >= 2, current.count <= WordTokens.maximumWordBytes {
                words.append(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
            opaque = false
        }
    }
}
