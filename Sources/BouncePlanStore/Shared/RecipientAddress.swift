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
        guard let raw else { return .failure(.missing) }
        var bytes = Array(raw.utf8)
        // 1. whitespace and angle brackets
        while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        if bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">"), bytes.count >= 2 {
            bytes.removeFirst()
            bytes.removeLast()
        }
        if bytes.isEmpty { return .failure(.missing) }
        if bytes.count > 254 { return .failure(.tooLong) }
        // 2. split at the last @
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return .failure(.noAt) }
        var local = Array(bytes[..<at])
        var domain = Array(bytes[(at + 1)...])
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
        // 3. lower-case ASCII letters
        lowercaseASCII(&local)
        lowercaseASCII(&domain)
        let domainText = String(decoding: domain, as: UTF8.self)
        let address = String(decoding: local, as: UTF8.self) + "@" + domainText
        return .success(RecipientAddress(address: address, domain: domainText))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    private static func lowercaseASCII(_ bytes: inout [UInt8]) {
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5a {
            bytes[index] += 0x20
        }
    }

    private static func isValidDomain(_ domain: [UInt8]) -> Bool {
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
