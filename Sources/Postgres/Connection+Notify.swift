import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A notification delivered by `NOTIFY` / `pg_notify` to a channel this connection listens on.
public struct PostgresNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    /// The process id of the notifying server backend.
    public var senderPID: Int32
}

extension Connection {
    /// Starts listening on `channel`. The name is quoted as an identifier by libpq, never spliced raw.
    public func listen(_ channel: String) throws {
        try query("LISTEN \(try quotedIdentifier(channel))")
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws {
        try query("UNLISTEN \(try quotedIdentifier(channel))")
    }

    /// Waits up to `timeout` for the next notification; nil when none arrived in time.
    /// Notifications already received are returned at once, oldest first.
    public func nextNotification(timeout: Duration) throws -> PostgresNotification? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            guard PQconsumeInput(handle) == 1 else { throw connectionError(.protocolFailure, context: "waiting for a notification") }
            if let notification = PQnotifies(handle) {
                defer { PQfreemem(notification) }
                return PostgresNotification(
                    channel: String(cString: notification.pointee.relname),
                    payload: notification.pointee.extra.map { String(cString: $0) } ?? "",
                    senderPID: notification.pointee.be_pid)
            }
            let remaining = deadline - clock.now
            if remaining <= .zero { return nil }
            let socket = PQsocket(handle)
            guard socket >= 0 else { throw connectionError(.protocolFailure, context: "waiting for a notification") }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR {
                throw PostgresError(kind: .protocolFailure, message: "poll() failed while waiting for a notification", context: "LISTEN")
            }
        }
    }

    func quotedIdentifier(_ name: String) throws -> String {
        guard let escaped = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw connectionError(.protocolFailure, context: "quoting the channel name")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}
