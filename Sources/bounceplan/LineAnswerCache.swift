@preconcurrency import Glibc

/// `classify --tsv`'s memory of recent input lines and their answer lines, so that a line seen before
/// is answered without parsing, scanning or deciding it again. A stream repeats its templates: every
/// response without an address, host or queue id in it ("Sorry, no mailbox here by that name.",
/// "connect ETIMEDOUT …") comes back word for word, and the answer is a function of the line's bytes
/// alone (a stream gives no recipient domain or remote MTA).
///
/// Keyed by the raw line (before its escapes are resolved), compared byte for byte on a hit, so an answer
/// is only reused for an identical line. Four-way set-associative: a stream's one-off lines (those
/// with an address in them) evict the least recently used of four entries, so a frequent template
/// survives between them.
/// An entry used by the batch being answered is pinned (its stamp is the batch's), so a later line of
/// the same batch cannot take it over before its answer is written or filled in. Raw memory from
/// calloc: its pages are untouched until an entry is first written, so only the entries used count
/// towards the resident size.
///
/// An entry names its answer by number: a stream has about a thousand distinct answer lines, kept
/// once each (`answerLimit` at most), so a hit reads an answer line that is already in cache instead
/// of a copy of its own, and the whole memory is about half as large (it competes with the phrase
/// automaton's tables for the second-level cache).
final class LineAnswerCache {
    /// Entries, in sets of `ways`. On the bench mix's 1 M lines (76 % of them repeat an earlier line),
    /// simulated: 16,384 entries answer 69.5 % in sets of two, 71.8 % in sets of four; 32,768 in
    /// pairs 72.9 % (4 MB more).
    static let entryCount = 16384
    /// Entries per set: their headers are 64 contiguous bytes, one or two cache lines.
    static let ways = 4
    /// Slots of the seen-once filter (256 KiB of 32-bit fingerprints). Simulated on the 1 M mix, the filter raises the share
    /// answered from memory from 71.8 % to 74.0 % (16,384 slots: 73.6 %).
    static let seenCount = 65536
    /// Longest line remembered (nine lines in ten are shorter; the longer ones are mostly transcripts
    /// that carry an address).
    static let keyBytes = 256
    /// Longest answer line remembered (`AnswerLines.slotBytes`).
    static let answerBytes = 96
    /// Distinct answer lines kept (the bench mix has about 1,150); once they are all taken, a line with
    /// another answer is not remembered.
    static let answerLimit = 8192
    /// Slots of the answer lines' index (twice `answerLimit`, a power of two).
    static let answerSlots = 16384

    /// A found or claimed entry, or none: what `find` says about a line.
    struct Lookup {
        /// The entry: its answer when `hit`, else the entry claimed for this line's answer (`fill`),
        /// or -1 when the line is not remembered.
        let entry: Int32
        let hit: Bool
    }

    /// Per entry: the key's hash, then a word of stamp (low 32 bits), key length and answer number + 1
    /// (0 while the answer is pending or the entry empty).
    private let headers: UnsafeMutablePointer<UInt64>
    private let keys: UnsafeMutablePointer<UInt8>
    /// The distinct answer lines, `answerBytes` apart, and their lengths; numbers are never reused.
    private let answers: UnsafeMutablePointer<UInt8>
    private let answerLengths: UnsafeMutablePointer<Int32>
    private var answerCount = 0
    /// The answer lines' index by hash: answer number + 1 (0: empty), open addressing.
    private let answerIndex: UnsafeMutablePointer<UInt16>
    /// The high halves of the hashes of lines seen once, at their bits 8 and up (`seenCount` slots; a later
    /// line may take a slot over): a line is admitted when its fingerprint is found here.
    private let seenHashes: UnsafeMutablePointer<UInt32>
    /// The batch being answered; entries stamped with it are pinned. Starts at 1: 0 is a fresh entry's.
    private var batch: UInt64 = 1

    init() {
        func zeroed<Element>(_ count: Int, _: Element.Type) -> UnsafeMutablePointer<Element> {
            guard let raw = calloc(count, MemoryLayout<Element>.stride) else { fatalError("out of memory") }
            return raw.bindMemory(to: Element.self, capacity: count)
        }
        headers = zeroed(LineAnswerCache.entryCount * 2, UInt64.self)
        keys = zeroed(LineAnswerCache.entryCount * LineAnswerCache.keyBytes, UInt8.self)
        answers = zeroed(LineAnswerCache.answerLimit * LineAnswerCache.answerBytes, UInt8.self)
        answerLengths = zeroed(LineAnswerCache.answerLimit, Int32.self)
        answerIndex = zeroed(LineAnswerCache.answerSlots, UInt16.self)
        seenHashes = zeroed(LineAnswerCache.seenCount, UInt32.self)
    }

    deinit {
        free(headers)
        free(keys)
        free(answers)
        free(answerLengths)
        free(answerIndex)
        free(seenHashes)
    }

    /// The entry holding `line`'s answer, or else an entry claimed for it (its key written, its answer
    /// pending until `fill`), or none when the line is too long, seen for the first time, or every entry
    /// of its set is pinned.
    @inline(__always)
    func find(_ line: UnsafeBufferPointer<UInt8>) -> Lookup {
        let count = line.count
        guard count <= LineAnswerCache.keyBytes, let base = line.baseAddress else { return Lookup(entry: -1, hit: false) }
        let hash = LineAnswerCache.hash(base, count)
        let first = Int(truncatingIfNeeded: hash >> 40) & (LineAnswerCache.entryCount - LineAnswerCache.ways)
        for entry in first..<(first + LineAnswerCache.ways) {
            let header = headers + entry * 2
            let word = header[1]
            if header[0] == hash, word >> 48 != 0, Int(truncatingIfNeeded: word >> 32) & 0xFFFF == count,
               memcmp(keys + entry * LineAnswerCache.keyBytes, base, count) == 0 {
                header[1] = word & ~0xFFFF_FFFF | batch
                return Lookup(entry: Int32(entry), hit: true)
            }
        }
        // A line is only remembered the second time it is seen: most lines of a real stream are one-offs
        // (an address, a queue id or a trace id in them), and admitting those would cost a key copy and
        // an answer copy each, and push out the templates that do come back.
        let seen = seenHashes + Int(truncatingIfNeeded: hash >> 8) & (LineAnswerCache.seenCount - 1)
        let fingerprint = UInt32(truncatingIfNeeded: hash >> 32)
        guard seen.pointee == fingerprint else {
            seen.pointee = fingerprint
            return Lookup(entry: -1, hit: false)
        }
        // The least recently used entry of the set gives way, unless all are pinned.
        var victim = first, oldest = headers[first * 2 + 1] & 0xFFFF_FFFF
        for entry in (first + 1)..<(first + LineAnswerCache.ways) {
            let stamp = headers[entry * 2 + 1] & 0xFFFF_FFFF
            if stamp < oldest { (victim, oldest) = (entry, stamp) }
        }
        guard oldest != batch else { return Lookup(entry: -1, hit: false) }
        let header = headers + victim * 2
        header[0] = hash
        header[1] = UInt64(count) << 32 | batch
        (keys + victim * LineAnswerCache.keyBytes).update(from: base, count: count)
        return Lookup(entry: Int32(victim), hit: false)
    }

    /// The answer line of a hit.
    @inline(__always)
    func answer(_ entry: Int32) -> UnsafeBufferPointer<UInt8> {
        let number = Int(truncatingIfNeeded: headers[Int(entry) * 2 + 1] >> 48) &- 1
        return UnsafeBufferPointer(start: answers + number * LineAnswerCache.answerBytes, count: Int(answerLengths[number]))
    }

    /// Stores the answer of the line `entry` was claimed for; an answer too long to keep, or a new one
    /// when `answerLimit` are kept, leaves it pending (never a hit), to be taken over later.
    @inline(__always)
    func fill(_ entry: Int32, with answer: UnsafeBufferPointer<UInt8>) {
        guard answer.count > 0, answer.count <= LineAnswerCache.answerBytes, let number = number(of: answer) else { return }
        let header = headers + Int(entry) * 2
        header[1] = header[1] & 0xFFFF_FFFF_FFFF | UInt64(number + 1) << 48
    }

    /// The number of an answer line, kept now if it is new; nil when `answerLimit` are kept.
    private func number(of answer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let source = answer.baseAddress else { return nil }
        let count = answer.count
        var slot = Int(truncatingIfNeeded: LineAnswerCache.hash(source, count) >> 48) & (LineAnswerCache.answerSlots - 1)
        while true {
            let stored = Int(answerIndex[slot])
            if stored == 0 { break }
            let number = stored &- 1
            if Int(answerLengths[number]) == count, memcmp(answers + number * LineAnswerCache.answerBytes, source, count) == 0 {
                return number
            }
            slot = (slot &+ 1) & (LineAnswerCache.answerSlots - 1)
        }
        guard answerCount < LineAnswerCache.answerLimit else { return nil }
        let number = answerCount
        answerCount += 1
        (answers + number * LineAnswerCache.answerBytes).update(from: source, count: count)
        answerLengths[number] = Int32(count)
        answerIndex[slot] = UInt16(number + 1)
        return number
    }

    /// Ends a batch: its entries are no longer pinned. (Stamps wrap after 2^32 - 1 batches; pinning
    /// compares for equality, so only the choice of the older entry suffers, once.)
    func endBatch() {
        batch = (batch &+ 1) & 0xFFFF_FFFF
        if batch == 0 { batch = 1 }
    }

    /// A hash of the line's bytes, sixteen at a time in two lanes; only its spread matters (keys are
    /// compared in full), and it is most of what a line that is not remembered costs here.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        var left = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15, right: UInt64 = 0x2545_F491_4F6C_DD1D
        var offset = 0
        while offset &+ 16 <= count {
            left = ((left ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD).rotated(29)
            right = ((right ^ raw.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53).rotated(31)
            offset &+= 16
        }
        if offset < count {
            // The last sixteen bytes again, overlapping, or the few there are.
            var first: UInt64 = 0, second: UInt64 = 0
            if count >= 16 {
                first = raw.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
                second = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else if count >= 8 {
                first = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                second = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            } else {
                while offset < count { first = first << 8 | UInt64(base[offset]); offset &+= 1 }
            }
            left = ((left ^ first) &* 0xFF51_AFD7_ED55_8CCD).rotated(29)
            right = ((right ^ second) &* 0xC4CE_B9FE_1A85_EC53).rotated(31)
        }
        var hash = left ^ right.rotated(17)
        hash ^= hash >> 29
        return hash &* 0x94D0_49BB_1331_11EB
    }
}

private extension UInt64 {
    @inline(__always) func rotated(_ bits: UInt64) -> UInt64 { self << bits | self >> (64 &- bits) }
}
