import Foundation

/// Notices of the ARPANET-era host mailers that still run on preserved systems: ITS's COMSAT
/// ("A copy of your message is being returned, because:" … `"BOB" at HOST is an unknown recipient.` /
/// `FAILED: BOB at HOST; reason` … "Failed message follows:") and the TOPS-20 mailer's
/// ("Message failed for the following:" then `BOB at HOST: reason` lines). They predate RFC 822's
/// `user@host`, carry no bounce subject, no null return path and no reply codes, and name the
/// recipient as `user at host` (the forms the Lisp Machine ZMail's COMSAT-REPLY and XMAILR-REPLY read).
enum LegacyHostNotice {
    /// Lines that announce such a notice; without one of them, `user at host` is just prose. (COMSAT's
    /// "Failed message follows:" is a copy marker, so the text read here ends above it.)
    static let announcements = ["copy of your message is being returned", "message failed for the following"]
    /// COMSAT's verdict sentence after the recipient.
    static let unknownRecipient = " is an unknown recipient"

    static func failures(in text: BounceText) -> [TextualFailure] {
        // Every bounce passes through here: one search of the already lower-cased text rules most out.
        guard text.mentions(any: announcements) else { return [] }
        let lines = text.lines.prefix(80)
        guard let opening = lines.firstIndex(where: { line in
            let lower = line.lowercased()
            return announcements.contains { lower.containsBytes(of: $0) }
        }) else { return [] }
        var failures: [TextualFailure] = []
        var listsFailures = false
        for line in lines[opening...] {
            let trimmed = line.trimmed
            let lower = trimmed.lowercased()
            // The returned message starts here (TOPS-20 sets it off with a dashed line); its header
            // lines are not verdicts.
            if lower.containsBytes(of: "failed message follows") || trimmed.count >= 3 && trimmed.allSatisfy({ $0 == "-" }) { break }
            if lower.containsBytes(of: "message failed for the following") {
                listsFailures = true
                continue
            }
            if let found = verdict(trimmed, listed: listsFailures) {
                failures.append(TextualFailure(recipient: found.recipient, diagnostic: found.reason, remoteMTA: nil, kind: text.failureKind))
            }
        }
        return failures
    }

    /// One recipient and its reason, from `"BOB" at HOST is an unknown recipient.`,
    /// `FAILED: BOB at HOST; reason` or, under "Message failed for the following:", `BOB at HOST: reason`.
    static func verdict(_ line: String, listed: Bool) -> (recipient: String, reason: String)? {
        if let end = line.byteRange(of: unknownRecipient) {
            guard let recipient = address(String(line[..<end.lowerBound])) else { return nil }
            return (recipient, line)
        }
        if line.uppercased().hasPrefix("FAILED:"), let semicolon = line.firstIndex(of: ";") {
            let who = line[line.index(line.startIndex, offsetBy: 7)..<semicolon]
            guard let recipient = address(String(who)) else { return nil }
            let reason = line[line.index(after: semicolon)...].trimmed
            return (recipient, reason.isEmpty ? line : reason)
        }
        if listed, let colon = line.firstIndex(of: ":") {
            guard let recipient = address(String(line[..<colon])) else { return nil }
            let reason = line[line.index(after: colon)...].trimmed
            return (recipient, reason.isEmpty ? StructuralBounceText.noDetails : reason)
        }
        return nil
    }

    /// `"BDAY-NOTICES" at ES-ITS.EXAMPLE.ORG` or `BOB at HOST` → `BDAY-NOTICES@ES-ITS.EXAMPLE.ORG`;
    /// an RFC 822 `bob@host` is taken as it is. Anything else (prose, several words) is no address.
    static func address(_ text: String) -> String? {
        let trimmed = text.trimmed
        let bare = AddressText.stripAngles(trimmed)
        if AddressText.looksLikeAddress(bare) { return bare }
        guard let at = trimmed.byteRange(of: " at ", backwards: true) else { return nil }
        let user = trimmed[..<at.lowerBound].trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let host = trimmed[at.upperBound...].trimmed
        guard !user.isEmpty, !host.isEmpty, host.contains("."),
            !user.contains(where: { $0 == " " || $0 == "@" }), !host.contains(where: { $0 == " " || $0 == "@" })
        else { return nil }
        let candidate = user + "@" + host
        return AddressText.looksLikeAddress(candidate) ? candidate : nil
    }
}
