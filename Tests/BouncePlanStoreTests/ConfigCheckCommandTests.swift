import Foundation
import Postgres
import TestSupport
import Testing

/// `bounceplan config check` and the duration flags, as the program meets them (issue 14).
@Suite("config check and duration flags")
struct ConfigCheckCommandTests {
    @Test("config check refuses a value the run could not use, naming the key and the limit", arguments: [
        ("rate_limit:\n  initial_per_hour: 3000000000\n", "rate_limit.initial_per_hour: must be at most 2147483647 (got 3000000000)"),
        ("rate_limit:\n  pause_duration: 1000000000000d\n", "rate_limit.pause_duration: must be at most 36500d (got 1000000000000d)"),
        ("storm_guard:\n  identical_share: 150%\n", "storm_guard.identical_share: must be a percentage above 0 and at most 100 (got 150%)"),
        ("rate_limit:\n  floor_per_hour: 9000\n", "rate_limit.floor_per_hour: must not exceed ceiling_per_hour (9000 > 5000)"),
        ("storm_guard:\n  window: 0s\n", "storm_guard.window: must be longer than 0 (got 0s)"),
    ])
    func refuses(yaml: String, message: String) throws {
        let folder = try ScratchFolder()
        let path = folder.file("policy.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try ProgramRunner.bounceplan(["config", "check", path])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("\(path):2: \(message)"), "\(result.stderr)")
    }

    @Test func theCommittedPolicyIsValidAndSpellsDurationsTheFlagsWay() throws {
        let result = try ProgramRunner.bounceplan(["config", "check", TestDatabase.repositoryRoot + "/Config/policy.yaml"])
        #expect(result.exited(0), "\(result)")
        #expect(result.stdout.contains("(identical to the built-in defaults)"))
    }

    @Test("run takes the policy's duration notation for its timeouts", arguments: [
        ("30m", 0), ("30min", 0), ("2h", 0), ("1h30m", 0), ("500ms", 0), ("0", 0), ("30 minutes", 2), ("5 parsecs", 2), ("99999999999d", 2),
    ] as [(String, Int32)])
    func statementTimeoutNotation(value: String, status: Int32) throws {
        let fixture = try StoreFixture()
        let result = try ProgramRunner.bounceplan(["run", "--statement-timeout", value, "--lock-timeout", "30s",
                                                   "--database-url", fixture.database.settings.conninfo])
        #expect(result.exited(status), "\(value): \(result)")
        if status == 2 { #expect(result.stderr.contains("--statement-timeout must be a duration such as 30s, 30m (or 30min), 2h, 7d")) }
    }
}
