/// An error from PostgreSQL or from libpq, with what the server said and what we were doing.
///
/// Server errors carry their SQLSTATE (`23505`, `40P01`, …) so callers can react to a class of failure
/// without parsing messages.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What failed, broadly.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be opened.
        case connection
        /// The server rejected a statement.
        case server
        /// The connection broke or libpq failed while talking to the server.
        case protocolFailure
        /// A COPY stream failed.
        case copy
    }

    public var kind: Kind
    /// Five-character SQLSTATE when the server sent one.
    public var sqlState: String?
    /// The primary message.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// What we were doing: the first line of the statement, or "connecting to …" (never a password).
    public var context: String?
    /// For a connection that could not be opened: this process had connected to the same server before,
    /// so the settings are right and the server itself has gone (or is going).
    public var serverAcceptedBefore = false

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, context: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.context = context
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        if let context, !context.isEmpty { text += "\nwhile: \(context)" }
        return text
    }

    /// True for a unique-constraint violation.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// True when the statement was cancelled by `statement_timeout` or a user request.
    public var isQueryCanceled: Bool { sqlState == "57014" }
    /// True when `lock_timeout` expired.
    public var isLockNotAvailable: Bool { sqlState == "55P03" }
}
