import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport
import Testing

@Suite("Planning policies over several nights")
struct PolicyScenarioTests {
    static func night(_ day: Int, hour: Int = 2) -> Timestamp {
        Timestamp(secondsSinceEpoch: 1_793_491_200 + Int64(day) * 86_400 + Int64(hour) * 3600)  // 2026-11-01
    }

    static func iso(_ day: Int, hour: Int) -> String {
        "2026-11-\(day < 9 ? "0" : "")\(day + 1)T\(hour < 10 ? "0" : "")\(hour):00:00Z"
    }

    static let mailboxFull = "452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp"
    static let gmailThrottle = "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your DKIM domain. To protect our users from spam, mail sent from your domain has been temporarily rate limited."
    static let userUnknown = "550 5.1.1 <c@example.org>: Recipient address rejected: User unknown in virtual mailbox table"
    static let dmarc = "550-5.7.26 Unauthenticated email from news.example is not accepted due to domain's DMARC policy."

    @Test func threeNightsEndWithTheExpectedPlans() throws {
        let fixture = try StoreFixture()
        // Night 1: a full mailbox, Gmail throttling, an unknown user, a DMARC refusal.
        try fixture.insert([
            Events.bounce("a@example.net", 452, "4.2.2", Self.mailboxFull, kind: "deferral", message: "<m1@x>", at: Self.iso(0, hour: 1)),
            Events.bounce("b@gmail.com", 421, "4.7.28", Self.gmailThrottle, kind: "deferral", message: "<m1@x>", at: Self.iso(0, hour: 1)),
            Events.bounce("c@example.org", 550, "5.1.1", Self.userUnknown, message: "<m1@x>", at: Self.iso(0, hour: 1)),
            Events.bounce("d@example.com", 550, "5.7.26", Self.dmarc, message: "<m1@x>", at: Self.iso(0, hour: 1)),
        ])
        try fixture.run(PlanRunOptions(now: Self.night(0)))
        #expect(try fixture.connection.query("SELECT max_per_hour, paused FROM rate_limits WHERE destination = 'google'").rows == [["1000", "f"]])
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient = 'a@example.net'") == 0)

        // Night 5: the mailbox is still full, Gmail throttles again.
        try fixture.insert([
            Events.bounce("a@example.net", 452, "4.2.2", Self.mailboxFull, kind: "deferral", message: "<m2@x>", at: Self.iso(4, hour: 1)),
            Events.bounce("b@gmail.com", 421, "4.7.28", Self.gmailThrottle, kind: "deferral", message: "<m2@x>", at: Self.iso(4, hour: 1)),
        ])
        try fixture.run(PlanRunOptions(now: Self.night(4)))
        #expect(try fixture.connection.query("SELECT max_per_hour FROM rate_limits WHERE destination = 'google'").scalar == "500")
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient = 'a@example.net'") == 0)

        // Night 9: the third full-mailbox bounce, eight days after the first; Gmail is quiet.
        try fixture.insert([
            Events.bounce("a@example.net", 452, "4.2.2", Self.mailboxFull, kind: "deferral", message: "<m3@x>", at: Self.iso(8, hour: 1)),
        ])
        try fixture.run(PlanRunOptions(now: Self.night(8)))

        let escalated = try fixture.connection.query("""
            SELECT reason, rule_id, cardinality(evidence_event_ids), status FROM suppressions WHERE recipient = 'a@example.net'
            """).rows
        #expect(escalated == [["persistent_soft_bounce", "policy.escalation", "3", "active"]])
        // In force from the run that reached the threshold, not from the first soft bounce (issue 14).
        #expect(try fixture.connection.query("""
            SELECT suppressed_at = $1::timestamptz, updated_run_id FROM suppressions WHERE recipient = 'a@example.net'
            """, [Self.iso(8, hour: 1)]).rows == [["t", "3"]])
        let explained = try ProgramRunner.bounceplan(["explain", "a@example.net", "--database-url", fixture.database.settings.conninfo])
        #expect(explained.stdout.contains("state: suppression active since 2026-11-09 01:00:00+00 (escalated by run 3"), "\(explained.stdout)")
        #expect(try fixture.count("SELECT count(*) FROM retry_schedule WHERE recipient = 'a@example.net'") == 0)
        #expect(try fixture.connection.query("SELECT reason FROM suppressions WHERE recipient = 'c@example.org'").scalar == "user_unknown")
        // A clean night raises the limit additively.
        #expect(try fixture.connection.query("SELECT max_per_hour FROM rate_limits WHERE destination = 'google'").scalar == "700")
        #expect(try fixture.count("SELECT count(*) FROM retry_schedule WHERE recipient = 'b@gmail.com'") == 2)
        // Sender problems never suppress.
        #expect(try fixture.count("SELECT count(*) FROM sender_issues WHERE reason = 'auth_dmarc' AND destination = 'example.com'") == 1)
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient IN ('b@gmail.com', 'd@example.com')") == 0)
    }

    @Test func stormGuardHoldsAMassUnknownBurstAtOneDestinationOnly() throws {
        let fixture = try StoreFixture()
        var events: [NewBounceEvent] = []
        for index in 0..<250 {
            events.append(Events.bounce("user\(index)@storm.example", 550, "5.1.1", Self.userUnknown,
                                        message: "<s\(index)@x>", at: "2026-11-01T10:\(index % 60 < 10 ? "0" : "")\(index % 60):00Z"))
        }
        for index in 0..<20 {
            events.append(Events.bounce("user\(index)@calm\(index).example", 550, "5.1.1", Self.userUnknown,
                                        message: "<c\(index)@x>", at: "2026-11-01T10:30:00Z"))
        }
        try fixture.insert(events)
        try fixture.run(PlanRunOptions(now: Self.night(1)))
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE domain = 'storm.example' AND status = 'pending_review'") == 250)
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE domain <> 'storm.example' AND status = 'active'") == 20)
        #expect(try fixture.count("SELECT count(*) FROM sender_issues WHERE reason = 'suppression_storm' AND destination = 'storm.example'") == 1)

        let queue = ReviewQueue(connection: fixture.connection)
        #expect(try queue.summary().map(\.destination) == ["storm.example"])
        #expect(try queue.discard(.recipients(["USER0@storm.example"]), why: "provider confirmed a glitch") == 1)
        #expect(try queue.release(.destination("storm.example"), why: "list was stale") == 249)
        #expect(try fixture.count("SELECT count(*) FROM suppression_audit WHERE action = 'review_release' AND why = 'list was stale'") == 249)
        #expect(try fixture.count("SELECT count(*) FROM suppression_audit WHERE action = 'review_discard' AND recipient = 'user0@storm.example'") == 1)
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE status = 'pending_review'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient = 'user0@storm.example'") == 0)
    }

    @Test func sqlBackoffMatchesThePureRetryPolicy() throws {
        let fixture = try StoreFixture()
        let policy = PlanningPolicy.defaults
        let first = Timestamp(secondsSinceEpoch: 1_793_491_200)
        for attempt in 1...12 {
            let at = first + .seconds(Int64(attempt - 1) * 7200)
            try fixture.insert([Events.bounce("slow@example.net", 421, "4.3.2", "421 4.3.2 Service not available",
                                              kind: "deferral", message: "<same@x>", at: Self.isoTimestamp(at))])
            try fixture.run(PlanRunOptions(now: at))
            let row = try fixture.connection.query("""
                SELECT attempt, extract(epoch FROM next_attempt_at)::bigint, status FROM retry_schedule
                WHERE recipient = 'slow@example.net'
                """).rows.first
            let expected = policy.retry.nextAttempt(
                eventTime: at, attempt: attempt, messageID: "<same@x>", recipient: "slow@example.net", firstFailure: first)
            switch expected {
            case .retry(let when, let expectedAttempt):
                #expect(row == [String(expectedAttempt), String(when.secondsSinceEpoch), "pending"], "attempt \(attempt)")
            case .giveUp:
                #expect(row?[2] == "given_up", "attempt \(attempt)")
            }
        }
    }

    @Test func sqlSeverityMatchesThePureSenderIssuePolicy() throws {
        let fixture = try StoreFixture()
        let cases: [(text: String, recipients: Int)] = [
            (Self.dmarc, 1), (Self.dmarc, 150),
            ("552 5.3.4 Message size exceeds fixed maximum message size", 1),
            ("552 5.3.4 Message size exceeds fixed maximum message size", 12),
            ("552 5.3.4 Message size exceeds fixed maximum message size", 120),
        ]
        var events: [NewBounceEvent] = []
        for (index, testCase) in cases.enumerated() {
            for recipient in 0..<testCase.recipients {
                events.append(Events.bounce("r\(recipient)@case\(index).example", 550, nil, testCase.text,
                                            message: "<\(index).\(recipient)@x>", source: "198.51.100.\(index)"))
            }
        }
        try fixture.insert(events)
        try fixture.run()
        let rows = try fixture.connection.query(
            "SELECT reason, event_count, recipient_count, severity FROM sender_issues ORDER BY source").rows
        #expect(rows.count == cases.count)
        let severities = rows.map { $0[3] ?? "" }
        #expect(severities == ["high", "high", "low", "medium", "high"])
        for row in rows {
            let expected = PlanningPolicy.defaults.senderIssues.severity(
                reason: row[0] ?? "", eventCount: Int(row[1] ?? "") ?? 0, distinctRecipients: Int(row[2] ?? "") ?? 0)
            #expect(row[3] == expected.rawValue, "\(row)")
        }
    }

    static func isoTimestamp(_ timestamp: Timestamp) -> String { timestamp.description }
}
