/// A recipient address in the one normal form bounceplan stores and compares.
///
/// Normalisation, in order:
/// 1. surrounding ASCII whitespace and one pair of angle brackets are removed;
/// 2. the address splits at its last `@`; an unquoted local part may not hold another `@`;
/// 3. ASCII letters are lower-cased in both parts: every large mailbox provider treats local parts
///    case-insensitively, and a suppression that misses `Bob@` after `bob@` bounced is worse than the
///    rare server that distinguishes them;
/// 4. internationalised domains are kept in their Unicode form (non-ASCII is not changed);
/// 5. the address is refused when the local part is empty or over 64 bytes, the domain is not a dotted
///    host name (labels 1–63 bytes of letters, digits, hyphens or non-ASCII, no hyphen at either end)
///    or a bracketed address literal, the whole is over 254 bytes, or it holds control characters or
///    unquoted spaces.
public struct RecipientAddress: Sendable, Hashable {
    public let address: String
    public let domain: String

    /// Why an address was refused; stored as the rejected event's reason.
    public enum Problem: String, Sendable, Error {
        case missing = "recipient_missing"
        case noAt = "recipient_no_at_sign"
        case multipleAt = "recipient_multiple_at_signs"
        case emptyLocalPart = "recipient_empty_local_part"
        case localPartTooLong = "recipient_local_part_too_long"
        case tooLong = "recipient_too_long"
        case invalidCharacter = "recipient_invalid_character"
        case invalidDomain = "recipient_invalid_domain"
    }

    /// Normalises `raw`, or returns why it cannot be a recipient.
    public static func normalize(_ raw: String?) -> Result<RecipientAddress, Problem> {
        guard var raw else { return .failure(.missing) }
        return raw.withUTF8 { normalizeValid(UnsafeRawBufferPointer($0)) }
    }

    /// Normalises the UTF-8 bytes of a field as `normalize(String(decoding:as:))` would, without making that
    /// string first: an ASCII address (nearly all) is read in place; any other goes through the string, whose
    /// repairs of invalid UTF-8 change the lengths the rules count. Nil is a missing recipient.
    public static func normalize(bytes raw: UnsafeRawBufferPointer?) -> Result<RecipientAddress, Problem> {
        guard let raw else { return .failure(.missing) }
        guard raw.allSatisfy({ $0 < 0x80 }) else { return normalize(String(decoding: raw, as: UTF8.self)) }
        return normalizeValid(raw)
    }

    /// The rules above, on valid UTF-8. One buffer and two strings per address: the bytes are checked in
    /// place, and the address and its domain are made from one lower-cased copy (callgrind, pass 1's reader:
    /// splitting into arrays and joining strings cost about 3,700 instructions an event).
    private static func normalizeValid(_ raw: UnsafeRawBufferPointer) -> Result<RecipientAddress, Problem> {
        // 1. whitespace and angle brackets
        var start = raw.startIndex
        var end = raw.endIndex
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        if end - start >= 2, raw[start] == UInt8(ascii: "<"), raw[end - 1] == UInt8(ascii: ">") {
            start += 1
            end -= 1
        }
        if start == end { return .failure(.missing) }
        if end - start > 254 { return .failure(.tooLong) }
        // 2. split at the last @
        var at = end - 1
        while at >= start, raw[at] != UInt8(ascii: "@") { at -= 1 }
        guard at >= start else { return .failure(.noAt) }
        let local = UnsafeRawBufferPointer(rebasing: raw[start..<at])
        let domain = UnsafeRawBufferPointer(rebasing: raw[(at + 1)..<end])
        if local.isEmpty { return .failure(.emptyLocalPart) }
        if local.count > 64 { return .failure(.localPartTooLong) }
        let quoted = local.count >= 2 && local.first == UInt8(ascii: "\"") && local.last == UInt8(ascii: "\"")
        for byte in local {
            if byte < 0x20 || byte == 0x7f { return .failure(.invalidCharacter) }
            if !quoted {
                if byte == UInt8(ascii: "@") { return .failure(.multipleAt) }
                if isSpace(byte) || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                    || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"")
                {
                    return .failure(.invalidCharacter)
                }
            }
        }
        guard isValidDomain(domain) else { return .failure(.invalidDomain) }
        // 3. lower-case ASCII letters: the address is the trimmed bytes lower-cased, split at its last @.
        let lowered = UnsafeRawBufferPointer(rebasing: raw[start..<end]).map { $0 >= 0x41 && $0 <= 0x5a ? $0 + 0x20 : $0 }
        let address = String(decoding: lowered, as: UTF8.self)
        let domainText = String(decoding: lowered[(at + 1 - start)...], as: UTF8.self)
        return .success(RecipientAddress(address: address, domain: domainText))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    private static func isValidDomain(_ domain: UnsafeRawBufferPointer) -> Bool {
        if domain.isEmpty || domain.count > 253 { return false }
        if domain.first == UInt8(ascii: "["), domain.last == UInt8(ascii: "]") {
            // Address literal: [192.0.2.1] or [IPv6:…]
            return domain.count > 2 && domain.dropFirst().dropLast().allSatisfy {
                $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]")
            }
        }
        var labelLength = 0
        var labels = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in domain {
            if byte == UInt8(ascii: ".") {
                if labelLength == 0 || previous == UInt8(ascii: "-") { return false }
                labels += 1
                labelLength = 0
            } else {
                let allowed = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a)
                    || (byte >= 0x61 && byte <= 0x7a) || byte == UInt8(ascii: "-") || byte >= 0x80
                if !allowed { return false }
                if labelLength == 0 && byte == UInt8(ascii: "-") { return false }
                labelLength += 1
                if labelLength > 63 { return false }
            }
            previous = byte
        }
        if labelLength == 0 || previous == UInt8(ascii: "-") { return false }
        return labels + 1 >= 2
    }
}
