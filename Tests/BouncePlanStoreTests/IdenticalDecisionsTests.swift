import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import TestSupport
import Testing

/// The yardstick for rewriting the run (issue 15): three nights of the sample mix, the later ones
/// meeting the earlier ones' recipients, planned with a pinned clock, and every plan table compared
/// with what the set-based run decided when this test was written. A rewritten phase must give the
/// same tables; a deliberate change re-records the file and says why in its commit.
///
/// Deliberate changes so far:
/// - issue 15, migration 0008: `event_outcomes` keeps only the evidence columns (domain, message id, kind,
///   jitter, stated hold and reply fingerprint dropped), so its dump, and only its dump, changed. Every
///   decision table is as the set-based run wrote it: the two-pass run decides the same.
/// - migration 0009: `event_outcomes` drops the recipient and the source (both in `bounce_events` by event
///   id), so its dump, and only its dump, changed again. Rate limits, sender issues and the storm guard now
///   count in pass 1 instead of aggregating the staging table: their tables are unchanged.
@Suite("Identical decisions: the sample mix with history against the recorded plan tables")
struct IdenticalDecisionsTests {
    /// The recorded tables: per table its row count and the md5 of its canonical dump.
    static let recordedPath = TestDatabase.repositoryRoot + "/Tests/Recorded/plan-tables.tsv"
    /// Set to any value to write the file instead of comparing with it.
    static let recording = ProcessInfo.processInfo.environment["BOUNCEPLAN_RECORD_PLAN_TABLES"] != nil

    /// Midnight UTC, 2026-11-27: the first night's newest event.
    static let firstNight = 1_795_737_600
    static let day = 86_400
    /// Few tail domains, so that destinations carry enough traffic for limits, sender issues and storms.
    static let tailDomains = "300"

    /// One night: the sample events, then a run an hour after the newest of them.
    struct Night {
        var batches: [(count: Int, seed: UInt64)]
        var newest: Int
    }

    /// Night two replays night one's recipients a day later (soft bounces escalate, retries move on,
    /// suppressions gather evidence) beside new ones; night three meets both.
    static let nights = [
        Night(batches: [(6_000, 7)], newest: firstNight),
        Night(batches: [(6_000, 7), (3_000, 8)], newest: firstNight + day),
        Night(batches: [(4_000, 8), (2_000, 9)], newest: firstNight + 2 * day),
    ]

    @Test("three nights of the sample mix give the recorded plan tables")
    func theSampleMixGivesTheRecordedTables() throws {
        let fixture = try StoreFixture()
        let conninfo = fixture.database.settings.conninfo
        for night in Self.nights {
            for batch in night.batches {
                let sampled = try ProgramRunner.bounceplan([
                    "sample-events", "--count", String(batch.count), "--seed", String(batch.seed),
                    "--tail-domains", Self.tailDomains, "--newest", String(night.newest), "--span", "24h",
                    "--database-url", conninfo,
                ])
                try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
            }
            if night.newest == Self.nights[1].newest { try fixture.insert(Self.storm(endingAt: night.newest)) }
            var options = PlanRunOptions()
            options.now = Timestamp(secondsSinceEpoch: Int64(night.newest + 3_600))
            let summary = try fixture.run(options)
            try #require(summary.runID != nil && summary.rejected == 0, "\(summary)")
        }

        let dump = try PlanTables.canonicalDump(fixture.connection)
        for table in ["event_outcomes", "suppressions", "retry_schedule", "rate_limits", "sender_issues", "soft_bounces",
                      "last_deliveries", "storms", "storm_baselines"] {
            #expect((dump[table]?.count ?? 0) > 0, "the mix should give \(table) rows to compare: \(PlanTables.summary(dump))")
        }
        // The later nights must meet the earlier ones' plans, or the history proves nothing.
        for check in ["SELECT count(*) FROM suppressions WHERE updated_run_id > created_run_id",
                      "SELECT count(*) FROM retry_schedule WHERE attempt > 1",
                      "SELECT count(*) FROM rate_limits WHERE updated_run_id > 1"] {
            #expect(try fixture.count(check) > 0, "\(check)")
        }
        let measured = try Self.fingerprint(dump, fixture.connection)
        if Self.recording {
            try (Self.header + measured.joined(separator: "\n") + "\n").write(
                toFile: Self.recordedPath, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOfFile: Self.recordedPath, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        #expect(measured == recorded, "plan tables differ from \(Self.recordedPath): \(PlanTables.summary(dump))")
    }

    /// The sample mix has no storm: every recipient at one destination gone within the hour with one
    /// identical reply, so that the storm guard, its holds and `storms` are compared too.
    static func storm(endingAt newest: Int) -> [NewBounceEvent] {
        (0..<120).map { index in
            Events.bounce("user\(index)@storm.example", 550, "5.1.1",
                          "550 5.1.1 <user\(index)@storm.example>: Recipient address rejected: User unknown in virtual mailbox table",
                          at: Timestamp(secondsSinceEpoch: Int64(newest - 3_600 + index * 30)).description)
        }
    }

    static let header = """
        # Plan tables after IdenticalDecisionsTests' three nights: table, rows, md5 of the canonical dump
        # (TestSupport/PlanTables.swift). Re-record with BOUNCEPLAN_RECORD_PLAN_TABLES=1 only for a deliberate change.

        """

    /// `table<TAB>rows<TAB>md5` per table, sorted; the digest is PostgreSQL's, so no test depends on a
    /// hashing library.
    static func fingerprint(_ dump: [String: [String]], _ connection: Connection) throws -> [String] {
        try dump.keys.sorted().map { table in
            let rows = dump[table] ?? []
            let digest = try connection.query("SELECT md5($1)", [rows.joined(separator: "\n")]).scalar ?? "<none>"
            return "\(table)\t\(rows.count)\t\(digest)"
        }
    }
}
