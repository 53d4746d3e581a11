import Digest

/// The automaton's tables as bytes, for `RulesCache`: building them is most of a warm start-up (the
/// failure links and full rows of some 40,000 states), reading them back a copy of under a megabyte.
/// The bytes name the phrases they were built from (a digest of the marked phrases, in order), and
/// decoding refuses anything whose sizes do not add up; the cache file around them is checksummed.
extension PhraseAutomaton {
    /// FNV-1a 64 of the marked phrases in order, each followed by a zero byte (no phrase holds one).
    static func digest(of phrases: [[UInt8]]) -> UInt64 {
        var digest = FNV1a64()
        for phrase in phrases {
            digest.add(phrase)
            digest.add([0])
        }
        return digest.value
    }

    /// The tables as bytes (host byte order: a cache file is only read by the program that wrote it).
    func encoded(digest: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        func number(_ value: Int) { withUnsafeBytes(of: UInt64(bitPattern: Int64(value))) { bytes += $0 } }
        func raw<Element>(_ pointer: UnsafePointer<Element>, count: Int) {
            bytes += UnsafeRawBufferPointer(start: pointer, count: count * MemoryLayout<Element>.stride)
        }
        number(Int(truncatingIfNeeded: digest))
        number(phraseCount)
        number(phraseWords)
        for tables in [tables, nonASCIITables] {
            guard let tables else { number(0); continue }
            number(1)
            let chainCount = tables.stateCount - tables.denseCount, rowCount = max(tables.denseCount * tables.classCount, 1)
            let outputCount = Int(tables.outputStart[tables.stateCount])
            for value in [tables.classCount, tables.denseCount, tables.stateCount, tables.outputLow, tables.outputEnd,
                          tables.narrow == nil ? 1 : 0, outputCount] {
                number(value)
            }
            raw(tables.byteClass, count: 256)
            // Rows as they were built, `classCount` entries apart (`Tables` spaces them out again).
            func rows<Entry>(_ pointer: UnsafePointer<Entry>) {
                if tables.denseCount == 0 { raw(pointer, count: rowCount); return }
                for state in 0..<tables.denseCount { raw(pointer + state << tables.rowShift, count: tables.classCount) }
            }
            if let narrow = tables.narrow { rows(narrow) } else { rows(tables.wide!) }
            let links = (0..<chainCount).map(tables.chainParts)
            links.map(\.symbol).withUnsafeBufferPointer { raw($0.baseAddress!, count: chainCount) }
            links.map(\.child).withUnsafeBufferPointer { raw($0.baseAddress!, count: chainCount) }
            links.map(\.failure).withUnsafeBufferPointer { raw($0.baseAddress!, count: chainCount) }
            raw(tables.outputStart, count: tables.stateCount + 1)
            raw(tables.outputs, count: outputCount)
            raw(tables.boundaries, count: phraseCount)
            raw(tables.phraseLengths, count: phraseCount)
        }
        return bytes
    }

    /// The automaton `encoded(digest:)` wrote for phrases of `digest`, or nil when the bytes are for
    /// other phrases or do not read back whole.
    init?(encoded bytes: UnsafeRawBufferPointer, digest: UInt64, phraseCount: Int) {
        var position = 0
        func number() -> Int? {
            guard position + 8 <= bytes.count else { return nil }
            defer { position += 8 }
            return Int(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        }
        func array<Element>(_: Element.Type, count: Int) -> [Element]? {
            let length = count * MemoryLayout<Element>.stride
            guard count >= 0, position + length <= bytes.count else { return nil }
            defer { position += length }
            return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + length)]))
                initialized = count
            }
        }
        func pointer<Element>(_: Element.Type, count: Int) -> UnsafeMutablePointer<Element>? {
            guard let values = array(Element.self, count: count) else { return nil }
            let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
            pointer.initialize(from: values, count: count)
            return pointer
        }
        func tables() -> Tables?? {
            guard let present = number() else { return nil }
            if present == 0 { return .some(nil) }
            guard let classCount = number(), let denseCount = number(), let stateCount = number(), let outputLow = number(),
                  let outputEnd = number(), let wide = number(), let outputCount = number(),
                  classCount > 0, denseCount >= 0, stateCount >= denseCount, stateCount < Tables.stateLimit, outputCount >= 0,
                  let byteClass = array(UInt8.self, count: 256) else { return nil }
            let rowCount = max(denseCount * classCount, 1), chainCount = stateCount - denseCount
            var narrowRows: UnsafeMutablePointer<UInt16>? = nil, wideRows: UnsafeMutablePointer<UInt32>? = nil
            if wide == 0 {
                guard let rows = pointer(UInt16.self, count: rowCount) else { return nil }
                narrowRows = rows
            } else {
                guard let rows = pointer(UInt32.self, count: rowCount) else { return nil }
                wideRows = rows
            }
            guard let chainSymbol = array(UInt16.self, count: chainCount), let chainChild = array(Int32.self, count: chainCount),
                  let chainFailure = array(Int32.self, count: chainCount), let outputStart = array(Int32.self, count: stateCount + 1),
                  let outputs = array(Int32.self, count: outputCount), let boundaries = array(UInt8.self, count: phraseCount),
                  let phraseLengths = array(Int32.self, count: phraseCount) else {
                narrowRows?.deallocate()
                wideRows?.deallocate()
                return nil
            }
            return .some(Tables(byteClass: byteClass, classCount: classCount, narrow: narrowRows, wide: wideRows, denseCount: denseCount,
                                chainSymbol: chainSymbol, chainChild: chainChild, chainFailure: chainFailure, outputLow: outputLow,
                                outputEnd: outputEnd, outputStart: outputStart, outputs: outputs, boundaries: boundaries,
                                phraseLengths: phraseLengths))
        }
        guard let storedDigest = number(), UInt64(truncatingIfNeeded: storedDigest) == digest,
              number() == phraseCount, let phraseWords = number(), phraseWords == max((phraseCount + 63) >> 6, 1),
              let asciiTables = tables(), let asciiTables, let otherTables = tables(), position == bytes.count else { return nil }
        self.init(phraseCount: phraseCount, phraseWords: phraseWords, tables: asciiTables, nonASCIITables: otherTables)
    }

    private init(phraseCount: Int, phraseWords: Int, tables: Tables, nonASCIITables: Tables?) {
        self.phraseCount = phraseCount
        self.phraseWords = phraseWords
        self.tables = tables
        self.nonASCIITables = nonASCIITables
    }
}
