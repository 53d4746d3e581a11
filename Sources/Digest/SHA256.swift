import Crypto

/// SHA-256 (FIPS 180-4) as lower-case hex: policy and rule digests, migration checksums, ingest
/// idempotency keys. The digest itself is swift-crypto's (BoringSSL on Linux, CryptoKit on Apple
/// systems); this module fixes the text form, which must match `sha256sum` and PostgreSQL's `sha256()`.
public enum SHA256 {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The digest of `bytes` as 64 lower-case hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in Crypto.SHA256.hash(data: bytes) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
