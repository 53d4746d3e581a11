/// The safety rules no rule file can break, applied after rule evaluation.
///
/// Suppressing a good address because the remote server refused *us* is the costliest mistake, so:
/// 1. A `suppress` verdict (from any rule, default or user) is withdrawn when the text also speaks of
///    block lists, authentication, reputation, rate, spam, content or policy. The best matching
///    non-suppress text rule decides instead; failing that, the guard phrase itself does.
/// 2. A `suppress` verdict reached without text evidence (status or reply code only) for a `x.7.x`
///    status is turned into `sender` / `policy_rejection`: 5.7.1 means almost anything.
/// 3. A `suppress` verdict for a 4xx reply (or a 4.x.x status without a reply code) becomes `retry`
///    with the same reason: the server itself says the failure is temporary. The exception is
///    `mailbox_full_inactive`: a mailbox that is full *and* inactive will not come back, whatever the code.
/// 4. A `suppress` verdict for an x.1.7 or x.1.8 status (bad sender address) becomes `sender` /
///    `sender_address_invalid`.
/// 5. A response with no reply code, no status and no matching text is `unknown` / `unclassified`.
enum SafetyGuard {
    /// A sender-side phrase and what the response means when it overrides a suppression.
    struct Phrase: Sendable {
        let phrase: String
        let category: BounceCategory
        let reason: String
        /// The rule id reported when the guard decides, e.g. `guard.ip_blocklisted`.
        let ruleID: String
        /// Evidence reported when the guard decides.
        let evidence: String

        init(_ phrase: String, _ category: BounceCategory, _ reason: String) {
            self.phrase = phrase
            self.category = category
            self.reason = reason
            ruleID = "guard.\(reason)"
            evidence = "sender-side phrase '\(phrase)' forbids suppression"
        }
    }

    /// In priority order: the first one found decides when no rule does.
    static let phrases: [Phrase] = [
        Phrase("blocklist", .sender, "ip_blocklisted"),
        Phrase("block list", .sender, "ip_blocklisted"),
        Phrase("blacklist", .sender, "ip_blocklisted"),
        Phrase("black list", .sender, "ip_blocklisted"),
        Phrase("blocked using", .sender, "ip_blocklisted"),
        Phrase("spamhaus", .sender, "ip_blocklisted"),
        Phrase("spamcop", .sender, "ip_blocklisted"),
        Phrase("barracuda", .sender, "ip_blocklisted"),
        Phrase("dnsbl", .sender, "ip_blocklisted"),
        Phrase("dmarc", .sender, "auth_dmarc"),
        Phrase("dkim", .sender, "auth_dkim"),
        Phrase("spf", .sender, "auth_spf"),
        Phrase("sender policy framework", .sender, "auth_spf"),
        Phrase("authenticat", .sender, "auth_failed"),
        Phrase("reverse dns", .sender, "reverse_dns"),
        Phrase("ptr record", .sender, "reverse_dns"),
        Phrase("reputation", .sender, "reputation"),
        Phrase("rate limit", .ratelimit, "rate_limited"),
        Phrase("rate-limit", .ratelimit, "rate_limited"),
        Phrase("ratelimit", .ratelimit, "rate_limited"),
        Phrase("at a rate", .ratelimit, "rate_limited"),
        Phrase("too many", .ratelimit, "rate_limited"),
        Phrase("too fast", .ratelimit, "rate_limited"),
        Phrase("throttl", .ratelimit, "rate_limited"),
        Phrase("virus", .content, "virus"),
        Phrase("malware", .content, "virus"),
        Phrase("spam", .content, "spam_content"),
        Phrase("content", .content, "content_policy"),
        Phrase("policy", .sender, "policy_rejection"),
    ]

    /// Rule id and evidence for rule 2.
    static let securityStatusRuleID = "guard.status_x7_not_suppress"
    static let securityStatusEvidence = "an x.7.x status without recipient text never suppresses"
    static let temporaryCodeEvidence = "4xx reply: the server calls the failure temporary, so retry instead of suppressing"
    static let senderAddressStatusRuleID = "guard.status_sender_address"
    static let senderAddressStatusEvidence = "x.1.7/x.1.8 concern the sender's address, never the recipient"
    static let fullAndInactiveReason = "mailbox_full_inactive"
    static let unclassifiedRuleID = "fallback.unclassified"
}
