/// How a long command reports its progress on standard error.
public enum ProgressMode: String, Sendable, CaseIterable {
    /// One self-updating status line, for a person at a terminal.
    case statusLine = "line"
    /// One plain line per finished phase with its duration, for logs.
    case plain
    /// Nothing at all (cron, pipes, `--quiet`).
    case none

    /// What `auto` means for this process: the status line only when standard error is a terminal
    /// that understands escape codes; nothing otherwise, so cron mail and journals stay clean.
    public static func automatic(standardErrorIsTerminal: Bool, term: String?) -> ProgressMode {
        guard standardErrorIsTerminal else { return .none }
        if let term, term == "dumb" { return .none }
        return .statusLine
    }
}
