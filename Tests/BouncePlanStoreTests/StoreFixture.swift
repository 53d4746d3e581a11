import BounceClassification
import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport

/// A migrated throwaway database with the project's default rules, for store tests.
final class StoreFixture {
    let database: TestDatabase
    let connection: Connection
    let classifier: Classifier

    init(encoding: String = "UTF8") throws {
        database = try TestDatabase(encoding: encoding)
        connection = try database.connect()
        _ = try Migrator(migrations: try Self.migrations()).migrate(connection)
        classifier = try Classifier.load(rulesDirectory: TestDatabase.repositoryRoot + "/Config/rules")
    }

    static func migrations() throws -> [Migration] {
        try Migration.load(directory: TestDatabase.repositoryRoot + "/Migrations")
    }

    func runner(policy: PlanningPolicy = .defaults) -> PlanRunner {
        PlanRunner(settings: database.settings, classifier: classifier, policy: policy, programVersion: "test")
    }

    @discardableResult
    func run(_ options: PlanRunOptions = PlanRunOptions()) throws -> RunSummary {
        try runner().run(options)
    }

    func insert(_ events: [NewBounceEvent]) throws {
        try connection.transaction { _ = try EventInserter.insertUnkeyed(events, into: connection) }
    }

    /// Every table a run, a review or a manual change can write: all of the schema but the events
    /// and the migration record, found in the schema so that a table added later is compared too.
    func writableTables() throws -> [String] {
        try PlanTables.decisionTables(connection) + ["plan_runs"]
    }

    /// Every row of every table in ``writableTables()``, as text, in a stable order: two equal dumps
    /// mean equal tables.
    func dump() throws -> [String: [[String?]]] {
        var tables: [String: [[String?]]] = [:]
        for table in try writableTables() {
            tables[table] = try connection.query(
                "SELECT t::text FROM \(ScratchDatabase.quoted(table)) t ORDER BY t::text").rows
        }
        return tables
    }

    func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        Int(try connection.query(sql, parameters).scalar ?? "") ?? -1
    }
}

/// A handful of events whose meaning no reasonable rule set disputes.
enum Events {
    static func bounce(_ recipient: String?, _ code: Int?, _ status: String?, _ text: String, kind: String = "bounce",
                       message: String = "<m1@news.example>", at time: String = "2026-11-28T10:00:00Z",
                       source: String = "192.0.2.10") -> NewBounceEvent {
        NewBounceEvent(occurredAt: time, recipient: recipient, sourceIP: source, messageID: message,
                       smtpCode: code, enhancedStatus: status, diagnostic: text, kind: kind)
    }

    static let mixed: [NewBounceEvent] = [
        bounce("gone@example.com", 550, "5.1.1", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in local recipient table"),
        bounce("Gone2@Example.NET", 550, "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist."),
        bounce("full@example.org", 452, "4.2.2", "452 4.2.2 The email account that you tried to reach is over quota.", kind: "deferral"),
        bounce("slow@gmail.com", 421, "4.7.28", "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your DKIM domain. To protect our users from spam, mail sent from your domain has been temporarily rate limited.", kind: "deferral"),
        bounce("ok@example.com", 550, "5.7.26", "550-5.7.26 Unauthenticated email from news.example is not accepted due to domain's DMARC policy."),
        bounce("late@example.com", 550, "4.4.7", "550 4.4.7 QUEUE.Expired; message expired"),
        bounce("not an address", 550, "5.1.1", "550 5.1.1 User unknown"),
    ]
}
