import BouncePlanStore
import Postgres
import TestSupport
import Testing

@Suite("NOTIFY after a committed run")
struct NotifyTests {
    @Test func listenerReceivesTheRunIDAfterCommit() throws {
        let fixture = try StoreFixture()
        let listener = try fixture.database.connect()
        try listener.listen("bounceplan_plan_ready")
        try fixture.insert([ExportEvents.complaint("a@example.com", at: "2026-11-28T10:00:00Z")])
        let runID = try #require(try fixture.run().runID)
        let notification = try #require(try listener.nextNotification(timeout: .seconds(10)))
        #expect(notification.channel == "bounceplan_plan_ready")
        #expect(notification.payload == String(runID))
        #expect(try listener.nextNotification(timeout: .milliseconds(200)) == nil)
    }

    @Test func dryRunsAndEmptyRunsNotifyNobody() throws {
        let fixture = try StoreFixture()
        let listener = try fixture.database.connect()
        try listener.listen("bounceplan_plan_ready")
        try fixture.run()  // nothing to plan
        try fixture.insert([ExportEvents.complaint("a@example.com", at: "2026-11-28T10:00:00Z")])
        try fixture.run(PlanRunOptions(dryRun: true))
        #expect(try listener.nextNotification(timeout: .milliseconds(500)) == nil)
    }

    @Test func waitingTimesOutAndChannelNamesAreQuoted() throws {
        let fixture = try StoreFixture()
        let listener = try fixture.database.connect()
        let odd = "odd \"channel\"; DROP TABLE plan_runs"
        try listener.listen(odd)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try listener.nextNotification(timeout: .milliseconds(300)) == nil)
        #expect(clock.now - started >= .milliseconds(250))
        try fixture.connection.query("SELECT pg_notify($1, 'hello')", [odd])
        let notification = try listener.nextNotification(timeout: .seconds(5))
        #expect(notification?.channel == odd)
        #expect(notification?.payload == "hello")
        #expect(try fixture.count("SELECT count(*) FROM plan_runs") == 0)
        try listener.unlisten(odd)
        try fixture.connection.query("SELECT pg_notify($1, 'again')", [odd])
        #expect(try listener.nextNotification(timeout: .milliseconds(300)) == nil)
    }
}
