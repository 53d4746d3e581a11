import Digest

/// A Bloom filter over the recipients that have a row in any of the plan tables the recipient pass reads
/// (`suppressions`, `retry_schedule`, `soft_bounces`, `last_deliveries`), kept by the run in
/// `recipient_filter` (migration 0011). It answers "certainly no prior state" for most of a night's
/// recipients, so that only the others are looked up: without it every recipient of the night cost a
/// primary-key probe into each table, about 2.2 M probes finding 33 k rows at 1 M events on 5 M of history.
///
/// It only ever answers "maybe" wrongly, never "no": a recipient whose rows were deleted stays in it (one
/// needless probe), and a stale or missing filter is rebuilt from the tables. Its size is fixed, so the
/// run's memory does not grow with the history; past about 10 M recipients more of them answer "maybe"
/// and the pass probes more, as it did before the filter.
///
/// Layout (persisted: change `format` when it changes): `wordCount` 64-bit words; a recipient's hash
/// picks one word by its low bits and sets four bits in it, six hash bits each from the top, so that a
/// lookup touches one cache line.
struct RecipientFilter: Equatable {
    /// The stored layout's version; a stored filter of another version is rebuilt.
    static let format: Int32 = 1
    /// 2²⁰ words, 8 MiB: about 0.5 % false "maybe" at 4 M recipients.
    static let wordCount = 1 << 20

    private(set) var words: [UInt64]

    init() { words = Array(repeating: 0, count: Self.wordCount) }

    /// A filter read back from its stored bytes (big-endian words); nil when they are not this layout.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == Self.wordCount * 8 else { return nil }
        words = (0..<Self.wordCount).map { UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }

    /// The stored bytes: the words, big-endian.
    var bytes: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: words.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            for (index, word) in words.enumerated() { raw.storeBytes(of: word.bigEndian, toByteOffset: index * 8, as: UInt64.self) }
        }
        return bytes
    }

    mutating func insert<Bytes: Sequence<UInt8>>(_ recipient: Bytes) {
        let (word, mask) = Self.slot(Self.hash(recipient))
        words[word] |= mask
    }

    /// False when the recipient was certainly never inserted.
    func mayContain<Bytes: Sequence<UInt8>>(_ recipient: Bytes) -> Bool {
        let (word, mask) = Self.slot(Self.hash(recipient))
        return words[word] & mask == mask
    }

    private static func slot(_ hash: UInt64) -> (word: Int, mask: UInt64) {
        let word = Int(truncatingIfNeeded: hash) & (wordCount - 1)
        var mask: UInt64 = 0
        for shift in stride(from: 40, to: 64, by: 6) { mask |= 1 << ((hash >> UInt64(shift)) & 63) }
        return (word, mask)
    }

    /// FNV-1a 64 of the normalised address's UTF-8 bytes, then MurmurHash3's finaliser, which spreads FNV's
    /// weak low and high bits over the whole word (both ends are used above). Persisted: never change it
    /// without changing `format`.
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash = FNV1a64.hash(bytes)
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
