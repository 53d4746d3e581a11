import Postgres
import Testing

@Suite("Connection settings")
struct ConnectionSettingsTests {
    @Test("passwords never survive redaction", arguments: [
        ("postgresql://alice:s3cret@db.example:5432/mail", "postgresql://alice:***@db.example:5432/mail"),
        ("postgres://alice:s3cret@db.example/mail?sslmode=require", "postgres://alice:***@db.example/mail?sslmode=require"),
        ("postgresql://db.example/mail?user=alice&password=s3cret&sslmode=verify-full",
         "postgresql://db.example/mail?user=alice&password=***&sslmode=verify-full"),
        ("host=db.example password=s3cret user=alice", "host=db.example password=*** user=alice"),
        ("host=db.example password='s3 cr\\'et' sslmode=require", "host=db.example password=*** sslmode=require"),
        ("host=db.example PASSWORD = s3cret", "host=db.example PASSWORD =***"),
        ("postgresql://alice@db.example/mail", "postgresql://alice@db.example/mail"),
        ("", ""),
        ("failed for postgresql://alice:s3cret@db.example/mail: timeout", "failed for postgresql://alice:***@db.example/mail: timeout"),
        ("url='postgres://bob:s3cret@h/d' and password=s3cret", "url='postgres://bob:***@h/d' and password=***"),
    ])
    func redaction(input: String, expected: String) {
        let redacted = ConnectionSettings.redact(input)
        #expect(redacted == expected)
        #expect(!redacted.contains("s3cret"))
    }

    @Test func explicitWinsOverEnvironment() {
        let settings = ConnectionSettings.resolve(explicit: "dbname=a", environment: ["DATABASE_URL": "dbname=b"])
        #expect(settings.conninfo == "dbname=a")
        #expect(ConnectionSettings.resolve(explicit: nil, environment: ["DATABASE_URL": "dbname=b"]).conninfo == "dbname=b")
        #expect(ConnectionSettings.resolve(explicit: nil, environment: [:]).conninfo == "")
    }

    @Test func connectionFailureSaysWhereAndWhatToDoWithoutThePassword() throws {
        let error = #expect(throws: PostgresError.self) {
            try Connection(conninfo: "postgresql://alice:topsecret@127.0.0.1:1/none?connect_timeout=2")
        }
        let text = String(describing: error!)
        #expect(text.contains("cannot connect to PostgreSQL at 127.0.0.1:1"))
        #expect(text.contains("DATABASE_URL"))
        #expect(!text.contains("topsecret"))
        #expect(error?.kind == .connection)
    }
}
