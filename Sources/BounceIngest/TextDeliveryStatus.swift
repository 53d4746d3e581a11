import Foundation

/// RFC 3464 fields pasted into the human-readable text instead of a message/delivery-status part
/// (Amazon WorkMail's "Technical report", some gateways and forwarded reports): read as a report.
enum TextDeliveryStatus {
    private static let fieldNames: Set<String> = [
        "reporting-mta", "arrival-date", "received-from-mta", "original-envelope-id", "final-recipient",
        "original-recipient", "action", "status", "diagnostic-code", "remote-mta", "last-attempt-date",
        "will-retry-until", "x-actual-recipient",
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        guard text.mentions(any: ["final-recipient:"]), text.mentions(any: ["status:", "diagnostic-code:"]) else { return [] }
        var kept: [Substring] = []
        var inField = false
        for line in text.lines {
            if line.trimmed.isEmpty {
                kept.append("")
                inField = false
            } else if let colon = line.firstIndex(of: ":"), fieldNames.contains(line[..<colon].trimmed.lowercased()) {
                kept.append(Substring(line.trimmed))
                inField = true
            } else if inField, line.first == " " || line.first == "\t" {
                kept.append(line)
            } else {
                inField = false
            }
        }
        let report = DeliveryStatusReport.parse(Array(kept.joined(separator: "\n").utf8)[...])
        return DeliveryStatusEvents.drafts(from: report, textual: [], text: text).drafts.map {
            TextualFailure(recipient: $0.recipient, diagnostic: $0.diagnostic, remoteMTA: $0.remoteMTA, kind: $0.kind, status: $0.enhancedStatus)
        }
    }
}
