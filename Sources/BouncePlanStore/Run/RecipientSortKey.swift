/// The recipient pass's first sort key: the first ten bytes of a normalised recipient, six bits each, in
/// a 60-bit integer whose order agrees with the recipients' byte order (`COLLATE "C"`).
///
/// Why: the ordered read sorts tonight's staged rows by recipient. PostgreSQL abbreviates a text key to
/// its first eight bytes, and addresses often share those (`user1234…`, `newsletter…`): at 1 M events of
/// the bench mix each abbreviated key tied with about a hundred others, and every tie compared the whole
/// tuples, scattered over some 200 MB. Sorting by this key first, then by the recipient, keeps the order
/// exactly (`ORDER BY key, recipient` is `ORDER BY recipient`) while most comparisons are between two
/// integers held in the sort's own array.
///
/// Order: `rank` never decreases as the byte grows, and an address shorter than ten bytes is padded
/// with 0, below every byte's rank. Bytes that addresses use have a rank of their own (digits, lower-case
/// letters, `.`, `-`, `_`, `+`, `@`); rarer bytes share one per range, and the key ends after such a byte
/// (the rest is padding), because what follows two different bytes of one rank may be in either order.
/// So if `a < b` byte-wise: up to their first difference both keys hold the same ranks (or both ended at
/// the same shared rank, and the keys are equal); there `a` ended (0) or has the lower byte, whose rank is
/// lower, or shared with `b`'s (then both keys end there, equal). Hence key(a) ≤ key(b), and equal keys
/// are broken by the recipient itself.
enum RecipientSortKey {
    /// How many leading bytes the key holds.
    static let length = 10

    /// The key of a normalised recipient's UTF-8 bytes; non-negative (60 bits).
    static func of<Bytes: Sequence<UInt8>>(_ recipient: Bytes) -> Int64 {
        var key: UInt64 = 0
        var count = 0
        for byte in recipient {
            let rank = rank(byte)
            key = key << 6 | rank
            count += 1
            if count == length || isShared(rank) { break }
        }
        key <<= UInt64(6 * (length - count))
        return Int64(key)
    }

    /// Whether other bytes have this rank too (then the key ends after it).
    static func isShared(_ rank: UInt64) -> Bool {
        rank == 1 || rank == 17 || rank == 19 || rank >= 48
    }

    /// A byte's 6-bit rank, 1…49 (0 is the padding after the address's end); non-decreasing in the byte.
    static func rank(_ byte: UInt8) -> UInt64 {
        switch byte {
        case 0..<43: 1
        case 43...47: UInt64(byte) - 41  // + , - . /  → 2…6
        case 48...57: UInt64(byte) - 41  // 0…9 → 7…16
        case 58...63: 17
        case 64: 18  // @
        case 65...94: 19
        case 95: 20  // _
        case 96: 21
        case 97...122: UInt64(byte) - 75  // a…z → 22…47
        case 123...127: 48
        default: 49
        }
    }
}
