/// An Aho–Corasick automaton over lower-cased UTF-8 bytes: finds every phrase of a fixed set in one
/// pass over a text, in time proportional to the text, without allocating.
///
/// Matching is case-insensitive for ASCII letters and the two-byte letters of `TextFolding`, reads
/// full-width forms as ASCII, and treats any run of whitespace (space, tab, CR, LF, ideographic space)
/// as one space, so phrases match across the line breaks of multi-line SMTP replies. MIME encoded
/// words (`=?UTF-8?B?…?=`) left in a text are decoded and the decoded text scanned as well.
/// A single-word phrase written `|word|` (or `|word`, `word|`) only matches at word boundaries,
/// so that `|dane|` does not fire inside "barracudanetworks".
///
/// Laid out for speed, since every classified byte passes through `scan`: two automata, one for the
/// ASCII phrases that every text goes through and one for the phrases with other bytes that only
/// texts holding such a byte go through, so the first has few byte classes; bytes map to equivalence
/// classes (whitespace always its own); states with more than one child and the first two levels have
/// a full row of 16-bit entries while the states fit (65,536), read through raw pointers, and the chain
/// links below them (most states: the rest of one phrase) only their child and failure state, so the
/// rows stay in cache; the first two levels are numbered breadth-first and the rest depth-first; and the
/// states where a phrase ends form one range of numbers, so the common case (nothing ends here) costs
/// one comparison and no second table lookup.
struct PhraseAutomaton: Sendable {
    /// Number of phrases; phrase ids are `0..<phraseCount`.
    let phraseCount: Int
    /// Words of phrase bits in a `matched` buffer: bit `id` says phrase `id` was found.
    let phraseWords: Int
    /// Words a `matched` buffer holds: the phrase bits, then a summary in which bit `w` is set when
    /// phrase word `w` may be non-zero, so that a reader visits only the few words a text set.
    var matchedWords: Int { phraseWords + ((phraseWords + 63) >> 6) }
    /// The phrases of ASCII bytes only: every text passes through this automaton.
    let tables: Tables
    /// The phrases holding a byte from 0x80 up (Japanese, Chinese, Cyrillic, accented words): only a
    /// text holding such a byte can contain one, so only such texts pass through this automaton. Apart,
    /// each automaton has fewer states and far fewer byte classes, so the ASCII one's rows are short and
    /// its hot rows stay in cache. Nil when there are no such phrases.
    let nonASCIITables: Tables?

    /// The form phrases and texts are compared in: lower case (ASCII and the two-byte letters of
    /// `TextFolding`), full-width forms as ASCII, whitespace runs (the ideographic space included) as
    /// one space, trimmed.
    static func normalize(_ phrase: String) -> [UInt8] {
        // One loop over the bytes, no nested function: a closure that captured `result` cost a dynamic
        // exclusivity check per byte, and rule loading normalizes every phrase of every file.
        var phrase = phrase
        return phrase.withUTF8 { bytes in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var pendingSpace = false
            var position = 0
            while position < bytes.count {
                var unit = (first: bytes[position], second: UInt8(0), count: 1)
                var span = 1
                if TextFolding.mayFold(bytes[position]), let folded = TextFolding.fold(bytes, at: position) {
                    unit = (folded.first, folded.second, folded.count)
                    span = folded.span
                }
                position += span
                for index in 0..<unit.count {
                    let byte = index == 0 ? unit.first : unit.second
                    if isSpace(byte) {
                        pendingSpace = !result.isEmpty
                        continue
                    }
                    if pendingSpace {
                        result.append(0x20)
                        pendingSpace = false
                    }
                    result.append(lowercase(byte))
                }
            }
            return result
        }
    }

    /// Splits the markers off a normalized phrase: the bytes to match and the boundary bits. `|` at
    /// either end asks for a word boundary there (bits 0 and 1); a leading `~` asks that the match not
    /// sit inside a host name (bit 2), so that "spam" or "virus" in `spamfilter.example.net` is not a verdict.
    static func boundaryMarkers(_ phrase: [UInt8]) -> (bytes: [UInt8], boundaries: UInt8) {
        var bytes = phrase[...]
        var flags: UInt8 = 0
        if bytes.count > 1, bytes.first == 0x7E { flags |= 4; bytes = bytes.dropFirst() }
        if bytes.count > 1, bytes.first == 0x7C { flags |= 1; bytes = bytes.dropFirst() }
        if bytes.count > 1, bytes.last == 0x7C { flags |= 2; bytes = bytes.dropLast() }
        return (Array(bytes), flags)
    }

    /// Builds the automaton; `markedPhrases` must already be normalized and non-empty, and may carry
    /// `|` boundary markers (only on phrases without spaces).
    init(phrases markedPhrases: [[UInt8]]) {
        let split = markedPhrases.map(PhraseAutomaton.boundaryMarkers)
        let phrases = split.map(\.bytes)
        phraseCount = phrases.count
        phraseWords = max((phrases.count + 63) >> 6, 1)
        let boundaries = split.map(\.boundaries), lengths = phrases.map { Int32($0.count) }
        let nonASCII = phrases.indices.filter { phrases[$0].contains { $0 >= 0x80 } }
        var isNonASCII = [Bool](repeating: false, count: phrases.count)
        for id in nonASCII { isNonASCII[id] = true }
        let ascii = phrases.indices.filter { !isNonASCII[$0] }
        tables = PhraseAutomaton.tables(phrases: ascii.map { phrases[$0] }, ids: ascii, boundaries: boundaries, lengths: lengths)
        nonASCIITables = nonASCII.isEmpty ? nil
            : PhraseAutomaton.tables(phrases: nonASCII.map { phrases[$0] }, ids: nonASCII, boundaries: boundaries, lengths: lengths)
    }

    /// Builds the tables of one automaton over `phrases` (marker-free), whose phrase ids are `ids`.
    private static func tables(phrases: [[UInt8]], ids: [Int], boundaries: [UInt8], lengths: [Int32]) -> Tables {
        // Byte classes: 1 is whitespace, 0 a byte no phrase contains.
        var classes = [UInt8](repeating: 0, count: 256)
        for space: UInt8 in [0x20, 0x09, 0x0A, 0x0D] { classes[Int(space)] = 1 }
        var nextClass = 2
        for phrase in phrases {
            for byte in phrase where classes[Int(byte)] == 0 {
                classes[Int(byte)] = UInt8(nextClass)
                nextClass += 1
            }
        }
        for upper in UInt8(0x41)...UInt8(0x5A) { classes[Int(upper)] = classes[Int(upper | 0x20)] }
        let classCount = nextClass

        // Trie, sparse: each state's children in a list sorted by class (the root's in a row of its
        // own), so the build touches only the states that exist; full rows are made later, and only for
        // the states that keep one.
        var rootChild = [Int32](repeating: -1, count: classCount)
        var firstChild: [Int32] = [-1], nextSibling: [Int32] = [-1]
        var incoming: [Int32] = [-1], parent: [Int32] = [-1], depth: [Int32] = [0]
        var ending: [[Int32]] = [[]]
        var endsWithSpace = [false]
        let stateBound = phrases.reduce(1) { $0 + $1.count }
        firstChild.reserveCapacity(stateBound); nextSibling.reserveCapacity(stateBound)
        incoming.reserveCapacity(stateBound); parent.reserveCapacity(stateBound); depth.reserveCapacity(stateBound)
        ending.reserveCapacity(stateBound); endsWithSpace.reserveCapacity(stateBound)
        for (index, phrase) in phrases.enumerated() {
            var state = 0
            for byte in phrase {
                let symbol = Int32(classes[Int(byte)])
                var found: Int32 = -1
                var previous: Int32 = -1
                if state == 0 {
                    found = rootChild[Int(symbol)]
                } else {
                    var cursor = firstChild[state]
                    while cursor >= 0 && incoming[Int(cursor)] < symbol { previous = cursor; cursor = nextSibling[Int(cursor)] }
                    if cursor >= 0 && incoming[Int(cursor)] == symbol { found = cursor }
                }
                if found < 0 {
                    found = Int32(ending.count)
                    if state == 0 {
                        rootChild[Int(symbol)] = found
                        nextSibling.append(-1)
                    } else if previous < 0 {
                        nextSibling.append(firstChild[state])
                        firstChild[state] = found
                    } else {
                        nextSibling.append(nextSibling[Int(previous)])
                        nextSibling[Int(previous)] = found
                    }
                    firstChild.append(-1)
                    incoming.append(symbol)
                    parent.append(Int32(state))
                    depth.append(depth[state] + 1)
                    ending.append([])
                    endsWithSpace.append(byte == 0x20)
                }
                state = Int(found)
            }
            ending[state].append(Int32(ids[index]))
        }
        let stateCount = ending.count
        func forEachChild(of state: Int, _ body: (Int) -> Void) {
            if state == 0 {
                for child in rootChild where child >= 0 { body(Int(child)) }
            } else {
                var cursor = firstChild[state]
                while cursor >= 0 { body(Int(cursor)); cursor = nextSibling[Int(cursor)] }
            }
        }
        // Breadth-first order, children by class.
        var order: [Int] = [0]
        order.reserveCapacity(stateCount)
        do {
            var head = 0
            while head < order.count {
                let state = order[head]
                head += 1
                forEachChild(of: state) { order.append($0) }
            }
        }

        // Renumber: the first two levels breadth-first, where a scan spends most of its time, so they
        // share as few cache lines as possible; below them each subtree depth-first, so the rows a
        // longer match walks through lie next to each other and the prefetcher has them ready.
        let shallowDepth: Int32 = 2
        var byNewNumber = order.filter { depth[$0] <= shallowDepth }
        byNewNumber.reserveCapacity(stateCount)
        var childLists = [[Int32]](repeating: [], count: stateCount)
        for state in order.reversed() where parent[state] >= 0 && depth[state] > shallowDepth {
            childLists[Int(parent[state])].append(Int32(state))
        }
        var stack: [Int32] = []
        for top in order where depth[top] == shallowDepth {
            stack.append(contentsOf: childLists[top])
            while let state = stack.popLast() {
                byNewNumber.append(Int(state))
                stack.append(contentsOf: childLists[Int(state)])
            }
        }
        childLists = []
        // Most deeper states are links of a chain (one child: the rest of one phrase) or leaves: their
        // transitions are "the child on its symbol, else the failure state's", so they keep only those
        // three numbers, after the full rows of the other states. The full rows then fill a few hundred
        // KiB instead of megabytes, and stay in cache.
        var childCount = [Int32](repeating: 0, count: stateCount)
        var onlyChild = [Int32](repeating: -1, count: stateCount)
        for state in 0..<stateCount where parent[state] >= 0 {
            childCount[Int(parent[state])] += 1
            onlyChild[Int(parent[state])] = Int32(state)
        }
        let isChain = (0..<stateCount).map { depth[$0] > shallowDepth && childCount[$0] <= 1 }
        byNewNumber = byNewNumber.filter { !isChain[$0] } + byNewNumber.filter { isChain[$0] }
        let denseCount = stateCount - isChain.count(where: { $0 })
        var renumbered = [Int32](repeating: 0, count: stateCount)
        for (newNumber, state) in byNewNumber.enumerated() { renumbered[state] = Int32(newNumber) }

        // Breadth-first: failure links, the full rows of the dense states (new numbers, sized once), and
        // inherited outputs. A row is its failure state's row with the state's own children over it; a
        // chain state's row is its failure state's with its one child over it.
        var rows = [Int32](repeating: 0, count: max(denseCount * classCount, 1))
        var failure = [Int32](repeating: 0, count: stateCount)
        do {
            rows.withUnsafeMutableBufferPointer { rows in
                var chainPath: [Int] = []
                /// The state reached from `state` on `symbol` (old numbers; no whitespace runs yet).
                func next(_ state: Int, _ symbol: Int) -> Int {
                    var current = state
                    while isChain[current] {
                        let child = onlyChild[current]
                        if child >= 0 && Int(incoming[Int(child)]) == symbol { return Int(child) }
                        current = Int(failure[current])
                    }
                    return byNewNumber[Int(rows[Int(renumbered[current]) * classCount + symbol])]
                }
                for state in order {
                    let fallback = Int(failure[state])
                    if state != 0 && !ending[fallback].isEmpty { ending[state].append(contentsOf: ending[fallback]) }
                    if !isChain[state] {
                        let row = Int(renumbered[state]) * classCount
                        if state == 0 {
                            for symbol in 0..<classCount { rows[symbol] = renumbered[0] }
                        } else {
                            var source = fallback
                            chainPath.removeAll(keepingCapacity: true)
                            while isChain[source] { chainPath.append(source); source = Int(failure[source]) }
                            let sourceRow = Int(renumbered[source]) * classCount
                            for symbol in 0..<classCount { rows[row + symbol] = rows[sourceRow + symbol] }
                            for link in chainPath.reversed() where onlyChild[link] >= 0 {
                                let child = Int(onlyChild[link])
                                rows[row + Int(incoming[child])] = renumbered[child]
                            }
                        }
                        forEachChild(of: state) { rows[row + Int(incoming[$0])] = renumbered[$0] }
                    }
                    forEachChild(of: state) { child in
                        failure[child] = state == 0 ? 0 : Int32(next(fallback, Int(incoming[child])))
                    }
                }
            }
        }
        // A run of whitespace counts as one space: a state just reached by a space stays where it is on
        // the next one (so does the root, as no phrase starts with a space). No phrase ends with a
        // space, so such a state has no outputs to report twice.
        for state in 0..<stateCount where !isChain[state] && (endsWithSpace[state] || state == 0) {
            rows[Int(renumbered[state]) * classCount + 1] = renumbered[state]
        }
        let hasOutput = ending.map { !$0.isEmpty }
        // Phrases end at few states. Numbered last among the full-row states and first among the chain
        // links, they form one range around `denseCount`, so the scan asks "does a phrase end here?" with
        // one subtraction and comparison instead of a bitmap lookup. The root stays 0 (no phrase ends
        // there); within each part the order above is kept.
        var permutation = [Int32](repeating: 0, count: stateCount)
        var outputLow = 0, outputEnd = 0
        do {
            var next = 0
            for part in 0..<4 {
                let ending = part == 1 || part == 2
                if part == 1 { outputLow = next }
                for number in part < 2 ? 0..<denseCount : denseCount..<stateCount where hasOutput[byNewNumber[number]] == ending {
                    permutation[number] = Int32(next)
                    next += 1
                }
                if part == 2 { outputEnd = next }
            }
            var permutedRows = [Int32](repeating: 0, count: rows.count)
            for number in 0..<denseCount {
                let from = number * classCount, to = Int(permutation[number]) * classCount
                for symbol in 0..<classCount { permutedRows[to + symbol] = permutation[Int(rows[from + symbol])] }
            }
            rows = permutedRows
            for state in 0..<stateCount { renumbered[state] = permutation[Int(renumbered[state])] }
            let previous = byNewNumber
            for number in 0..<stateCount { byNewNumber[Int(permutation[number])] = previous[number] }
        }
        var chainSymbol: [UInt16] = [], chainChild: [Int32] = [], chainFailure: [Int32] = []
        for state in byNewNumber[denseCount...] {
            let child = onlyChild[state]
            let symbol = child >= 0 ? UInt16(incoming[Int(child)]) : Tables.noSymbol
            chainSymbol.append(symbol | (endsWithSpace[state] ? Tables.space : 0))
            chainChild.append(child >= 0 ? renumbered[Int(child)] : -1)
            chainFailure.append(renumbered[Int(failure[state])])
        }

        // Entries: the target's new number.
        func transitions<Entry: FixedWidthInteger>(_: Entry.Type) -> UnsafeMutablePointer<Entry> {
            let count = max(denseCount * classCount, 1)
            let result = UnsafeMutablePointer<Entry>.allocate(capacity: count)
            rows.withUnsafeBufferPointer { rows in
                for index in 0..<count { (result + index).initialize(to: Entry(truncatingIfNeeded: rows[index])) }
            }
            return result
        }
        let narrow = stateCount <= 1 << 16 ? transitions(UInt16.self) : nil
        let wide = narrow == nil ? transitions(UInt32.self) : nil
        rows = []
        var starts = [Int32](repeating: 0, count: stateCount + 1)
        var flat: [Int32] = []
        for newState in 0..<stateCount {
            if hasOutput[byNewNumber[newState]] {
                var ids = ending[byNewNumber[newState]]
                ids.sort()
                var previous: Int32 = -1
                for id in ids where id != previous { flat.append(id); previous = id }
            }
            starts[newState + 1] = Int32(flat.count)
        }
        return Tables(byteClass: classes, classCount: classCount, narrow: narrow, wide: wide, denseCount: denseCount,
                      chainSymbol: chainSymbol, chainChild: chainChild, chainFailure: chainFailure, outputLow: outputLow, outputEnd: outputEnd,
                      outputStart: starts, outputs: flat, boundaries: boundaries, phraseLengths: lengths)
    }

    /// The automaton's arrays in memory of their own, read through raw pointers on the hot path (no
    /// reference counting, no bounds checks, no nested closures). Immutable after `init`.
    final class Tables: @unchecked Sendable {
        let byteClass: UnsafeMutablePointer<UInt8>
        /// The byte's class with flags for the scan's loop: `alwaysRare` for a line feed and bytes from
        /// C3 up, `space` for the other whitespace (rare when a digit 2–5 follows).
        let stepClass: UnsafeMutablePointer<UInt16>
        static let alwaysRare: UInt16 = 0x8000
        static let space: UInt16 = 0x4000
        let classCount: Int
        /// Rows are `1 << rowShift` entries apart (`classCount` rounded up to a power of two) and start on
        /// a cache line, so the scan finds a row with a shift instead of a multiplication on its
        /// critical path, and a row spans as few cache lines as it can.
        let rowShift: Int
        /// `state << rowShift + class` → next state, for the states below `denseCount`; 16-bit while
        /// the states fit. Exactly one of the two is allocated.
        let narrow: UnsafeMutablePointer<UInt16>?
        let wide: UnsafeMutablePointer<UInt32>?
        /// States from `denseCount` up are chain links and leaves, at `state - denseCount` of the three
        /// arrays: the class of their one child (`noSymbol` for a leaf; `space` set when the state was
        /// reached by whitespace, so that more whitespace leaves it where it is), the child, and the
        /// failure state that decides every other class.
        let denseCount: Int
        /// The three packed in one word per link, so a step along a chain reads one cache line, not two
        /// or three (the links of a chain lie next to each other): the symbol in bits 0–15, the child in
        /// 16–39 (all ones for none) and the failure state in 40–63 (`chainLink`).
        let chainLinks: UnsafeMutablePointer<UInt64>
        static let noSymbol: UInt16 = 0x3FFF
        /// States a table may have: the chain links' 24-bit state numbers.
        static let stateLimit = 1 << 24

        /// Packs one chain link's symbol, child (-1: none) and failure state.
        static func chainLink(symbol: UInt16, child: Int32, failure: Int32) -> UInt64 {
            UInt64(symbol) | UInt64(UInt32(bitPattern: child) & 0xFF_FFFF) << 16 | UInt64(UInt32(bitPattern: failure) & 0xFF_FFFF) << 40
        }

        /// Chain link `link`'s symbol (flags included), child (-1: none) and failure state.
        func chainParts(_ link: Int) -> (symbol: UInt16, child: Int32, failure: Int32) {
            let word = chainLinks[link], child = Int32(truncatingIfNeeded: word >> 16 & 0xFF_FFFF)
            return (UInt16(truncatingIfNeeded: word), child == 0xFF_FFFF ? -1 : child, Int32(truncatingIfNeeded: word >> 40))
        }
        /// A phrase ends at exactly the states `outputLow ..< outputEnd` (the last full-row states and the
        /// first chain links), so the common case (nothing ends here) costs one comparison, no lookup.
        let outputLow: Int
        let outputEnd: Int
        /// Phrase ids ending at state `s` (failure links included): `outputs[outputStart[s] ..< outputStart[s + 1]]`.
        let outputStart: UnsafeMutablePointer<Int32>
        let outputs: UnsafeMutablePointer<Int32>
        /// `outputs` with each phrase's boundary flags and length beside its id, so that `record` reads
        /// one array instead of three: the id in bits 0–31, the flags in 32–39, the length from bit 40.
        let outputEntries: UnsafeMutablePointer<UInt64>
        /// Per phrase: bit 0 = must start at a word boundary, bit 1 = must end at one.
        let boundaries: UnsafeMutablePointer<UInt8>
        /// Byte length of each phrase as matched (without markers).
        let phraseLengths: UnsafeMutablePointer<Int32>
        /// States in all: full-row states, then chain links.
        let stateCount: Int
        private let allocations: [UnsafeMutableRawPointer]

        /// Takes ownership of `narrow` or `wide` (rows `classCount` entries apart; they are laid out
        /// again `1 << rowShift` apart and the given memory freed).
        init(byteClass: [UInt8], classCount: Int, narrow: UnsafeMutablePointer<UInt16>?, wide: UnsafeMutablePointer<UInt32>?,
             denseCount: Int, chainSymbol: [UInt16], chainChild: [Int32], chainFailure: [Int32], outputLow: Int, outputEnd: Int, outputStart: [Int32], outputs: [Int32], boundaries: [UInt8], phraseLengths: [Int32]) {
            var allocations: [UnsafeMutableRawPointer] = []
            func copy<Element>(_ array: [Element]) -> UnsafeMutablePointer<Element> {
                let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(array.count, 1))
                pointer.initialize(from: array, count: array.count)
                allocations.append(UnsafeMutableRawPointer(pointer))
                return pointer
            }
            self.byteClass = copy(byteClass)
            self.stepClass = copy((0..<256).map { byte -> UInt16 in
                let flags = byte == 0x0A || byte >= 0xC3 ? Tables.alwaysRare : byteClass[byte] == 1 ? Tables.space : 0
                return UInt16(byteClass[byte]) | flags
            })
            self.classCount = classCount
            var rowShift = 0
            while 1 << rowShift < classCount { rowShift += 1 }
            self.rowShift = rowShift
            func padded<Entry: FixedWidthInteger>(_ rows: UnsafeMutablePointer<Entry>) -> UnsafeMutablePointer<Entry> {
                let count = max(denseCount << rowShift, 1)
                let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Entry>.stride, alignment: 64)
                allocations.append(raw)
                let result = raw.bindMemory(to: Entry.self, capacity: count)
                result.initialize(repeating: 0, count: count)
                for state in 0..<denseCount {
                    (result + state << rowShift).update(from: rows + state * classCount, count: classCount)
                }
                rows.deallocate()
                return result
            }
            self.narrow = narrow.map(padded)
            self.wide = wide.map(padded)
            self.denseCount = denseCount
            precondition(denseCount + chainSymbol.count < Tables.stateLimit, "phrase automaton too large")
            self.chainLinks = copy(chainSymbol.indices.map {
                Tables.chainLink(symbol: chainSymbol[$0], child: chainChild[$0], failure: chainFailure[$0])
            })
            self.outputLow = outputLow
            self.outputEnd = outputEnd
            self.outputStart = copy(outputStart)
            self.outputs = copy(outputs)
            self.outputEntries = copy(outputs.map { id in
                UInt64(UInt32(bitPattern: id)) | UInt64(boundaries[Int(id)]) << 32 | UInt64(UInt32(bitPattern: phraseLengths[Int(id)])) << 40
            })
            self.boundaries = copy(boundaries)
            self.phraseLengths = copy(phraseLengths)
            stateCount = denseCount + chainSymbol.count
            self.allocations = allocations
        }

        deinit {
            for pointer in allocations { pointer.deallocate() }
        }
    }

    /// Sets bit `id` of `matched` for every phrase found in `text`; returns whether any was found.
    /// `matched` must hold at least `matchedWords` words, all zero.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let found = scanBoth(text, into: matched)
        return EncodedWords.mayHold(text) ? scanDecoded(text, into: matched) || found : found
    }

    /// Both automata over one text (the second only when the text holds a byte from 0x80 up).
    private func scanBoth(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let found = scanOnce(text, into: matched, tables: tables)
        guard let nonASCIITables, PhraseAutomaton.holdsNonASCII(text) else { return found }
        return scanOnce(text, into: matched, tables: nonASCIITables) || found
    }

    private func scanOnce(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>,
                          tables: Tables) -> Bool {
        let hot = HotTables(tables)
        if let narrow = tables.narrow { return scanText(text, into: matched, delta: narrow, hot: hot, tables: tables) }
        return scanText(text, into: matched, delta: tables.wide!, hot: hot, tables: tables)
    }

    /// Whether a byte of the text is 0x80 or more; eight bytes at a time.
    @inline(__always)
    static func holdsNonASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        let raw = UnsafeRawPointer(base), count = text.count
        var bits: UInt64 = 0, position = 0
        while position &+ 8 <= count {
            bits |= raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            position &+= 8
        }
        while position < count {
            bits |= UInt64(base[position])
            position &+= 1
        }
        return bits & 0x8080_8080_8080_8080 != 0
    }

    /// Scans the text with its MIME encoded words decoded, adding to `matched`; false when none decodes.
    @inline(never)
    private func scanDecoded(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        guard let decoded = EncodedWords.decode(text) else { return false }
        return decoded.withUnsafeBufferPointer { scanBoth($0, into: matched) }
    }

    /// `scan` of `count` texts, one after another, with the tables' pointers read once for all. (Scans
    /// interleaved a byte of each text in turn, four or two at a time, ran slower on the shared two-core
    /// machine than this loop: their cursors no longer fit in registers.) Text `i`'s phrases go to
    /// `matched[i * words ..< (i + 1) * words]` (all zero on entry), whether it had any to `found[i]`
    /// (all false on entry).
    func scan(count: Int, text: (Int) -> UnsafeBufferPointer<UInt8>, into matched: UnsafeMutablePointer<UInt64>,
              words: Int, found: UnsafeMutablePointer<Bool>) {
        scanTexts(count: count, order: { $0 }, text: text, into: matched, words: words, found: found, tables: tables)
        if let nonASCIITables { scanNonASCII(count: count, text: text, into: matched, words: words, found: found, tables: nonASCIITables) }
        scanEncodedWords(count: count, text: text, into: matched, words: words, found: found)
    }

    /// The batch `scan` of the texts `order(0) ..< order(count)` with one automaton's tables.
    @inline(__always)
    private func scanTexts(count: Int, order: (Int) -> Int, text: (Int) -> UnsafeBufferPointer<UInt8>,
                           into matched: UnsafeMutablePointer<UInt64>, words: Int, found: UnsafeMutablePointer<Bool>,
                           tables: Tables) {
        if let narrow = tables.narrow {
            scan(count: count, order: order, text: text, into: matched, words: words, found: found, delta: narrow, tables: tables)
        } else {
            scan(count: count, order: order, text: text, into: matched, words: words, found: found, delta: tables.wide!, tables: tables)
        }
    }

    /// The batch `scan`'s pass of the non-ASCII automaton over the texts that hold such a byte (few).
    @inline(never)
    private func scanNonASCII(count: Int, text: (Int) -> UnsafeBufferPointer<UInt8>, into matched: UnsafeMutablePointer<UInt64>,
                              words: Int, found: UnsafeMutablePointer<Bool>, tables: Tables) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count, 1)) { chosen in
            var chosenCount = 0
            for index in 0..<count where PhraseAutomaton.holdsNonASCII(text(index)) {
                chosen[chosenCount] = index
                chosenCount += 1
            }
            scanTexts(count: chosenCount, order: { chosen[$0] }, text: text, into: matched, words: words, found: found, tables: tables)
        }
    }

    /// The second pass of the batch `scan` over the texts that hold encoded words. Out of line: the
    /// scan's loop is inlined only while its function stays small.
    @inline(never)
    private func scanEncodedWords(count: Int, text: (Int) -> UnsafeBufferPointer<UInt8>, into matched: UnsafeMutablePointer<UInt64>,
                                  words: Int, found: UnsafeMutablePointer<Bool>) {
        for index in 0..<count where EncodedWords.mayHold(text(index)) {
            let slice = UnsafeMutableBufferPointer(start: matched + index * words, count: words)
            if scanDecoded(text(index), into: slice) { found[index] = true }
        }
    }

    @inline(__always)
    private func scan<State: FixedWidthInteger>(count: Int, order: (Int) -> Int, text: (Int) -> UnsafeBufferPointer<UInt8>,
                                                into matched: UnsafeMutablePointer<UInt64>, words: Int,
                                                found: UnsafeMutablePointer<Bool>, delta: UnsafeMutablePointer<State>,
                                                tables: Tables) {
        let hot = HotTables(tables)
        for position in 0..<count {
            let index = order(position)
            if scanText(text(index), into: UnsafeMutableBufferPointer(start: matched + index * words, count: words),
                        delta: delta, hot: hot, tables: tables) {
                found[index] = true
            }
        }
    }

    /// One text through one automaton, the loop every byte passes: the text's bounds, the state and
    /// the tables the common byte needs are plain locals, so that more of them stay in registers (a
    /// `Cursor` passed `inout` to a per-byte step kept them on the stack, reloaded on every byte).
    @inline(__always)
    private func scanText<State: FixedWidthInteger>(_ text: UnsafeBufferPointer<UInt8>, into matched: UnsafeMutableBufferPointer<UInt64>,
                                                    delta: UnsafeMutablePointer<State>, hot: HotTables, tables: Tables) -> Bool {
        guard let bytes = text.baseAddress else { return false }
        let count = text.count, stepClass = hot.stepClass, rowShift = hot.rowShift, denseCount = hot.denseCount
        let outputLow = hot.outputLow, outputSpan = hot.outputSpan
        var position = 0, state = 0, found = false
        while position < count {
            let entry = stepClass[Int(bytes[position])]
            position &+= 1
            // A letter's entry is its class; only an entry with flags needs masking.
            var symbol = Int(entry)
            // Rare bytes go out of line: a continuation prefix can only start after a line break, or after
            // a space at a digit 2–5; a fold (upper-case two-byte letter, full-width form) only at a byte
            // from C3 up. Letters, the common case, pass one test.
            if entry >= Tables.space {
                symbol = Int(entry & (Tables.space &- 1))
                if entry >= Tables.alwaysRare || (position < count && bytes[position] &- 0x32 < 4) {
                    (symbol, position, state) = rareByte(text, at: position &- 1, state: state, tables: tables)
                }
            }
            if state < denseCount {
                state = Int(delta[state &<< rowShift &+ symbol])
            } else {
                state = PhraseAutomaton.chainTransition(state, symbol, delta: delta, hot: hot)
            }
            if UInt(bitPattern: state &- outputLow) < outputSpan,
               record(state: state, text: text, end: position, into: matched, tables: tables) {
                found = true
            }
        }
        return found
    }

    /// What `scanText` reads of the tables, copied out once per scan so that the loop keeps it in registers.
    private struct HotTables {
        let stepClass: UnsafeMutablePointer<UInt16>
        let rowShift: Int
        let outputLow: Int
        let outputSpan: UInt
        let denseCount: Int
        let chainLinks: UnsafeMutablePointer<UInt64>

        init(_ tables: Tables) {
            stepClass = tables.stepClass
            rowShift = tables.rowShift
            outputLow = tables.outputLow
            outputSpan = UInt(tables.outputEnd - tables.outputLow)
            denseCount = tables.denseCount
            chainLinks = tables.chainLinks
        }
    }

    /// The state after `symbol` in `state`: a full row's entry, or for a chain link its child when the
    /// symbol is the child's, else (whitespace after whitespace aside) the failure state's transition.
    @inline(__always)
    private static func transition<State: FixedWidthInteger>(_ state: Int, _ symbol: Int, delta: UnsafeMutablePointer<State>,
                                                             hot: HotTables) -> Int {
        state >= hot.denseCount ? chainTransition(state, symbol, delta: delta, hot: hot) : Int(delta[state &<< hot.rowShift &+ symbol])
    }

    /// `transition` from a chain link (`state >= denseCount`).
    @inline(__always)
    private static func chainTransition<State: FixedWidthInteger>(_ state: Int, _ symbol: Int, delta: UnsafeMutablePointer<State>,
                                                                  hot: HotTables) -> Int {
        var state = state
        do {
            let link = state &- hot.denseCount
            let word = hot.chainLinks[link]
            let expected = UInt16(truncatingIfNeeded: word)
            if Int(expected & (Tables.space &- 1)) == symbol { return Int(truncatingIfNeeded: word >> 16 & 0xFF_FFFF) }
            if expected >= Tables.space && symbol == 1 { return state }
            state = Int(truncatingIfNeeded: word >> 40)
            while state >= hot.denseCount {
                let next = state &- hot.denseCount
                let word = hot.chainLinks[next]
                if Int(word & UInt64(Tables.space &- 1)) == symbol { return Int(truncatingIfNeeded: word >> 16 & 0xFF_FFFF) }
                state = Int(truncatingIfNeeded: word >> 40)
            }
        }
        return Int(delta[state &<< hot.rowShift &+ symbol])
    }

    /// The symbol to feed the automaton for the character at `position`, the position after it (and
    /// after a continuation prefix that follows), and the state after the bytes fed before that symbol
    /// (a two-byte letter's lead; no phrase ends inside a character, so it reports nothing).
    @inline(never)
    private func rareByte(_ text: UnsafeBufferPointer<UInt8>, at start: Int, state: Int,
                          tables: Tables) -> (symbol: Int, position: Int, state: Int) {
        var byte = text[start], position = start + 1, state = state
        if TextFolding.mayFold(byte), let unit = TextFolding.fold(text, at: start) {
            if unit.count == 2 {
                let symbol = Int(tables.byteClass[Int(unit.first)])
                let hot = HotTables(tables)
                state = tables.narrow.map { PhraseAutomaton.transition(state, symbol, delta: $0, hot: hot) }
                    ?? PhraseAutomaton.transition(state, symbol, delta: tables.wide!, hot: hot)
                byte = unit.second
            } else {
                byte = unit.first
            }
            position = start + unit.span
        }
        let symbol = Int(tables.byteClass[Int(byte)])
        if byte == 0x0A || (symbol == 1 && position < text.count && text[position] &- 0x32 < 4) {
            position = PhraseAutomaton.skipContinuationPrefix(text, at: position, statusRequired: byte != 0x0A)
        }
        return (symbol, position, state)
    }

    /// Marks the phrases ending at `state`, at `end`, that sit on the word boundaries they ask for;
    /// returns whether there was one.
    @inline(never)
    private func record(state: Int, text: UnsafeBufferPointer<UInt8>, end: Int,
                        into matched: UnsafeMutableBufferPointer<UInt64>, tables: Tables) -> Bool {
        var index = Int(tables.outputStart[state])
        let last = Int(tables.outputStart[state &+ 1])
        var any = false
        while index < last {
            let entry = tables.outputEntries[index]
            index &+= 1
            let id = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            let flags = UInt8(truncatingIfNeeded: entry >> 32)
            if flags != 0, !PhraseAutomaton.atBoundaries(text, end: end, length: Int(truncatingIfNeeded: entry >> 40), flags: flags) {
                continue
            }
            let word = id >> 6
            matched[word] |= 1 << UInt64(id & 63)
            matched[phraseWords &+ word >> 6] |= 1 << UInt64(word & 63)
            any = true
        }
        return any
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
    /// A full-width form counts as the ASCII byte it folds to, so `length` (the folded phrase's) is
    /// walked back over the text's units.
    static func atBoundaries(_ text: UnsafeBufferPointer<UInt8>, end: Int, length: Int, flags: UInt8) -> Bool {
        if flags & 2 != 0, end < text.count, isWordByte(TextFolding.threeByteForm(text, at: end) ?? text[end]) { return false }
        var start = end - length
        if start < 0 || text[start..<end].contains(where: { $0 >= 0x80 }) {
            start = end
            for _ in 0..<length where start > 0 {
                start -= start >= 3 && TextFolding.threeByteForm(text, at: start - 3) != nil ? 3 : 1
            }
        }
        if flags & 1 != 0, start > 0,
           isWordByte(start >= 3 ? TextFolding.threeByteForm(text, at: start - 3) ?? text[start - 1] : text[start - 1]) {
            return false
        }
        if flags & 4 != 0, insideHostName(text, start: start, end: end) { return false }
        return true
    }

    /// Whether `text[start..<end]` lies in a token of letters, digits, `-`, `_` and `.` (at most 255
    /// bytes) that holds a dot followed by a lower-case letter or digit: a host name such as
    /// `spamfilter.example.net` or `antivirus-gw.example.com`. A sentence's full stop ("spam. Try …",
    /// "Spam.Please") does not count.
    static func insideHostName(_ text: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
        @inline(__always) func hostByte(_ byte: UInt8) -> Bool {
            isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        var left = start
        while left > 0, start - left < 255, hostByte(text[left - 1]) { left -= 1 }
        var right = end
        while right < text.count, right - end < 255, hostByte(text[right]) { right += 1 }
        // Round 16c: the local part of an address (`dmarc_agg@example.com`, `spam-reports@…`) names a mailbox, not a verdict.
        if right < text.count, text[right] == 0x40 { return true }
        var index = left + 1
        while index + 1 < right {
            if text[index] == 0x2E {
                let next = text[index + 1]
                if isDigit(next) || (next >= 0x61 && next <= 0x7A) { return true }
            }
            index += 1
        }
        return false
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

    /// Whether `pattern` (lower case) ends just before `index` in `text`, any ASCII case.
    static func text(_ text: UnsafeBufferPointer<UInt8>, has pattern: [UInt8], endingAt index: Int) -> Bool {
        guard index >= pattern.count else { return false }
        let begin = index - pattern.count
        for offset in 0..<pattern.count where lowercase(text[begin + offset]) != pattern[offset] { return false }
        return true
    }
}
