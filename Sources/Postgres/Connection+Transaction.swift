extension Connection {
    /// Runs `body` inside `BEGIN … COMMIT`; any error thrown rolls the whole transaction back.
    @discardableResult
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            // The connection may be gone; the server rolls back on its own then.
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// Sets a server setting for the session (`statement_timeout`, `lock_timeout`, …) without
    /// splicing the value into SQL.
    public func setSetting(_ name: String, to value: String, local: Bool = false) throws {
        try query("SELECT set_config($1, $2, $3)", [name, value, local ? "true" : "false"])
    }
}
