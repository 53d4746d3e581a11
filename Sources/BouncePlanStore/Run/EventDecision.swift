import BounceClassification

/// The decision the run takes for one event before planning, in one place so that `rules diff`
/// previews exactly what the run would decide.
enum EventDecision {
    /// Longest diagnostic the classifier sees; real replies are far shorter, and a hostile 1 MB one must
    /// not cost a megabyte of matching.
    static let diagnosticLimit = 8 * 1024

    /// The kinds (lower case) whose decision the classifier makes; the others are decided by their kind.
    static let classifiedKinds = ["bounce", "deferral"]

    /// The classifier's view of a stored event.
    static func response(smtpCode: Int?, enhancedStatus: String?, diagnostic: UnsafeRawBufferPointer?,
                         recipientDomain: String, remoteMTA: String?) -> BounceResponse {
        BounceResponse(
            smtpCode: smtpCode.flatMap { (200...599).contains($0) ? $0 : nil },
            enhancedStatus: enhancedStatus,
            diagnostic: diagnostic.map { String(decoding: $0.prefix(diagnosticLimit), as: UTF8.self) } ?? "",
            recipientDomain: recipientDomain,
            remoteMTA: remoteMTA)
    }

    /// Outcome, reason and rule of an event of `kind` (lower case) for `recipient`; `classify` is
    /// called only for bounces and deferrals to a valid address. An event dated ahead of the server's
    /// clock (`inFuture`) is refused: planned as it is, it would hold its decisions for years.
    static func decide(kind: String, recipient: Result<RecipientAddress, RecipientAddress.Problem>, inFuture: Bool = false,
                       classify: (RecipientAddress) -> Classification) -> (outcome: String, reason: String, ruleID: String) {
        if inFuture { return ("rejected", "occurred_in_future", "input.occurred_at") }
        switch recipient {
        case .failure(let problem):
            return ("rejected", problem.rawValue, "input.recipient")
        case .success(let normalized):
            switch kind {
            case "delivery":
                return ("delivered", "delivered", "input.kind.delivery")
            case "complaint":
                return (BounceCategory.suppress.rawValue, "complaint", "input.kind.complaint")
            case _ where classifiedKinds.contains(kind):
                let classification = classify(normalized)
                var category = classification.category
                // A deferral is by definition not final: the server may still accept the message.
                if kind == "deferral" && category == .suppress { category = .retry }
                return (category.rawValue, classification.reason, classification.ruleID)
            default:
                return ("rejected", "unknown_kind", "input.kind")
            }
        }
    }
}
