import Foundation

/// Gmail: "Your message wasn't delivered to bob@example.net because ..." or "Delivery to the
/// following recipient failed permanently:", then "The response from the remote server was:".
enum GmailBounceText {
    private static let recipientLeads = [
        "wasn't delivered to ", "problem delivering your message to ", "your message to ",
        "delivery to the following recipient",
    ]
    private static let responseLeads = [
        "the response from the remote server was:", "the error that the other server returned was:", "the response was:",
        "technical details of temporary failure:", "technical details of permanent failure:",
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        guard text.mentions(any: recipientLeads), text.mentions(any: responseLeads) else { return [] }
        let lines = text.lines
        var recipients: [String] = []
        // Leads in order of preference: the server's own words beat Google's summary of them.
        var responses: [Int: String] = [:]
        var remote: String?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let lower = line.lowercased()
            index += 1
            if lower.containsBytes(of: "delivery to the following recipient") {
                while index < lines.count, lines[index].trimmed.isEmpty { index += 1 }
                while index < lines.count, let address = AddressText.firstAddress(in: lines[index]),
                    lines[index].split(whereSeparator: \.isWhitespace).count == 1
                {
                    recipients.append(address)
                    index += 1
                }
            } else if let lead = recipientLeads.first(where: { lower.containsBytes(of: $0) }),
                let range = lower.byteRange(of: lead)
            {
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                if let address = AddressText.firstAddress(in: line.dropFirst(offset)) { recipients.append(address) }
            } else if let leadIndex = responseLeads.firstIndex(where: { lower.containsBytes(of: $0) }), responses[leadIndex] == nil {
                let lead = responseLeads[leadIndex]
                var pieces: [String] = []
                if let range = lower.byteRange(of: lead) {
                    let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                    let sameLine = line.dropFirst(offset).trimmed
                    if !sameLine.isEmpty { pieces.append(sameLine) }
                }
                if pieces.isEmpty { while index < lines.count, lines[index].trimmed.isEmpty { index += 1 } }
                while index < lines.count, !lines[index].trimmed.isEmpty {
                    pieces.append(lines[index].trimmed)
                    index += 1
                }
                responses[leadIndex] = pieces.joined(separator: " ")
            }
        }
        for line in lines where remote == nil && line.lowercased().containsBytes(of: "for the recipient domain") {
            if let by = line.byteRange(of: " by ", backwards: true) {
                remote = line[by.upperBound...].split(separator: " ").first.map { $0.trimmingCharacters(in: ".") }
            }
        }
        guard let response = responses.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isEmpty })?.value else { return [] }
        return recipients.map {
            TextualFailure(recipient: $0, diagnostic: response, remoteMTA: remote, kind: text.failureKind)
        }
    }
}
