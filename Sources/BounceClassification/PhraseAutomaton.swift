/// An Aho–Corasick automaton over lower-cased UTF-8 bytes: finds every phrase of a fixed set in one
/// pass over a text, in time proportional to the text, without allocating.
///
/// Matching is case-insensitive for ASCII letters and treats any run of whitespace (space, tab,
/// CR, LF) as one space, so phrases match across the line breaks of multi-line SMTP replies.
/// A single-word phrase written `|word|` (or `|word`, `word|`) only matches at word boundaries,
/// so that `|dane|` does not fire inside "barracudanetworks".
struct PhraseAutomaton: Sendable {
    /// Per phrase: bit 0 = must start at a word boundary, bit 1 = must end at one.
    private let boundaries: [UInt8]
    /// Number of phrases; phrase ids are `0..<phraseCount`.
    let phraseCount: Int
    /// Byte → equivalence class; class 0 is "a byte no phrase contains".
    private let byteClass: [UInt8]
    private let classCount: Int
    /// The complete transition function, `state * classCount + class`; 16-bit when the states fit,
    /// which halves the table and keeps more of it in cache.
    private let narrowTransitions: [UInt16]
    private let wideTransitions: [Int32]
    /// Phrase ids ending at each state (including those reached through failure links), as ranges
    /// `outputStart[state] ..< outputStart[state + 1]` of `outputs`.
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Byte length of each phrase as matched (without markers).
    private let phraseLengths: [Int]

    /// The form phrases and texts are compared in: ASCII lower case, whitespace runs as one space, trimmed.
    static func normalize(_ phrase: String) -> [UInt8] {
        var result: [UInt8] = []
        var pendingSpace = false
        for byte in phrase.utf8 {
            if isSpace(byte) { pendingSpace = !result.isEmpty; continue }
            if pendingSpace { result.append(0x20); pendingSpace = false }
            result.append(lowercase(byte))
        }
        return result
    }

    /// Splits the `|` boundary markers off a normalized phrase: the bytes to match and the boundary bits.
    static func boundaryMarkers(_ phrase: [UInt8]) -> (bytes: [UInt8], boundaries: UInt8) {
        var bytes = phrase[...]
        var flags: UInt8 = 0
        if bytes.count > 1, bytes.first == 0x7C { flags |= 1; bytes = bytes.dropFirst() }
        if bytes.count > 1, bytes.last == 0x7C { flags |= 2; bytes = bytes.dropLast() }
        return (Array(bytes), flags)
    }

    /// Builds the automaton; `markedPhrases` must already be normalized and non-empty, and may carry
    /// `|` boundary markers (only on phrases without spaces).
    init(phrases markedPhrases: [[UInt8]]) {
        let split = markedPhrases.map(PhraseAutomaton.boundaryMarkers)
        let phrases = split.map(\.bytes)
        boundaries = split.map(\.boundaries)
        phraseCount = phrases.count
        var classes = [UInt8](repeating: 0, count: 256)
        var nextClass: UInt8 = 1
        for phrase in phrases {
            for byte in phrase where classes[Int(byte)] == 0 {
                classes[Int(byte)] = nextClass
                nextClass += 1
            }
        }
        for upper in UInt8(0x41)...UInt8(0x5A) { classes[Int(upper)] = classes[Int(upper | 0x20)] }
        for space: UInt8 in [0x09, 0x0A, 0x0D] { classes[Int(space)] = classes[0x20] }
        byteClass = classes
        phraseLengths = phrases.map(\.count)
        classCount = Int(nextClass)

        // Trie.
        var children: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
        var ending: [[Int32]] = [[]]
        for (id, phrase) in phrases.enumerated() {
            var state = 0
            for byte in phrase {
                let symbol = Int(classes[Int(byte)])
                if children[state][symbol] < 0 {
                    children[state][symbol] = Int32(children.count)
                    children.append([Int32](repeating: -1, count: classCount))
                    ending.append([])
                }
                state = Int(children[state][symbol])
            }
            ending[state].append(Int32(id))
        }

        // Breadth-first: failure links, complete transitions, inherited outputs.
        let stateCount = children.count
        var table = [Int32](repeating: 0, count: stateCount * classCount)
        var failure = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for symbol in 0..<classCount {
            let child = children[0][symbol]
            if child >= 0 {
                table[symbol] = child
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            ending[state].append(contentsOf: ending[failure[state]])
            for symbol in 0..<classCount {
                let child = children[state][symbol]
                let fallback = table[failure[state] * classCount + symbol]
                if child >= 0 {
                    failure[Int(child)] = Int(fallback)
                    table[state * classCount + symbol] = child
                    queue.append(Int(child))
                } else {
                    table[state * classCount + symbol] = fallback
                }
            }
        }
        if stateCount <= Int(UInt16.max) {
            narrowTransitions = table.map { UInt16(truncatingIfNeeded: $0) }
            wideTransitions = []
        } else {
            narrowTransitions = []
            wideTransitions = table
        }
        var starts: [Int32] = [0]
        var flat: [Int32] = []
        for state in 0..<stateCount {
            flat.append(contentsOf: Set(ending[state]).sorted())
            starts.append(Int32(flat.count))
        }
        outputStart = starts
        outputs = flat
    }

    /// Sets bit `id` of `matched` for every phrase found in `text`; returns whether any was found.
    /// `matched` must hold at least `(phraseCount + 63) / 64` words, all zero.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        if wideTransitions.isEmpty {
            return narrowTransitions.withUnsafeBufferPointer { scan(text, into: matched, delta: $0) }
        }
        return wideTransitions.withUnsafeBufferPointer { scan(text, into: matched, delta: $0) }
    }

    @inline(__always)
    private func scan<State: FixedWidthInteger>(
        _ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>, delta: UnsafeBufferPointer<State>
    ) -> Bool {
        var found = false
        byteClass.withUnsafeBufferPointer { classOf in
            outputStart.withUnsafeBufferPointer { starts in
                outputs.withUnsafeBufferPointer { ids in
                    let spaceClass = Int(classOf[0x20])
                    let classCount = self.classCount
                    var state = 0
                    var previousWasSpace = true
                    var position = 0
                    let count = text.count
                    while position < count {
                        let byte = text[position]
                        position += 1
                        let symbol = Int(classOf[Int(byte)])
                        if symbol == spaceClass && PhraseAutomaton.isSpace(byte) {
                            position = PhraseAutomaton.skipContinuationPrefix(text, at: position, statusRequired: byte != 0x0A)
                            if previousWasSpace { continue }
                            previousWasSpace = true
                        } else {
                            previousWasSpace = false
                        }
                        state = Int(delta[state &* classCount &+ symbol])
                        var index = Int(starts[state])
                        let end = Int(starts[state &+ 1])
                        while index < end {
                            let id = Int(ids[index])
                            index += 1
                            if boundaries[id] != 0, !PhraseAutomaton.atBoundaries(
                                text, end: position, length: phraseLengths[id], flags: boundaries[id]) { continue }
                            matched[id >> 6] |= 1 << UInt64(id & 63)
                            found = true
                        }
                    }
                }
            }
        }
        return found
    }

    /// After a line break, skips the `550-5.7.1 ` prefix of a multi-line SMTP reply so that phrases
    /// split across lines still match; mailers that join the lines with spaces leave the same prefixes
    /// mid-text, so after a space a prefix that carries a status code is skipped too.
    /// Returns the position to continue from.
    @inline(__always)
    static func skipContinuationPrefix(_ text: UnsafeBufferPointer<UInt8>, at start: Int, statusRequired: Bool) -> Int {
        var position = start
        if statusRequired {
            // Cheap rejection: most spaces are followed by a letter.
            guard position + 9 <= text.count, text[position] >= 0x32, text[position] <= 0x35 else { return start }
        }
        while position < text.count, text[position] == 0x20 || text[position] == 0x09 { position += 1 }
        guard position + 4 <= text.count, text[position] >= 0x32, text[position] <= 0x35,
              isDigit(text[position + 1]), isDigit(text[position + 2]),
              text[position + 3] == 0x2D || text[position + 3] == 0x20 else { return start }
        position += 4
        if let (_, length) = EnhancedStatus.scan(text, at: position),
           position + length == text.count || text[position + length] == 0x20 {
            position += length
        } else if statusRequired {
            return start
        }
        return position
    }

    /// Whether a match ending before `end`, `length` bytes long, sits on the word boundaries `flags` asks for.
    static func atBoundaries(_ text: UnsafeBufferPointer<UInt8>, end: Int, length: Int, flags: UInt8) -> Bool {
        if flags & 2 != 0, end < text.count, isWordByte(text[end]) { return false }
        let start = end - length
        if flags & 1 != 0, start > 0, isWordByte(text[start - 1]) { return false }
        return true
    }

    /// ASCII letters and digits, and any byte of a multi-byte UTF-8 character.
    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte >= 0x80
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    @inline(__always) static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
