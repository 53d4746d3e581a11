import BouncePlanStore
import Postgres
import TestSupport
import Testing

@Suite("Hostile event data")
struct HostileDataTests {
    static let longDiagnostic = "550 5.1.1 " + String(repeating: "user unknown ", count: 80_000)  // ~1 MB

    @Test func runCompletesAndAccountsForEveryEvent() throws {
        let fixture = try StoreFixture()
        let events: [NewBounceEvent] = [
            NewBounceEvent(recipient: nil, kind: "bounce"),
            NewBounceEvent(occurredAt: nil, recipient: "nulls@example.com", kind: "bounce"),
            Events.bounce("zero@example.com", 0, nil, "weird"),
            Events.bounce("minus@example.com", -1, "5.1", "weird"),
            Events.bounce("big@example.com", 999, "5.1.1.1", "weird"),
            Events.bounce("abc@example.com", 550, "abc", "mailbox unavailable"),
            Events.bounce("fullwidth@example.com", 550, "５.１.１", "550 ５.１.１ user unknown"),
            Events.bounce("huge@example.com", 550, "5.1.1", Self.longDiagnostic),
            Events.bounce("control@example.com", 550, "5.1.1", "550 5.1.1 \u{1}\u{7}\u{1b}[31mred\u{0}nul\r\nsplit"),
            Events.bounce("  UPPER.Case@EXAMPLE.COM  ", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("<angle@example.com>", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("\"quoted local\"@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("user@bücher.de", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("no-at-sign", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("two@@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("a@b@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce(String(repeating: "x", count: 1000) + "@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("x'; DROP TABLE suppressions; --@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("o'brien@example.com", 550, "5.1.1", "'; DROP TABLE suppressions; --"),
            Events.bounce("=1+1@example.com", 550, "5.1.1", "=HYPERLINK(\"http://evil.example\")"),
            Events.bounce("with space@example.com", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("nodot@localhost", 550, "5.1.1", "550 5.1.1 user unknown"),
            Events.bounce("kind@example.com", 550, "5.1.1", "550 5.1.1 user unknown", kind: "BOUNCE"),
            Events.bounce("oddkind@example.com", 550, "5.1.1", "550 5.1.1 user unknown", kind: "unsubscribe"),
        ]
        try fixture.insert(events)
        let summary = try fixture.run()
        #expect(summary.events == events.count)
        // Every event has exactly one outcome.
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes") == events.count)
        #expect(try fixture.count("SELECT count(*) FROM bounce_events e WHERE NOT EXISTS (SELECT 1 FROM event_outcomes o WHERE o.event_id = e.id)") == 0)
        #expect(try fixture.connection.query("SELECT to_regclass('suppressions') IS NOT NULL").scalar == "t")

        let rejected = try fixture.connection.query("""
            SELECT e.recipient, o.reason FROM event_outcomes o JOIN bounce_events e ON e.id = o.event_id
            WHERE o.outcome = 'rejected' ORDER BY e.id
            """).rows
        let rejectedReasons = Dictionary(rejected.map { ($0[0] ?? "<null>", $0[1] ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(rejectedReasons["<null>"] == "recipient_missing")
        #expect(rejectedReasons["no-at-sign"] == "recipient_no_at_sign")
        #expect(rejectedReasons["two@@example.com"] == "recipient_multiple_at_signs")
        #expect(rejectedReasons["a@b@example.com"] == "recipient_multiple_at_signs")
        #expect(rejectedReasons[String(repeating: "x", count: 1000) + "@example.com"] == "recipient_too_long")
        #expect(rejectedReasons["x'; DROP TABLE suppressions; --@example.com"] == "recipient_invalid_character")
        #expect(rejectedReasons["with space@example.com"] == "recipient_invalid_character")
        #expect(rejectedReasons["nodot@localhost"] == "recipient_invalid_domain")
        #expect(rejectedReasons["oddkind@example.com"] == "unknown_kind")
        #expect(try fixture.count("SELECT rejected_count FROM plan_runs") == rejected.count)

        // Rejected events never suppress, and no suppression lacks a valid recipient.
        #expect(try fixture.count("""
            SELECT count(*) FROM suppressions s JOIN event_outcomes o ON o.event_id = ANY (s.evidence_event_ids)
            WHERE o.outcome = 'rejected'
            """) == 0)
        // Normalised one way (the evidence keeps no recipient since migration 0009: the plans show the normalised form).
        let recipients = Set(try fixture.connection.query(
            "SELECT recipient FROM suppressions UNION SELECT recipient FROM retry_schedule UNION SELECT recipient FROM soft_bounces"
        ).rows.map { $0[0] ?? "" })
        for expected in ["upper.case@example.com", "angle@example.com", "\"quoted local\"@example.com", "user@bücher.de",
                         "o'brien@example.com", "=1+1@example.com", "kind@example.com"] {
            #expect(recipients.contains(expected), "\(expected) should be a normalised recipient")
        }
        // Malformed codes never suppress on their own.
        for address in ["zero@example.com", "minus@example.com", "big@example.com"] {
            #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient = $1", [address]) == 0)
        }
    }

    @Test func invalidUTF8AndControlBytesInASQLASCIIDatabase() throws {
        let fixture = try StoreFixture(encoding: "SQL_ASCII")
        try fixture.connection.query("""
            INSERT INTO bounce_events (recipient, smtp_code, enhanced_status, diagnostic, kind) VALUES
                (E'bad\\xff\\xfe@example.com', 550, '5.1.1', '550 5.1.1 user unknown', 'bounce'),
                ('latin@example.com', 550, E'5.\\xc3.1', E'550 5.1.1 Benutzer unbekannt \\xe4\\xf6\\xfc \\x01\\x02', 'bounce'),
                ('ok@example.com', 550, '5.1.1', E'\\xf0\\x28\\x8c\\x28 truncated \\xe2\\x82', E'bo\\xffunce')
            """)
        let summary = try fixture.run()
        #expect(summary.events == 3)
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes") == 3)
        let outcomes = try fixture.connection.query("SELECT outcome FROM event_outcomes ORDER BY event_id").rows.map { $0[0] ?? "" }
        #expect(outcomes[2] == "rejected")  // unknown kind
        #expect(!outcomes.contains(""))
    }
}
