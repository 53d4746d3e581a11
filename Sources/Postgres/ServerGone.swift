import Synchronization

extension PostgresError {
    /// True when the server ended the session or the connection broke under us (a shutdown, a
    /// terminated backend, a lost socket), as against a statement the server refused.
    public var isServerGone: Bool {
        if let sqlState {
            // 08: connection exceptions; 57P01–57P03: admin shutdown, crash shutdown, cannot connect now.
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        }
        let text = message.lowercased()
        switch kind {
        case .protocolFailure, .copy:
            return ["server closed the connection", "no connection to the server", "terminating connection",
                    "could not receive data", "could not send data", "connection to server was lost"]
                .contains { text.contains($0) }
        case .connection:
            // A later connection refused after an earlier one succeeded: the settings are right, the server
            // left (or is going). Other refusals (a full server, a wrong database) keep their own message.
            return ConnectionHistory.lastTarget != nil
                && ["connection refused", "no such file or directory", "shutting down", "starting up",
                    "server closed the connection"].contains { text.contains($0) }
        case .server:
            return false
        }
    }
}

/// Where this process last connected, so that a message about a lost server can name it.
public enum ConnectionHistory {
    private static let target = Mutex<String?>(nil)

    /// Host, port and database of the last connection opened (never a password); nil before any.
    public static var lastTarget: String? { target.withLock { $0 } }

    static func record(_ value: String) { target.withLock { $0 = value } }
}
