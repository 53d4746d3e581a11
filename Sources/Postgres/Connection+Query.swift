import CLibPQ

extension Connection {
    /// Runs one statement with positional parameters (`$1`, `$2`, …) sent separately from the SQL text,
    /// so no value is ever spliced into SQL. `nil` is SQL NULL.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        let result: OpaquePointer? = withCStringArray(parameters) { values in
            PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return try check(result, sql: sql)
    }

    /// Runs a script of statements without parameters (migrations). Stops at the first error.
    public func execute(script sql: String) throws {
        let result = PQexec(handle, sql)
        _ = try check(result, sql: sql)
    }

    /// Turns a libpq result into a `QueryResult` or a `PostgresError` with the server's fields.
    func check(_ result: OpaquePointer?, sql: String) throws -> QueryResult {
        guard let result else { throw connectionError(.protocolFailure, context: Self.summary(of: sql)) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(handle: result)
        default:
            let error = Self.error(from: result, connection: handle, sql: sql)
            PQclear(result)
            throw error
        }
    }

    static func error(from result: OpaquePointer, connection: OpaquePointer, sql: String) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field(UInt8(ascii: "C"))
        var message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result)).trimmedTrailingWhitespace
        if message.isEmpty { message = String(cString: PQerrorMessage(connection)).trimmedTrailingWhitespace }
        return PostgresError(
            kind: sqlState == nil ? .protocolFailure : .server,
            sqlState: sqlState, message: message.isEmpty ? "statement failed" : message,
            detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")),
            context: summary(of: sql))
    }

    /// The first line of a statement, shortened: enough to say what failed, never a value.
    static func summary(of sql: String) -> String {
        let firstLine = sql.split(whereSeparator: \.isNewline).first.map(String.init) ?? sql
        let trimmed = firstLine.trimmingLeadingSpaces
        return trimmed.count > 120 ? String(trimmed.prefix(117)) + "…" : trimmed
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop(while: { $0 == " " || $0 == "\t" })) }
}

/// Calls `body` with a C array of NUL-terminated strings (NULL entries for nil) that lives for the call.
func withCStringArray<Result>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result
) -> Result {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { string in
        string.map { value in
            let utf8 = Array(value.utf8CString)
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
            pointer.initialize(from: utf8, count: utf8.count)
            return pointer
        }
    }
    defer { copies.forEach { $0?.deallocate() } }
    let constants = copies.map { UnsafePointer($0) }
    return constants.withUnsafeBufferPointer { body($0.baseAddress) }
}
