import CLibPQ

/// One libpq connection.
///
/// Not `Sendable`: a libpq connection must be used by one thread at a time, so a `Connection` is
/// owned by one task or thread and closed when it is released.
public final class Connection {
    let handle: OpaquePointer
    /// Notices (`NOTICE`, `WARNING`) the server sent, oldest first; libpq would otherwise print them.
    public private(set) var notices: [String] {
        get { noticeSink.messages }
        set { noticeSink.messages = newValue }
    }
    private let noticeSink = NoticeSink()
    /// Where we connected, without a password, for messages.
    public let settings: ConnectionSettings
    /// The statement of a COPY started by `startCopyIn` and not yet finished.
    var pendingCopySQL: String?

    /// Opens a connection, or throws an error that says where it tried and what to set.
    public init(settings: ConnectionSettings) throws {
        self.settings = settings
        guard let handle = PQconnectdb(settings.conninfo) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(handle)).trimmedTrailingWhitespace
            let target = Self.describeTarget(handle, settings: settings)
            PQfinish(handle)
            let connectedBefore = ConnectionHistory.hasAccepted(target)
            var error = PostgresError(
                kind: .connection,
                message: "cannot connect to PostgreSQL at \(target): \(ConnectionSettings.redact(reason))",
                hint: connectedBefore
                    ? "it accepted a connection earlier: is PostgreSQL at \(target) still running?"
                    : "set DATABASE_URL (or pass --database-url) or PGHOST/PGPORT/PGUSER/PGDATABASE to a running server",
                context: "connecting")
            error.serverAcceptedBefore = connectedBefore
            throw error
        }
        self.handle = handle
        ConnectionHistory.record(Self.describeTarget(handle, settings: settings))
        PQsetNoticeReceiver(handle, noticeReceiver, Unmanaged.passUnretained(noticeSink).toOpaque())
    }

    /// Convenience for a conninfo string or URL.
    public convenience init(conninfo: String) throws {
        try self.init(settings: ConnectionSettings(conninfo: conninfo))
    }

    deinit {
        PQfinish(handle)
    }

    /// The server's `server_version_num`, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// True while the connection is usable.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Host (or socket folder), port and database, for messages; never the password.
    public var target: String { Self.describeTarget(handle, settings: settings) }

    /// Removes and returns the notices collected so far.
    public func drainNotices() -> [String] {
        defer { noticeSink.messages.removeAll() }
        return noticeSink.messages
    }

    private static func describeTarget(_ handle: OpaquePointer, settings: ConnectionSettings) -> String {
        let host = PQhost(handle).map { String(cString: $0) } ?? ""
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        let database = PQdb(handle).map { String(cString: $0) } ?? ""
        var target = host.isEmpty ? "the default socket" : host
        if !port.isEmpty { target += ":\(port)" }
        if !database.isEmpty { target += "/\(database)" }
        return target
    }

    /// The error libpq holds for this connection, as a `PostgresError`.
    func connectionError(_ kind: PostgresError.Kind, context: String?) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmedTrailingWhitespace
        return PostgresError(
            kind: kind, message: message.isEmpty ? "the connection to PostgreSQL failed" : message,
            context: context)
    }
}

/// Collects notices; reached from libpq's C callback through its `void *` argument.
private final class NoticeSink {
    var messages: [String] = []
}

private func noticeReceiver(_ argument: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let argument, let result, let text = PQresultErrorMessage(result) else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue()
    // Keep a bounded tail: a chatty server must not grow memory without end.
    if sink.messages.count >= 1000 { sink.messages.removeFirst(sink.messages.count - 999) }
    sink.messages.append(String(cString: text).trimmedTrailingWhitespace)
}

extension String {
    var trimmedTrailingWhitespace: String {
        var copy = Substring(self)
        while let last = copy.last, last.isWhitespace { copy = copy.dropLast() }
        return String(copy)
    }
}
