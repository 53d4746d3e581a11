import BouncePlanStore
import BouncePlanning
import Postgres
import TestSupport
import Testing

/// The per-recipient pass is partitionable (issue 15, SCALING.md): split into N recipient-hash
/// partitions run one after another, it writes the same plan tables for every N, because each
/// recipient's decisions depend only on its own events and prior state plus the night-wide inputs
/// (storm holds, rate-limit holds) decided before any partition runs.
@Suite("Recipient-hash partitions of pass 2 write identical plan tables")
struct PartitionTests {
    @Test("the identical-decisions nights with pass 2 split into 1, 4 and 16 partitions")
    func partitionsDoNotChangeThePlan() throws {
        var dumps: [Int: [String: [String]]] = [:]
        for partitions in [1, 4, 16] {
            let fixture = try StoreFixture()
            for night in IdenticalDecisionsTests.nights.prefix(2) {
                for batch in night.batches {
                    let sampled = try ProgramRunner.bounceplan([
                        "sample-events", "--count", String(batch.count), "--seed", String(batch.seed),
                        "--tail-domains", IdenticalDecisionsTests.tailDomains, "--newest", String(night.newest),
                        "--span", "24h", "--database-url", fixture.database.settings.conninfo,
                    ])
                    try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
                }
                if night.newest == IdenticalDecisionsTests.nights[1].newest {
                    try fixture.insert(IdenticalDecisionsTests.storm(endingAt: night.newest))
                }
                var options = PlanRunOptions()
                options.now = Timestamp(secondsSinceEpoch: Int64(night.newest + 3_600))
                options.recipientPartitions = partitions
                let summary = try fixture.run(options)
                try #require(summary.runID != nil, "\(summary)")
            }
            dumps[partitions] = try PlanTables.canonicalDump(fixture.connection)
        }
        let whole = try #require(dumps[1])
        #expect((whole["suppressions"]?.count ?? 0) > 100 && (whole["retry_schedule"]?.count ?? 0) > 100)
        #expect((whole["storms"]?.count ?? 0) > 0, "the storm night should hold suppressions in some partition")
        for partitions in [4, 16] {
            #expect(PlanTables.firstDifference(whole, dumps[partitions] ?? [:]) == nil, "\(partitions) partitions")
        }
    }
}
