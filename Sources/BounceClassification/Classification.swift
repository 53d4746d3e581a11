/// What the mailing system should do about a bounce. See DESIGN.md, "Categories".
public enum BounceCategory: String, Sendable, CaseIterable, Codable, Comparable {
    /// The recipient is gone or refuses us: stop mailing it.
    case suppress
    /// A temporary failure: send the message again later, with backoff.
    case retry
    /// A quota or throttle: slow down to that destination, and retry later.
    case ratelimit
    /// Our own setup or reputation was refused: fix it; never suppress the recipient.
    case sender
    /// The message was refused for what it contains: fix the campaign.
    case content
    /// Not a delivery failure (auto-replies, delivery notices).
    case ignore
    /// No rule matched: retried, never suppressed on first sight.
    case unknown

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One bounce as the classifier sees it: the remote server's answer and a little context.
public struct BounceResponse: Sendable, Hashable {
    /// The SMTP reply code (`550`), when the mailer recorded one.
    public var smtpCode: Int?
    /// The enhanced status code as recorded (`"5.1.1"`); may be malformed or missing.
    public var enhancedStatus: String?
    /// The server's text.
    public var diagnostic: String
    /// The recipient's domain, lower case, for provider-scoped rules.
    public var recipientDomain: String?
    /// The remote MTA's host name, for provider-scoped rules.
    public var remoteMTA: String?

    public init(
        smtpCode: Int? = nil, enhancedStatus: String? = nil, diagnostic: String,
        recipientDomain: String? = nil, remoteMTA: String? = nil
    ) {
        self.smtpCode = smtpCode
        self.enhancedStatus = enhancedStatus
        self.diagnostic = diagnostic
        self.recipientDomain = recipientDomain
        self.remoteMTA = remoteMTA
    }
}

/// The classifier's verdict, with enough to explain it.
public struct Classification: Sendable, Hashable {
    /// What the mailing system should do.
    public var category: BounceCategory
    /// Fine-grained reason such as `user_unknown`, `mailbox_full`, `rate_limited`.
    public var reason: String
    /// The id of the rule that decided it.
    public var ruleID: String
    /// What matched: the phrase, status code or reply code that triggered the rule.
    public var evidence: String

    public init(category: BounceCategory, reason: String, ruleID: String, evidence: String) {
        self.category = category
        self.reason = reason
        self.ruleID = ruleID
        self.evidence = evidence
    }
}
