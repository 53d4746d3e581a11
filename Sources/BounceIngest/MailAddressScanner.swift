import Foundation

/// Finds address-shaped spans in a line of text by expanding around each `@`, so that
/// `RCPT To:<bob@example.net>`, `rfc822;bob@example.net` and `(bob@example.net)` all yield the
/// address and where it sits.
enum MailAddressScanner {
    struct Found {
        var address: String
        /// The text before and after the address on its line.
        var before: Substring
        var after: Substring
    }

    /// The address spans of the line, at most `limit` of them.
    static func addresses(in line: Substring, limit: Int = .max) -> [Found] {
        let bytes = Array(line.utf8)
        guard bytes.contains(UInt8(ascii: "@")) else { return [] }
        var found: [Found] = []
        var index = 0
        var searchFrom = 0
        while index < bytes.count, found.count < limit {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "@"), index >= searchFrom else { continue }
            var start = index
            while start > 0, isLocalByte(bytes[start - 1]) { start -= 1 }
            var end = index + 1
            while end < bytes.count, isDomainByte(bytes[end]) { end += 1 }
            while end > index + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
            while start < index, bytes[start] == UInt8(ascii: ".") { start += 1 }
            guard start < index, end > index + 1 else { continue }
            let address = String(decoding: bytes[start..<end], as: UTF8.self)
            guard AddressText.looksLikeAddress(address) else { continue }
            let utf8 = line.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: start)
            let upper = utf8.index(utf8.startIndex, offsetBy: end)
            found.append(Found(address: address, before: line[..<lower], after: line[upper...]))
            searchFrom = end
        }
        return found
    }

    /// Atext of RFC 5322 minus the characters that in practice only wrap addresses.
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "._%+-=!#$&*?^`{}~".utf8.contains(byte)
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
