import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import TestSupport
import Testing

/// Pauses and limits in force, as the mailer reads them from `export rate-limits` and an operator from `status`.
@Suite("Pauses and limits in force")
struct PauseScenarioTests {
    static func at(_ day: Int, hour: Int, minute: Int = 0) -> Timestamp {
        Timestamp(secondsSinceEpoch: 1_793_491_200 + Int64(day) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60)
    }

    static let microsoft708 = "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)"
    static func tss04(_ ip: String) -> String {
        "421 4.7.0 [TSS04] Messages from \(ip) temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
    }

    func limits(_ fixture: StoreFixture) throws -> [String: [String: Any]] {
        let rows = try parseNDJSON(try fixture.exportText(.rateLimits(), format: .ndjson))
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0["destination"] ?? "")/\($0["source"] ?? "")", $0) })
    }

    @Test func microsoft708AndThreeTss04NightsPauseForThePolicysDuration() throws {
        let fixture = try StoreFixture()
        let pause = PlanningPolicy.defaults.rateLimit.pauseDuration
        var lastTss04 = Self.at(0, hour: 0)
        for night in 0..<3 {
            var events: [NewBounceEvent] = []
            if night == 2 {
                events.append(Events.bounce("ann@hotmail.com", 550, "5.7.708", Self.microsoft708,
                                            at: Self.at(2, hour: 1, minute: 30).description, source: "192.0.2.10"))
            }
            for index in 0..<6 {
                let time = Self.at(night, hour: 1, minute: 10 * index)
                events.append(Events.bounce("u\(index).n\(night)@yahoo.com", 421, "4.7.0", Self.tss04("198.51.100.7"),
                                            kind: "deferral", message: "<y\(night).\(index)@x>", at: time.description,
                                            source: "198.51.100.7"))
                lastTss04 = time
            }
            try fixture.insert(events)
            try fixture.run(PlanRunOptions(now: Self.at(night, hour: 3)))
        }
        let exported = try limits(fixture)
        let microsoft = try #require(exported["microsoft/192.0.2.10"])
        #expect(microsoft["paused"] as? Bool == true)
        #expect(microsoft["max_per_hour"] as? Int == 0)
        #expect(microsoft["reason"] as? String == "ip_traffic_refused")
        #expect(microsoft["until"] as? String == (Self.at(2, hour: 1, minute: 30) + pause).description)
        let yahoo = try #require(exported["yahoo/198.51.100.7"])
        #expect(yahoo["paused"] as? Bool == true)
        #expect(yahoo["reason"] as? String == "repeated_tss04")
        #expect(yahoo["until"] as? String == (lastTss04 + pause).description)
        for limit in exported.values {
            let since = try #require(limit["since"] as? String), until = try #require(limit["until"] as? String)
            #expect(since <= until)
        }
        // The refused IP is a sender issue of at least high severity; nobody is suppressed for it.
        #expect(try fixture.connection.query("""
            SELECT severity FROM sender_issues WHERE reason = 'ip_traffic_refused' AND destination = 'microsoft'
            """).scalar == "high")
        #expect(try fixture.count("SELECT count(*) FROM suppressions") == 0)

        let status = try StatusReport.load(from: fixture.connection)
        #expect(status.text.contains("microsoft from 192.0.2.10: PAUSED until \(Self.iso(Self.at(2, hour: 1, minute: 30) + pause))"), "\(status.text)")
        #expect(status.text.contains("yahoo from 198.51.100.7: PAUSED until \(Self.iso(lastTss04 + pause)) (repeated_tss04)"), "\(status.text)")
    }

    @Test func aReducedAllowanceIsExportedAfterItsHoldHasPassed() throws {
        let fixture = try StoreFixture()
        let throttle = "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp"
        try fixture.insert([Events.bounce("bo@gmail.com", 421, "4.7.28", throttle, kind: "deferral",
                                          at: Self.at(0, hour: 1).description, source: "192.0.2.11")])
        try fixture.run(PlanRunOptions(now: Self.at(0, hour: 3)))
        // A clean night later: the hold (an hour) is long over, the allowance is 1000 + 200, below the ceiling.
        try fixture.insert([Events.bounce("cy@example.org", 250, "2.0.0", "250 2.0.0 Ok", kind: "delivery",
                                          at: Self.at(1, hour: 1).description)])
        try fixture.run(PlanRunOptions(now: Self.at(1, hour: 3)))
        let google = try #require(try limits(fixture)["google/192.0.2.11"])
        #expect(google["max_per_hour"] as? Int == 1200)
        #expect(google["paused"] as? Bool == false)
        #expect(google["hold_active"] as? Bool == false)
        let status = try StatusReport.load(from: fixture.connection)
        #expect(status.limits.map(\.destination) == ["google"])
        #expect(status.text.contains("google from 192.0.2.11: 1200/h (rate_limited)"), "\(status.text)")
    }

    @Test func aResolvedSenderIssueOpensAgainWhenItHappensAgain() throws {
        let fixture = try StoreFixture()
        try fixture.insert([Events.bounce("ann@hotmail.com", 550, "5.7.708", Self.microsoft708,
                                          at: Self.at(0, hour: 1).description, source: "192.0.2.10")])
        try fixture.run(PlanRunOptions(now: Self.at(0, hour: 3)))
        let issues = SenderIssueList(connection: fixture.connection)
        #expect(try issues.list().map(\.reason) == ["ip_traffic_refused"])
        #expect(try issues.resolve(source: "192.0.2.11", destination: nil, reason: nil, why: "wrong IP") == 0)
        #expect(try issues.resolve(source: "192.0.2.10", destination: "microsoft", reason: nil, why: "IP delisted, ticket 77") == 1)
        #expect(try issues.list().isEmpty)
        let resolved = try #require(try issues.list(includeResolved: true).first)
        #expect(resolved.status == "resolved")
        #expect(resolved.resolution.hasSuffix(": IP delisted, ticket 77"))
        try fixture.insert([Events.bounce("bea@hotmail.com", 550, "5.7.708", Self.microsoft708,
                                          at: Self.at(1, hour: 1).description, source: "192.0.2.10")])
        try fixture.run(PlanRunOptions(now: Self.at(1, hour: 3)))
        #expect(try issues.list().map(\.status) == ["open"])
    }

    static func iso(_ time: Timestamp) -> String { time.description }
}
