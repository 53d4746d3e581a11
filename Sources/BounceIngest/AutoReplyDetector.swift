import Foundation

/// Recognises automatic replies (RFC 3834 and common vendor headers, out-of-office subjects).
enum AutoReplyDetector {
    private static let subjectPhrases = [
        "out of office", "out of the office", "automatic reply", "auto reply", "autoreply", "auto-reply",
        "abwesenheitsnotiz", "automatische antwort", "réponse automatique", "reponse automatique",
        "respuesta automática", "respuesta automatica", "risposta automatica", "fuera de la oficina",
        "absence du bureau", "vacation reply", "on vacation", "away from the office", "autosvar", "automatisch antwoord",
    ]

    /// Why the message is an auto-reply, or nil.
    static func reason(headers: HeaderFields, subject: String) -> String? {
        if let submitted = headers["Auto-Submitted"]?.lowercased(), !submitted.hasPrefix("no") {
            return "Auto-Submitted: \(submitted)"
        }
        for name in ["X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"] where headers.contains(name) {
            return "\(name) header"
        }
        if let precedence = headers["Precedence"]?.lowercased(), precedence.contains("auto_reply") {
            return "Precedence: \(precedence)"
        }
        let lower = subject.lowercased()
        if let phrase = subjectPhrases.first(where: { lower.containsBytes(of: $0) }) { return "subject mentions \"\(phrase)\"" }
        return nil
    }
}
