import Foundation

/// The remote server's reply when the reporting MTA wraps it in words of its own instead of starting
/// the diagnostic with it:
/// - old Postfix (before 2.3 put the reply in `smtp; 550 …`) writes
///   `Diagnostic-Code: X-Postfix; host mx.example.net[192.0.2.1] said: 550 5.1.1 <bob@…>… User unknown`;
/// - Cisco Secure Email (AsyncOS) puts its own status and description first and quotes the reply after
///   it: `5.1.0 - Unknown address error 550-'5.1.1 <bob@…>: … User unknown …'`, or, as its bounce log
///   writes it, `5.1.0 - Unknown address error ('550', ['5.1.1 <bob@…>… User unknown'])`.
/// The reply's code and enhanced status describe the recipient; the wrapper's `5.1.0` says less.
enum EmbeddedReply {
    /// The reply's code (4xx/5xx) and, when the reply states one, its enhanced status.
    static func reply(in diagnostic: String) -> (code: Int, status: String?)? {
        guard ReplyText.leadingCode(diagnostic) == nil else { return nil }
        let rest: Substring
        if let said = diagnostic.byteRange(of: " said:") {
            rest = diagnostic[said.upperBound...].drop(while: { $0 == " " })
            // Only a reply that follows "said:" at once: "said: 550 …", not a later number.
            guard ReplyText.leadingCode(rest) != nil else { return nil }
        } else if let status = ReplyText.enhancedStatus(in: diagnostic.prefix(12)), diagnostic.hasPrefix(status + " - ") {
            rest = diagnostic.dropFirst(status.count + 3)
        } else {
            return nil
        }
        guard let (code, end) = firstCode(in: rest) else { return nil }
        // The status, if any, opens the reply: `550 5.1.1`, `550-'5.1.1`, `'550', ['5.1.1`.
        return (code, ReplyText.enhancedStatus(in: rest[end...].prefix(16)))
    }

    /// The reply's own enhanced status (nil when the reply gives none or there is no embedded reply).
    static func enhancedStatus(in diagnostic: String) -> String? { reply(in: diagnostic)?.status }

    /// The first three-digit 4xx/5xx code standing alone (`550 `, `550-'`, `'550'`): not part of an IP
    /// address, a longer number or a status such as `5.1.0`.
    private static func firstCode(in text: Substring) -> (Int, Substring.Index)? {
        let chars = Array(text.utf8)
        var index = 0
        while index + 3 <= chars.count {
            let first = chars[index]
            let isBoundaryBefore = index == 0 || !(isDigit(chars[index - 1]) || chars[index - 1] == UInt8(ascii: "."))
            if (first == UInt8(ascii: "4") || first == UInt8(ascii: "5")), isBoundaryBefore,
                isDigit(chars[index + 1]), isDigit(chars[index + 2]),
                index + 3 == chars.count || !(isDigit(chars[index + 3]) || chars[index + 3] == UInt8(ascii: "."))
            {
                let code = Int(first - 48) * 100 + Int(chars[index + 1] - 48) * 10 + Int(chars[index + 2] - 48)
                let end = text.utf8.index(text.utf8.startIndex, offsetBy: index + 3)
                return (code, end)
            }
            index += 1
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
