import Foundation

/// Sendmail reports a local delivery program that failed (procmail, a pipe, a mailbox writer) with
/// `Diagnostic-Code: X-Unix; 73`: the program's exit status from sysexits.h, not a server reply.
/// Sendmail turns that status into a reply of its own (`sm_sysexmsg()`, `sendmail/sysexits.c`) and
/// writes it in the transcript for the recipient, after the program's own complaint:
///
///     procmail: Quota exceeded while writing "/var/spool/mail/bob"
///     550 5.0.0 <bob@example.net>... Can't create output
///
/// That line (with the complaint) is the diagnostic; without it, sendmail's table gives the reply.
enum LocalMailerExitStatus {
    /// sendmail's replies for the sysexits.h statuses (`sm_sysexmsg()`).
    static let replies: [Int: String] = [
        64: "500 5.0.0 Command line usage error", 65: "501 5.6.0 Data format error", 66: "550 5.3.0 Cannot open input",
        67: "550 5.1.1 User unknown", 68: "550 5.1.2 Host unknown", 69: "554 5.0.0 Service unavailable",
        70: "554 5.3.0 Internal error", 71: "451 4.0.0 Operating system error", 72: "554 5.3.5 System file missing",
        73: "550 5.0.0 Can't create output", 74: "451 4.0.0 I/O error", 75: "450 4.0.0 Deferred",
        76: "554 5.5.0 Remote protocol error", 77: "550 5.0.0 Insufficient permission", 78: "554 5.3.5 Local configuration error",
    ]

    /// The exit status when the field is `X-Unix; <number>` with a number sendmail's table knows.
    static func exitStatus(ofDiagnosticCode field: String) -> Int? {
        guard let semicolon = field.firstIndex(of: ";"), field[..<semicolon].trimmed.lowercased() == "x-unix",
            let status = Int(field[field.index(after: semicolon)...].trimmed), replies[status] != nil
        else { return nil }
        return status
    }

    /// The transcript's reply naming `recipient`, preceded by the program's complaint when there is one;
    /// else sendmail's reply for the status.
    static func diagnostic(exitStatus: Int, recipient: String, in lines: [Substring]) -> String {
        let address = recipient.lowercased()
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmed
            guard let code = ReplyText.leadingCode(trimmed), code >= 400, trimmed.lowercased().containsBytes(of: address) else { continue }
            guard index > 0 else { return trimmed }
            let previous = lines[index - 1].trimmed
            let isComplaint = !previous.isEmpty && ReplyText.leadingCode(previous) == nil
                && !previous.hasPrefix("-") && !previous.hasPrefix("<") && !previous.hasPrefix(">") && !previous.hasPrefix("(")
            return isComplaint ? "\(trimmed) (\(previous))" : trimmed
        }
        return "\(replies[exitStatus] ?? "") (X-Unix; \(exitStatus))"
    }
}
