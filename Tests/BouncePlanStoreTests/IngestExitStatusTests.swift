import TestSupport
import Testing

/// `ingest dsn` under cron: what could be read is stored, and a path that could not be read fails the
/// command so that someone notices.
@Suite("Ingest exit status")
struct IngestExitStatusTests {
    @Test("a missing path beside a readable one: the readable one is stored, the command exits 1 naming the missing one")
    func missingPathFails() throws {
        let target = try CommandLineTests.Target(events: 0)
        let missing = "/no/such/path-\(UInt32.random(in: 0...UInt32.max))"
        let result = try ProgramRunner.bounceplan([
            "ingest", "dsn", TestDatabase.repositoryRoot + "/Demo/bounces", missing, "--database-url", target.url,
        ])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains(missing), "\(result.stderr)")
        #expect(result.stdout.contains("read 8 messages"), "\(result.stdout)")
        #expect(try target.count("bounce_events") > 0)
    }

    @Test("only a missing path: nothing to store, exit 1 naming it")
    func onlyAMissingPathFails() throws {
        let target = try CommandLineTests.Target(events: 0)
        let missing = "/no/such/path-\(UInt32.random(in: 0...UInt32.max))"
        let result = try ProgramRunner.bounceplan(["ingest", "dsn", missing, "--database-url", target.url])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains(missing), "\(result.stderr)")
        #expect(try target.count("bounce_events") == 0)
    }

    @Test("every path readable: exit 0")
    func readablePathsSucceed() throws {
        let target = try CommandLineTests.Target(events: 0)
        let result = try ProgramRunner.bounceplan([
            "ingest", "dsn", TestDatabase.repositoryRoot + "/Demo/bounces", "--database-url", target.url,
        ])
        #expect(result.exited(0), "\(result)")
    }
}
