import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import TestSupport
import Testing

/// Nights of the sample mix (`bounceplan sample-events`, as `make demo` and `make bench` use it) planned
/// by the program itself, one after another, with the storm guard's baseline growing across runs.
@Suite("Storms over many nights", .serialized)
struct StormScenarioTests {
    /// 2026-11-01T00:00:00Z; night n's events end at 06:00 on day n and span 8 hours.
    static let firstNight: Int64 = 1_793_491_200
    static let eventsPerNight = 24_000

    static func nightEnd(_ night: Int) -> Int64 { firstNight + Int64(night) * 86_400 + 6 * 3600 }

    final class Nights {
        let fixture: StoreFixture
        var url: String { fixture.database.settings.conninfo }

        init() throws { fixture = try StoreFixture() }

        /// Loads night `night` of the sample mix (its own seed) and returns the id before its first event.
        @discardableResult
        func load(_ night: Int) throws -> Int {
            let before = try fixture.count("SELECT coalesce(max(id), 0) FROM bounce_events")
            let sampled = try ProgramRunner.bounceplan([
                "sample-events", "--count", String(StormScenarioTests.eventsPerNight), "--seed", String(1000 + night),
                "--newest", String(StormScenarioTests.nightEnd(night)), "--span", "8h", "--database-url", url])
            try #require(sampled.exited(0), "\(sampled)")
            return before
        }

        /// Plans the night as cron would, an hour after its last event.
        @discardableResult
        func run(_ night: Int) throws -> ProgramResult {
            let result = try ProgramRunner.bounceplan(
                ["run", "--now", String(StormScenarioTests.nightEnd(night) + 3600), "--database-url", url], timeout: .seconds(300))
            try #require(result.exited(0), "\(result)")
            return result
        }
    }

    @Test func fourteenNormalNightsHoldNoStorm() throws {
        let nights = try Nights()
        for night in 0..<14 {
            try nights.load(night)
            try nights.run(night)
        }
        let storms = try nights.fixture.count("SELECT count(*) FROM storms")
        let suppressions = try nights.fixture.count("SELECT count(*) FROM suppressions")
        let pending = try nights.fixture.count("SELECT count(*) FROM suppressions WHERE status = 'pending_review'")
        #expect(storms <= 1, "\(storms) storms in 14 normal nights")
        #expect(suppressions > 14 * 500)
        #expect(Double(pending) <= 0.001 * Double(suppressions), "\(pending) of \(suppressions) pending review")
        // The baseline grew night by night for the big providers.
        #expect(try nights.fixture.count("SELECT count(*) FROM storm_baselines WHERE destination = 'google'") == 14)
        #expect(try nights.fixture.count("SELECT count(*) FROM retry_schedule WHERE status = 'held_for_review'") == 0)
    }

    /// Gmail's outage of 15 December 2020 on top of a normal night: for an hour, 30 % of the hour's
    /// working gmail.com mailboxes got "550-5.1.1 The email account that you tried to reach does not exist",
    /// one identical text (Docs/STORMS.md).
    static let gmailOutageText = "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser - gsmtp"

    @Test(arguments: [0, 3])
    func anOutageOnTopOfANormalNightIsHeldAndNothingElse(normalNightsBefore: Int) throws {
        let nights = try Nights()
        for night in 0..<normalNightsBefore {
            try nights.load(night)
            try nights.run(night)
        }
        let night = normalNightsBefore
        let firstID = try nights.load(night)
        // The outage starts 3 h 7 min before the night's end (not on a slot boundary) and lasts an hour.
        let start = Self.nightEnd(night) - 3 * 3600 - 7 * 60
        let outage = try nights.fixture.connection.query("""
            WITH google AS (
                -- Google's recipients that hour, whose mailboxes work: nothing but deliveries and deferrals
                -- all night. An outage reports valid mailboxes gone; the really gone ones stay suppressed.
                SELECT lower(recipient) AS recipient FROM bounce_events
                WHERE id > $1 AND split_part(lower(recipient), '@', 2) IN ('gmail.com', 'googlemail.com')
                GROUP BY 1
                HAVING bool_or(occurred_at >= to_timestamp($2) AND occurred_at < to_timestamp($2) + interval '1 hour')
                   AND bool_and(kind IN ('delivery', 'deferral'))
            )
            INSERT INTO bounce_events (occurred_at, recipient, source_ip, message_id, smtp_code, enhanced_status, diagnostic,
                                       remote_mta, kind)
            SELECT to_timestamp($2) + make_interval(secs => abs(hashtext(recipient || '/t')) % 3600), recipient,
                   '192.0.2.10', '<outage.' || recipient || '>', 550, '5.1.1', $3, 'gmail-smtp-in.l.google.com', 'bounce'
            FROM google WHERE abs(hashtext(recipient)) % 10 < 3
            RETURNING recipient
            """, [String(firstID), String(start), Self.gmailOutageText]).rows.compactMap { $0[0] }
        try #require(outage.count >= 150, "the outage needs recipients: \(outage.count)")
        let result = try nights.run(night)
        #expect(result.stdout.contains("storm guard: 1 storm held suppressions for review"), "\(result.stdout)")

        let db = nights.fixture
        let outageList = PlanWriterTestSupport.arrayLiteral(outage)
        let held = try db.count("""
            SELECT count(*) FROM suppressions WHERE recipient = ANY ($1::text[]) AND status = 'pending_review'
            """, [outageList])
        let suppressed = try db.count("SELECT count(*) FROM suppressions WHERE recipient = ANY ($1::text[])", [outageList])
        #expect(suppressed == outage.count)
        let unheld = try db.connection.query("""
            SELECT s.recipient, s.status, s.suppressed_at::text, o.occurred_at::text, o.outcome, o.reason, o.rule_id,
                   (SELECT count(*) FROM bounce_events y JOIN event_outcomes x ON x.event_id = y.id
                    WHERE lower(y.recipient) = s.recipient AND x.outcome = 'suppress')
            FROM suppressions s JOIN bounce_events e ON lower(e.recipient) = s.recipient
            JOIN event_outcomes o ON o.event_id = e.id AND o.outcome = 'suppress'
            WHERE s.recipient = ANY ($1::text[]) AND s.status <> 'pending_review' ORDER BY 1
            """, [outageList]).rows
        #expect(Double(held) >= 0.99 * Double(outage.count), "\(held) of \(outage.count) held: \(unheld)")
        // The normal suppressions at Google before the outage, and everywhere else, were applied.
        #expect(try db.count("""
            SELECT count(*) FROM suppressions s JOIN event_outcomes o ON o.event_id = s.first_event_id
            WHERE o.destination = 'google' AND s.suppressed_at < to_timestamp($1) AND s.status <> 'active'
            """, [String(start)]) == 0)
        #expect(try db.count("""
            SELECT count(*) FROM suppressions s JOIN event_outcomes o ON o.event_id = s.first_event_id
            WHERE o.destination = 'google' AND s.suppressed_at < to_timestamp($1) AND s.status = 'active'
            """, [String(start)]) > 20)
        #expect(try db.count("""
            SELECT count(*) FROM suppressions s JOIN event_outcomes o ON o.event_id = s.first_event_id
            WHERE o.destination <> 'google' AND s.status = 'pending_review'
            """) == 0)

        // One storm, its sender issue naming the source, retries to Google waiting for the review.
        let storm = try #require(try db.connection.query("SELECT id, destination FROM storms").rows.first)
        #expect(storm[1] == "google")
        #expect(try db.count("""
            SELECT count(*) FROM sender_issues
            WHERE reason = 'suppression_storm' AND destination = 'google' AND source = '192.0.2.10' AND severity = 'high'
              AND status = 'open'
            """) == 1)
        // The storm's count, sources and sample, and the issue's counts, come from the recipient pass's own
        // tally: the same figures as the held suppressions joined with their latest events' evidence.
        let fromEvidence = try db.connection.query("""
            SELECT count(*)::text, array_agg(DISTINCT coalesce(e.source_ip, '') ORDER BY coalesce(e.source_ip, ''))::text,
                   min(s.last_event_id)::text, min(o.occurred_at)::text, max(o.occurred_at)::text, max(o.event_id)::text,
                   count(*)::text
            FROM suppressions s JOIN event_outcomes o ON o.event_id = s.last_event_id JOIN bounce_events e ON e.id = o.event_id
            WHERE s.status = 'pending_review' AND s.storm_id = $1::bigint
            """, [storm[0]]).rows.first
        let recorded = try db.connection.query("""
            SELECT st.held_count::text, st.sources::text,
                   (SELECT min(e.id)::text FROM bounce_events e
                    WHERE left(concat_ws(' ', e.smtp_code::text, nullif(e.enhanced_status, ''), e.diagnostic), 400) = st.sample_response
                      AND e.id = (SELECT min(last_event_id) FROM suppressions WHERE storm_id = st.id)),
                   i.first_seen::text, i.last_seen::text, i.last_event_id::text, i.event_count::text
            FROM storms st JOIN sender_issues i ON i.reason = 'suppression_storm' AND i.destination = st.destination
            WHERE st.id = $1::bigint
            """, [storm[0]]).rows.first
        #expect(recorded != nil && recorded == fromEvidence, "recorded \(String(describing: recorded)), from evidence \(String(describing: fromEvidence))")
        #expect(try db.count("SELECT count(*) FROM retry_schedule WHERE destination = 'google' AND status = 'held_for_review'") > 0)
        #expect(try db.count("SELECT count(*) FROM retry_schedule WHERE destination <> 'google' AND status = 'held_for_review'") == 0)
        let status = try ProgramRunner.bounceplan(["status", "--database-url", nights.url])
        #expect(status.stdout.contains("storm \(storm[0] ?? "") at google"), "\(status.stdout)")

        // The operator discards the storm in one command: nobody suppressed, the issue resolved, retries go again.
        let discarded = try ProgramRunner.bounceplan(["review", "discard", "--storm", storm[0] ?? "",
                                                      "--reason", "Gmail outage, see the status dashboard", "--database-url", nights.url])
        #expect(discarded.exited(0), "\(discarded)")
        #expect(discarded.stdout.contains("discarded \(held) held suppressions"), "\(discarded.stdout)")
        #expect(try db.count("SELECT count(*) FROM suppressions WHERE status = 'pending_review'") == 0)
        #expect(try db.connection.query("SELECT status FROM storms").scalar == "discarded")
        #expect(try db.count("SELECT count(*) FROM sender_issues WHERE reason = 'suppression_storm' AND status = 'open'") == 0)
        #expect(try db.count("SELECT count(*) FROM retry_schedule WHERE status = 'held_for_review'") == 0)
        let issues = try ProgramRunner.bounceplan(["sender-issues", "list", "--all", "--limit", "100000", "--database-url", nights.url])
        #expect(issues.stdout.contains("suppression_storm: 192.0.2.10 → google (resolved)"), "\(issues.stdout)")
    }
}

/// What the store tests need of `PlanWriter`'s helpers.
enum PlanWriterTestSupport {
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}"
    }
}
