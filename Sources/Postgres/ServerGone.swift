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
            return serverAcceptedBefore
                && ["connection refused", "no such file or directory", "shutting down", "starting up",
                    "server closed the connection"].contains { text.contains($0) }
        case .server:
            return false
        }
    }
}

/// Where this process has connected, so that a message about a lost server can name it, and a
/// refusal from a server that accepted us before is told apart from settings that never worked.
public enum ConnectionHistory {
    private static let targets = Mutex<(last: String?, all: Set<String>)>((nil, []))

    /// Host, port and database of the last connection opened (never a password); nil before any.
    public static var lastTarget: String? { targets.withLock { $0.last } }

    /// True when this process has opened a connection to `target` before.
    static func hasAccepted(_ target: String) -> Bool { targets.withLock { $0.all.contains(target) } }

    static func record(_ value: String) {
        targets.withLock {
            $0.last = value
            $0.all.insert(value)
        }
    }
}
