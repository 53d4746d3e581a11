import Postgres

/// What one manual change did.
public struct ManualChange: Sendable, Equatable, Codable {
    public var recipient: String
    /// The status before the change; nil when the address had no suppression.
    public var previousStatus: String?
    public var status: String

    public init(recipient: String, previousStatus: String?, status: String) {
        self.recipient = recipient
        self.previousStatus = previousStatus
        self.status = status
    }
}

/// Adds and removes suppressions by hand. Every change is written together with a row of the
/// append-only `suppression_audit` log (who = the database user, when, what, why) in one transaction.
public struct ManualSuppression {
    public let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// The normalised address, or an error that says why `raw` is not one.
    public static func normalize(_ raw: String) throws -> RecipientAddress {
        switch RecipientAddress.normalize(raw) {
        case .success(let address): return address
        case .failure(let problem):
            throw StoreError(.invalidInput, "\(raw.debugDescription) is not a usable address (\(problem.rawValue))")
        }
    }

    static func requireReason(_ why: String) throws -> String {
        let trimmed = why.trimmingSpaces
        guard !trimmed.isEmpty else { throw StoreError(.invalidInput, "--reason must say why (it is kept in the audit log)") }
        return trimmed
    }

    /// Suppresses an address (category and reason `manual`); a removed one becomes active again.
    @discardableResult
    public func add(_ raw: String, why: String) throws -> ManualChange {
        let address = try Self.normalize(raw)
        let why = try Self.requireReason(why)
        return try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            let previous = try connection.query(
                "SELECT status FROM suppressions WHERE recipient = $1 FOR UPDATE", [address.address]).scalar
            try connection.query("""
                INSERT INTO suppressions AS s (recipient, domain, status, category, reason, rule_id, suppressed_at,
                                               evidence_event_ids)
                VALUES ($1, $2, 'active', 'manual', 'manual', 'manual', now(), '{}')
                ON CONFLICT (recipient) DO UPDATE SET
                    status = 'active', removed_at = NULL, updated_at = now(),
                    category = CASE WHEN s.status = 'active' THEN s.category ELSE 'manual' END,
                    reason = CASE WHEN s.status = 'active' THEN s.reason ELSE 'manual' END,
                    rule_id = CASE WHEN s.status = 'active' THEN s.rule_id ELSE 'manual' END,
                    suppressed_at = CASE WHEN s.status = 'active' THEN s.suppressed_at ELSE now() END
                """, [address.address, address.domain])
            try audit("add", address.address, why: why, previous: previous)
            return ManualChange(recipient: address.address, previousStatus: previous, status: "active")
        }
    }

    /// Marks a suppression removed: the mailer may send to it again, and only evidence that occurs
    /// after now suppresses it again.
    @discardableResult
    public func remove(_ raw: String, why: String) throws -> ManualChange {
        let address = try Self.normalize(raw)
        let why = try Self.requireReason(why)
        return try connection.transaction {
            try PlanRunner.waitForRuns(connection)
            guard let previous = try connection.query(
                "SELECT status FROM suppressions WHERE recipient = $1 FOR UPDATE", [address.address]).scalar
            else {
                throw StoreError(.invalidInput, "\(address.address) is not on the suppression list; nothing to remove")
            }
            try connection.query("""
                UPDATE suppressions SET status = 'removed', removed_at = now(), updated_at = now()
                WHERE recipient = $1
                """, [address.address])
            try audit("remove", address.address, why: why, previous: previous)
            return ManualChange(recipient: address.address, previousStatus: previous, status: "removed")
        }
    }

    private func audit(_ action: String, _ recipient: String, why: String, previous: String?) throws {
        try connection.query("""
            INSERT INTO suppression_audit (action, recipient, why, previous_status) VALUES ($1, $2, $3, $4)
            """, [action, recipient, why, previous])
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var trimmed = String(String.UnicodeScalarView(scalars))
        while let last = trimmed.last, last == " " || last == "\t" || last == "\n" || last == "\r" { trimmed.removeLast() }
        return trimmed
    }
}
