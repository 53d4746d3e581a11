import BounceClassification
import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport
import Testing

@Suite("The nightly run")
struct PlanRunnerTests {
    @Test func runPlansEveryEventOnceAndASecondRunChangesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let first = try fixture.run()
        #expect(first.runID != nil)
        #expect(first.events == Events.mixed.count)
        #expect(first.rejected == 1)
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes") == Events.mixed.count)
        let afterFirst = try fixture.dump()
        let second = try fixture.run()
        #expect(second.events == 0)
        #expect(second.runID == nil)
        #expect(try fixture.dump() == afterFirst)
    }

    @Test func runRecordsItsWatermarkCountsAndDigests() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let summary = try fixture.run()
        let row = try fixture.connection.query("""
            SELECT event_count, rejected_count, first_event_id, last_event_id, rules_digest, policy_digest,
                   program_version, counts->'rejected'->>'recipient_no_at_sign', snapshot IS NOT NULL,
                   finished_at >= started_at
            FROM plan_runs WHERE id = $1
            """, [summary.runID.map(String.init)]).rows.first
        #expect(row == ["7", "1", "1", "7", fixture.classifier.rulesDigest, PlanningPolicy.defaults.digest, "test", "1", "t", "t"])
    }

    @Test func dryRunWritesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let before = try fixture.dump()
        let summary = try fixture.run(PlanRunOptions(dryRun: true))
        #expect(summary.dryRun)
        #expect(summary.events == Events.mixed.count)
        #expect(summary.planCounts["event_outcomes"] == Events.mixed.count)
        #expect(try fixture.dump() == before)
        // The events are still there for the real run.
        #expect(try fixture.run().events == Events.mixed.count)
    }

    @Test func secondConcurrentRunIsRefusedWithLockedError() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let holder = try fixture.database.connect()
        #expect(try holder.tryAdvisoryLock(PlanRunner.runLockKey))
        let error = #expect(throws: StoreError.self) { try fixture.run() }
        #expect(error?.kind == .locked)
        #expect(error?.description.contains("another bounceplan run") == true)
        #expect(try fixture.count("SELECT count(*) FROM plan_runs") == 0)
        try holder.releaseAdvisoryLock(PlanRunner.runLockKey)
        #expect(try fixture.run().events == Events.mixed.count)
    }

    @Test("a failure anywhere leaves no partial plan and no advanced watermark", arguments: PlanStage.allCases)
    func injectedFailureLeavesNothing(stage: PlanStage) throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        let before = try fixture.dump()
        #expect(throws: InjectedFailure.self) { try fixture.run(PlanRunOptions(failAt: stage)) }
        #expect(try fixture.dump() == before)
        let recovered = try fixture.run()
        #expect(recovered.events == Events.mixed.count)
    }

    @Test func plansLandInTheirTables() throws {
        let fixture = try StoreFixture()
        try fixture.insert(Events.mixed)
        try fixture.run()
        let suppressed = try fixture.connection.query("SELECT recipient FROM suppressions ORDER BY 1").rows.map { $0[0] }
        #expect(suppressed == ["gone2@example.net", "gone@example.com"])
        let evidence = try fixture.connection.query("""
            SELECT s.reason, s.rule_id, e.recipient, e.smtp_code
            FROM suppressions s JOIN bounce_events e ON e.id = ANY (s.evidence_event_ids)
            WHERE s.recipient = 'gone@example.com'
            """).rows
        #expect(evidence.count == 1)
        #expect(evidence.first?[0] == "user_unknown")
        #expect(evidence.first?[2] == "gone@example.com")
        #expect(try fixture.count("SELECT count(*) FROM retry_schedule WHERE recipient IN ('full@example.org', 'late@example.com', 'slow@gmail.com')") == 3)
        #expect(try fixture.count("SELECT count(*) FROM rate_limits WHERE destination IN ('gmail.com', 'google')") == 1)
        #expect(try fixture.count("SELECT count(*) FROM sender_issues WHERE reason = 'auth_dmarc'") == 1)
        #expect(try fixture.count("SELECT count(*) FROM suppressions WHERE recipient = 'ok@example.com'") == 0)
        #expect(try fixture.count("SELECT count(*) FROM event_outcomes WHERE outcome = 'rejected' AND destination IS NULL") == 1)
    }

    @Test func retryBackoffGrowsAcrossRunsAndNeverPassesTheCap() throws {
        let fixture = try StoreFixture()
        var policy = PlanningPolicy.defaults
        policy.retry = RetryPolicy(base: .seconds(300), factor: 2, cap: .seconds(3600), jitterFraction: 0,
                                   maxAge: .seconds(30 * 86_400), maxAttempts: 30)
        var delays: [Double] = []
        for attempt in 1...6 {
            try fixture.insert([Events.bounce("busy@example.com", 421, "4.3.2", "421 4.3.2 Service not available",
                                              kind: "deferral", at: "2026-11-28T1\(attempt):00:00Z")])
            _ = try fixture.runner(policy: policy).run()
            let row = try fixture.connection.query("""
                SELECT attempt, extract(epoch FROM next_attempt_at - last_failed_at) FROM retry_schedule
                """).rows
            #expect(row.first?[0] == String(attempt))
            delays.append(Double(row.first?[1] ?? "") ?? -1)
        }
        #expect(delays == [300, 600, 1200, 2400, 3600, 3600])
    }
}
