import Foundation

/// Decides whether what a report names as the failed recipient is a mail address at all.
/// Local deliveries report the pipe command or mailbox file they ran (`|/usr/bin/procmail`,
/// `/var/mail/bob`), and broken reports leave fragments such as `@example.net`; none of these may
/// reach the suppression list.
enum RecipientAddress {
    /// The usable address, or why the text is not one. An RFC 5321 source route
    /// (`@relay.example:bob@example.net`) is reduced to the mailbox it ends in.
    static func validate(_ raw: String) -> Result<String, Rejection> {
        var text = AddressText.stripAngles(raw).trimmingCharacters(in: "\"'")
        // `Bob <bob@example.net>`: the mailbox inside the angle brackets.
        if text.utf8.contains(UInt8(ascii: "<")), let inner = AddressText.mailbox(text) { text = inner }
        if text.hasPrefix("@"), let colon = text.firstIndex(of: ":") {
            text = AddressText.stripAngles(String(text[text.index(after: colon)...]))
        }
        if text.hasPrefix("|") { return .failure(Rejection("\"\(raw)\" is a pipe command, not an address")) }
        if text.hasPrefix("/") || text.hasPrefix("~/") {
            return .failure(Rejection("\"\(raw)\" is a file path, not an address"))
        }
        guard let at = text.firstIndex(of: "@") else {
            return .failure(Rejection("\"\(raw)\" has no domain, so it is not an address"))
        }
        if at == text.startIndex { return .failure(Rejection("\"\(raw)\" is a host fragment without a mailbox")) }
        guard AddressText.looksLikeAddress(text) else {
            return .failure(Rejection("\"\(raw)\" is not shaped like local@domain"))
        }
        return .success(text)
    }

    /// True for addresses that only ever answer for the mail system itself.
    static func isMailSystemAccount(_ address: String) -> Bool {
        guard let at = address.firstIndex(of: "@") else { return false }
        let local = address[..<at].lowercased()
        return local == "mailer-daemon" || local == "postmaster" || local == "mail-daemon" || local == "mailerdaemon"
    }

    /// Why a recipient was refused.
    struct Rejection: Error, Sendable, Hashable {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
