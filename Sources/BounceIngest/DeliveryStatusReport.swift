import Foundation

/// The fields of an RFC 3464 message/delivery-status part: one per-message group, then one group
/// per recipient, separated by blank lines.
struct DeliveryStatusReport: Sendable {
    var perMessage: HeaderFields
    var recipients: [HeaderFields]

    static func parse(_ body: ArraySlice<UInt8>) -> DeliveryStatusReport {
        var groups: [HeaderFields] = []
        var index = body.startIndex
        while let line = body.line(at: index) {
            if line.isEmpty { index = line.next; continue }
            let (fields, bodyStart) = HeaderParser.parse(body[index...])
            if fields.isEmpty {
                index = line.next  // a stray non-field line
            } else {
                groups.append(fields)
                index = max(bodyStart, line.next)
            }
        }
        let isRecipientGroup: (HeaderFields) -> Bool = {
            $0.contains("Final-Recipient") || $0.contains("Original-Recipient")
        }
        // Some MTAs omit the per-message group; then the first group already names a recipient.
        let perMessage = groups.first.flatMap { isRecipientGroup($0) ? nil : $0 } ?? HeaderFields()
        return DeliveryStatusReport(perMessage: perMessage, recipients: groups.filter(isRecipientGroup))
    }
}
