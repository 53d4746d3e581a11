import Postgres
import TestSupport
import Testing

@Suite("Connection against a real PostgreSQL")
struct ConnectionTests {
    @Test func parametersAreSentApartFromTheSQL() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        let hostile = "'; DROP TABLE x; --"
        let result = try connection.query("SELECT $1::text AS value, $2::int + 1 AS next, $3::text IS NULL AS missing",
                                          [hostile, "41", nil])
        #expect(result.value(row: 0, column: "value") == hostile)
        #expect(result.value(row: 0, column: "next") == "42")
        #expect(result.value(row: 0, column: "missing") == "t")
        #expect(result.columnNames == ["value", "next", "missing"])
    }

    @Test func serverErrorsCarrySQLStateAndDetail() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (id int PRIMARY KEY)")
        try connection.query("INSERT INTO t VALUES (1)")
        let error = #expect(throws: PostgresError.self) { try connection.query("INSERT INTO t VALUES ($1)", ["1"]) }
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.detail?.contains("(id)=(1)") == true)
        #expect(error?.context?.hasPrefix("INSERT INTO t") == true)
        // The connection stays usable after an error.
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "1")
    }

    @Test func transactionRollsBackOnError() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("CREATE TABLE t (id int)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.query("INSERT INTO t VALUES (1)")
                throw Boom()
            }
        }
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "0")
        try connection.transaction { try connection.query("INSERT INTO t VALUES (2)") }
        #expect(try connection.query("SELECT count(*) FROM t").scalar == "1")
    }

    @Test func advisoryLockIsExclusiveAcrossSessions() throws {
        let database = try TestDatabase()
        let first = try database.connect()
        let second = try database.connect()
        #expect(try first.tryAdvisoryLock(77))
        #expect(try !second.tryAdvisoryLock(77))
        #expect(try first.releaseAdvisoryLock(77))
        #expect(try second.tryAdvisoryLock(77))
    }

    @Test func statementTimeoutCancelsWithSQLState() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.setSetting("statement_timeout", to: "50ms")
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT pg_sleep(2)") }
        #expect(error?.isQueryCanceled == true)
    }

    @Test func noticesAreCollectedNotPrinted() throws {
        let database = try TestDatabase()
        let connection = try database.connect()
        try connection.query("DO $$ BEGIN RAISE NOTICE 'hello from the server'; END $$")
        #expect(connection.drainNotices().contains { $0.contains("hello from the server") })
    }
}
