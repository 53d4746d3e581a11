extension Connection {
    /// Takes a session-level advisory lock if it is free; returns false when another session holds it.
    /// The lock is released by ``releaseAdvisoryLock(_:)`` or when the connection closes (also on a crash).
    public func tryAdvisoryLock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_try_advisory_lock($1::bigint)", [String(key)]).scalar == "t"
    }

    /// Releases a session-level advisory lock taken by ``tryAdvisoryLock(_:)``.
    @discardableResult
    public func releaseAdvisoryLock(_ key: Int64) throws -> Bool {
        try query("SELECT pg_advisory_unlock($1::bigint)", [String(key)]).scalar == "t"
    }
}
