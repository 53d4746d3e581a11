/// How urgent a sender problem is.
public enum SenderIssueSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A few recipients, nothing systemic.
    case low
    /// Enough recipients to look into this week.
    case medium
    /// Fix before the next campaign.
    case high
    /// A high-reason problem hitting very many recipients: stop and fix now.
    case critical

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Grades sender problems (`sender`-category bounces: our setup or reputation was refused).
///
/// Authentication failures and block listings stop mail to whole providers, so they are high at
/// the first sight; anything else is graded by how many recipients it hit.
public struct SenderIssuePolicy: Sendable, Hashable {
    /// Reasons that are high at once; a trailing `*` matches a prefix (`auth_*`).
    public var highReasons: [String]
    /// From this many affected recipients an issue is at least medium.
    public var mediumRecipients: Int
    /// From this many affected recipients an issue is at least high…
    public var highRecipients: Int
    /// …and a high-reason issue this widespread is critical.
    public var criticalRecipients: Int

    public init(highReasons: [String], mediumRecipients: Int, highRecipients: Int, criticalRecipients: Int) {
        self.highReasons = highReasons
        self.mediumRecipients = mediumRecipients
        self.highRecipients = highRecipients
        self.criticalRecipients = criticalRecipients
    }

    /// auth_*, block listings, banned or refused IPs and Microsoft's tenant threshold high; medium from
    /// 10, high from 100, critical from 1000 recipients. A refused IP stops mail to a whole provider.
    public static let defaults = SenderIssuePolicy(
        highReasons: ["auth_*", "ip_blocklisted", "domain_blocklisted", "banned_ip", "ip_traffic_refused", "tenant_threshold"],
        mediumRecipients: 10, highRecipients: 100, criticalRecipients: 1000)

    /// Whether `reason` is listed as high.
    public func isHighReason(_ reason: String) -> Bool {
        highReasons.contains { pattern in
            pattern.hasSuffix("*") ? reason.hasPrefix(String(pattern.dropLast())) : reason == pattern
        }
    }

    /// The severity of an issue with `reason` that hit `distinctRecipients` recipients in `eventCount` events.
    public func severity(reason: String, eventCount: Int, distinctRecipients: Int) -> SenderIssueSeverity {
        let reach = max(0, distinctRecipients)
        guard eventCount > 0 else { return .low }
        if isHighReason(reason) { return reach >= criticalRecipients ? .critical : .high }
        if reach >= highRecipients { return .high }
        if reach >= mediumRecipients { return .medium }
        return .low
    }
}
