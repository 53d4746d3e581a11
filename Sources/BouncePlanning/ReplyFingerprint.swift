/// A reply's text with what varies per recipient masked, hashed: two replies that differ only in
/// the address, the queue id, the IP or a number have the same fingerprint.
///
/// The storm guard's strongest sign is one identical reply for many recipients within minutes: a
/// provider's outage answers every recipient with the same sentence, while ordinary user-unknown
/// replies differ in the address, the host or the id they quote. Byte-level on purpose: this runs
/// for every suppression of a night, where a regular expression would cost far more.
public enum ReplyFingerprint {
    /// Only the start of a reply is read: real replies are far shorter, and the start decides.
    public static let textLimit = 512

    /// The masked text: lower case; a word containing `@` becomes `@`; a word containing a digit
    /// (codes, ids, IPs, dates, host names with numbers) becomes `#`; runs of space become one space.
    public static func masked(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(min(text.utf8.count, textLimit))
        var word: [UInt8] = []
        var hasDigit = false
        var hasAt = false
        func flush() {
            guard !word.isEmpty else { return }
            if !output.isEmpty { output.append(UInt8(ascii: " ")) }
            if hasAt {
                output.append(UInt8(ascii: "@"))
            } else if hasDigit {
                output.append(UInt8(ascii: "#"))
            } else {
                output.append(contentsOf: word)
            }
            word.removeAll(keepingCapacity: true)
            hasDigit = false
            hasAt = false
        }
        for byte in text.utf8.prefix(textLimit) {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                 UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\""):
                flush()
            default:
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { hasDigit = true }
                if byte == UInt8(ascii: "@") { hasAt = true }
                word.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
            }
        }
        flush()
        return String(decoding: output, as: UTF8.self)
    }

    /// FNV-1a 64 of the masked text as a signed 64-bit value (PostgreSQL's `bigint`).
    public static func of(_ text: String) -> Int64 {
        Int64(bitPattern: StableHash.fnv1a64(masked(text)))
    }
}
