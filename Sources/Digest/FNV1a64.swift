/// FNV-1a, 64-bit: the project's one small non-cryptographic hash, for values that must be the same on
/// every platform, release and run (Swift's `Hasher` is seeded per process): rule-set and training digests,
/// retry jitter, reply fingerprints, the recipient filter's bits, the rules cache's key and checksum.
/// Some of those are persisted or mirrored in SQL, so its constants never change.
@frozen
public struct FNV1a64: Sendable, Equatable {
    /// The FNV-1a 64 offset basis (14695981039346656037).
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV-1a 64 prime (1099511628211).
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the bytes added so far.
    public var value: UInt64

    /// A hash of no bytes yet.
    @inlinable
    public init() {
        value = Self.offsetBasis
    }

    /// One byte folded into `hash`: for loops that hash as they scan.
    @inlinable @inline(__always)
    public static func step(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* prime
    }

    /// The hash of `bytes`.
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a64()
        hasher.add(bytes)
        return hasher.value
    }

    /// Folds `bytes` into the hash.
    @inlinable
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        var hash = value
        // Read in place when the bytes are contiguous (arrays, buffers, native strings' UTF-8): a String's
        // UTF8View walked through its iterator cost about 35 instructions a byte in the recipient pass.
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer { hash = Self.step(hash, byte) }
        }
        if done == nil {
            for byte in bytes { hash = Self.step(hash, byte) }
        }
        value = hash
    }

    /// The hash as 16 lower-case hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
