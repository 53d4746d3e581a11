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
        groups = groups.flatMap(splitRecipients)
        let isRecipientGroup: (HeaderFields) -> Bool = {
            $0.contains("Final-Recipient") || $0.contains("Original-Recipient")
        }
        // Some MTAs omit the per-message group; then the first group already names a recipient.
        let perMessage = groups.first.flatMap { isRecipientGroup($0) ? nil : $0 } ?? HeaderFields()
        return DeliveryStatusReport(perMessage: perMessage, recipients: groups.filter(isRecipientGroup))
    }

    /// Some MTAs write every recipient's fields without the blank line between groups, or glue the
    /// per-message fields to the first recipient: a group restarts at a recipient field that
    /// cannot belong to the recipient already being read.
    private static func splitRecipients(_ group: HeaderFields) -> [HeaderFields] {
        var pieces: [HeaderFields] = []
        var current = HeaderFields()
        var hasFinal = false, hasOriginal = false, hasDetails = false, hasRecipient = false
        for field in group.fields {
            let name = field.name.lowercased()
            let isFinal = name == "final-recipient", isOriginal = name == "original-recipient"
            let startsAnother = (isFinal && hasFinal) || (isOriginal && (hasOriginal || hasDetails && hasRecipient))
                || ((isFinal || isOriginal) && !hasRecipient && !current.isEmpty && pieces.isEmpty && isPerMessageOnly(current))
            if startsAnother {
                pieces.append(current)
                current = HeaderFields()
                hasFinal = false; hasOriginal = false; hasDetails = false; hasRecipient = false
            }
            current.fields.append(field)
            hasFinal = hasFinal || isFinal
            hasOriginal = hasOriginal || isOriginal
            hasRecipient = hasFinal || hasOriginal
            hasDetails = hasDetails || name == "action" || name == "status"
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static let perMessageFields: Set<String> = [
        "reporting-mta", "arrival-date", "received-from-mta", "dsn-gateway", "original-envelope-id",
    ]

    /// True when the fields so far are per-message ones (Reporting-MTA, Arrival-Date, X-… extensions).
    private static func isPerMessageOnly(_ fields: HeaderFields) -> Bool {
        fields.fields.contains { perMessageFields.contains($0.name.lowercased()) }
            && fields.fields.allSatisfy { perMessageFields.contains($0.name.lowercased()) || $0.name.lowercased().hasPrefix("x-") }
    }
}
