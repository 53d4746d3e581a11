extension Classifier.Facts {
    /// The reply answers our AUTH command or demands one (RFC 4954: 530 authentication required, 534 mechanism too
    /// weak, 535 credentials invalid, 538 encryption required for the mechanism). Such a reply comes before any
    /// recipient is named, so a "user", "account" or "mailbox" in its words is our login's, never the recipient's:
    /// "535 Error: user has been suspended", "535 Неверные учетные данные" (invalid credentials).
    var isAuthenticationReply: Bool {
        guard let code else { return false }
        return code == 530 || code == 534 || code == 535 || code == 538
    }
}

extension Classifier {
    /// What a suppression becomes when the reply answers our AUTH command (safety rule 7 in Config/rules/README.md).
    static let authenticationReplyVerdict = Classification(
        category: .sender, reason: "not_authenticated", ruleID: "guard.auth_reply",
        evidence: "a 530/534/535/538 reply answers our AUTH command (RFC 4954): its words are about our login, never the recipient")
}
