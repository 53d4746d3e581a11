import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// The built `bounceplan` program as cron and operators meet it: exit statuses, messages, options.
@Suite("The command line")
struct CommandLineTests {
    /// A migrated database with generated events, and the URL the program is given for it.
    final class Target {
        let fixture: StoreFixture
        var url: String { fixture.database.settings.conninfo }

        init(events: Int) throws {
            fixture = try StoreFixture()
            if events > 0 {
                let sampled = try ProgramRunner.bounceplan(["sample-events", "--count", String(events), "--database-url", url])
                try #require(sampled.exited(0), "bounceplan sample-events failed: \(sampled)")
            }
        }

        /// The URL with one more libpq setting, in URL or key/value form as the URL is written.
        func url(with key: String, _ value: String) -> String {
            if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
                let escaped = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                return url + (url.contains("?") ? "&" : "?") + "\(key)=\(escaped)"
            }
            return url + " \(key)='\(value.replacingOccurrences(of: "'", with: "\\'"))'"
        }

        func count(_ table: String) throws -> Int {
            try fixture.count("SELECT count(*) FROM \(ScratchDatabase.quoted(table))")
        }
    }

    @Test func secondRunExits75WhileAnotherHoldsTheRunLock() throws {
        let target = try Target(events: 200)
        let holder = try target.fixture.database.connect()
        try #require(try holder.tryAdvisoryLock(PlanRunner.runLockKey))
        let refused = try ProgramRunner.bounceplan(["run", "--database-url", target.url])
        #expect(refused.exited(75), "\(refused)")
        #expect(refused.stderr.contains("another bounceplan run holds the run lock"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)

        try holder.releaseAdvisoryLock(PlanRunner.runLockKey)
        let next = try ProgramRunner.bounceplan(["run", "--json", "--database-url", target.url])
        #expect(next.exited(0), "\(next)")
        #expect(try target.count("event_outcomes") == 200)
    }

    @Test("usage errors exit 2 with a message", arguments: [
        ["run", "--no-such-option"],
        ["no-such-command"],
        ["run", "--statement-timeout"],
        ["run", "unexpected-argument"],
        ["sample-events", "--count", "-1"],
        ["sample-events", "--count", "many"],
        // Failure injection is a hook of the library's tests, not an option the program takes.
        ["run", "--fail-at", "begin"],
        ["status", "--runs", "0"],
    ])
    func usageErrorExits2(arguments: [String]) throws {
        let result = try ProgramRunner.bounceplan(arguments, unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        #expect(result.exited(2), "\(result)")
        #expect(!result.stderr.isEmpty, "a usage error should say what is wrong")
        #expect(result.stderr.contains("Usage") || result.stderr.contains("Error") || result.stderr.contains("must"), "\(result.stderr)")
    }

    /// Where the unreachable URL comes from: the option or the environment.
    enum Source: String, CaseIterable { case option, environment }

    @Test("an unreachable database exits 1 naming the target, never the password",
          arguments: Source.allCases, ["run", "migrate", "sample-events"])
    func unreachableDatabase(source: Source, command: String) throws {
        let secret = "hunter2-\(UInt32.random(in: 0...UInt32.max))"
        // A closed TCP port on this machine: refused at once, no waiting.
        let url = "postgresql://planner:\(secret)@127.0.0.1:1/mail?connect_timeout=3"
        let result = switch source {
        case .option: try ProgramRunner.bounceplan([command, "--database-url", url], unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        case .environment: try ProgramRunner.bounceplan([command], environment: ["DATABASE_URL": url], timeout: .seconds(30))
        }
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("127.0.0.1:1"), "the message should name the target: \(result.stderr)")
        #expect(result.stderr.contains("DATABASE_URL") && result.stderr.contains("PGHOST"),
                "the message should say what to set: \(result.stderr)")
        #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "the password was printed: \(result)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
    }

    @Test func passwordNeverAppearsInTheOutputOfASuccessfulRun() throws {
        let target = try Target(events: 100)
        // The throwaway server trusts local connections, so the password is sent nowhere and must be shown nowhere.
        let secret = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let url = target.url + (target.url.contains("?") ? "&" : " ") + "password=\(secret)"
        for arguments in [["run", "--json"], ["run"], ["run", "--dry-run", "--json"]] {
            let result = try ProgramRunner.bounceplan(arguments + ["--database-url", url])
            #expect(result.exited(0), "\(result)")
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments): the password was printed")
        }
    }

    @Test func libpqSettingsInTheURLReachLibpqUntouched() throws {
        let target = try Target(events: 2_000)
        // libpq's `options` setting hands server settings over at connection time; only libpq applies it.
        let throttled = try ProgramRunner.bounceplan(["run", "--database-url", target.url(with: "options", "-c statement_timeout=1ms")])
        #expect(throttled.exited(1), "\(throttled)")
        #expect(throttled.stderr.contains("statement timeout"), "\(throttled.stderr)")
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)
        // sslmode is libpq's to check, too: a value it does not know is refused by libpq, by name.
        let badSSL = try ProgramRunner.bounceplan(["run", "--database-url", target.url(with: "sslmode", "sometimes")])
        #expect(badSSL.exited(1), "\(badSSL)")
        #expect(badSSL.stderr.contains("sslmode"), "\(badSSL.stderr)")
        // A valid one passes (the throwaway server listens on a Unix socket, where libpq uses no TLS).
        let allowed = try ProgramRunner.bounceplan(["run", "--database-url", target.url(with: "sslmode", "prefer")])
        #expect(allowed.exited(0), "\(allowed)")
        #expect(try target.count("event_outcomes") == 2_000)
    }

    @Test func tinyStatementTimeoutFailsTheRunCleanlyAndCommitsNothing() throws {
        let target = try Target(events: 5_000)
        let result = try ProgramRunner.bounceplan(["run", "--statement-timeout", "1ms", "--database-url", target.url])
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("statement timeout"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)
        // Nothing was lost either: the next run plans every event.
        let next = try ProgramRunner.bounceplan(["run", "--statement-timeout", "5min", "--database-url", target.url])
        #expect(next.exited(0), "\(next)")
        #expect(try target.count("event_outcomes") == 5_000)
    }

    /// Tables another session may hold while a run starts: the input (read by the run's reading
    /// session) and the planner's own tables (written by its writing session).
    @Test("--lock-timeout bounds the wait for a table another session holds",
          arguments: ["bounce_events", "plan_runs", "suppressions"])
    func lockTimeoutBoundsTheWait(table: String) throws {
        let target = try Target(events: 500)
        // Without --lock-timeout the run would wait for the other session for as long as it holds the lock.
        let blocker = try target.fixture.database.connect()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE \(ScratchDatabase.quoted(table)) IN ACCESS EXCLUSIVE MODE")
        let result = try ProgramRunner.bounceplan(
            ["run", "--lock-timeout", "200ms", "--database-url", target.url], timeout: .seconds(15))
        try blocker.query("ROLLBACK")
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("lock timeout"), "\(result.stderr)")
        #expect(result.seconds < 10, "the run should give up soon after the lock timeout")
        #expect(try PlanTables.totalRows(target.fixture.connection) == 0)
        let next = try ProgramRunner.bounceplan(["run", "--lock-timeout", "200ms", "--database-url", target.url])
        #expect(next.exited(0), "\(next)")
        #expect(try target.count("event_outcomes") == 500)
    }

    @Test func rootHelpExits0AndListsTheSubcommands() throws {
        let help = try ProgramRunner.bounceplan(["--help"], timeout: .seconds(30))
        #expect(help.exited(0), "\(help)")
        #expect(help.stdout.contains("USAGE: bounceplan"), "\(help.stdout)")
        let listed = Self.subcommands(inHelp: help.stdout)
        for expected in ["migrate", "run", "sample-events"] {
            #expect(listed.contains(expected), "\(expected) is missing from --help: \(help.stdout)")
        }
        #expect(help.stdout.contains("--version"))
        #expect(help.stdout.contains("75"), "the root help should explain the exit statuses")
    }

    /// Options each command's help must mention; every listed subcommand is checked for usage, too.
    static let expectedOptions: [String: [String]] = [
        "run": ["--database-url", "--statement-timeout", "--lock-timeout", "--dry-run", "--json", "--config-dir", "--migrations-dir"],
        "migrate": ["--database-url", "--migrations-dir"],
        "sample-events": ["--database-url", "--count", "--seed"],
    ]

    @Test func everySubcommandsHelpExits0AndMentionsItsOptions() throws {
        let root = try ProgramRunner.bounceplan(["--help"], timeout: .seconds(30))
        let subcommands = Self.subcommands(inHelp: root.stdout).filter { $0 != "help" }
        #expect(!subcommands.isEmpty, "no subcommands found in the root help: \(root)")
        for subcommand in Set(subcommands).union(Self.expectedOptions.keys).sorted() {
            let help = try ProgramRunner.bounceplan([subcommand, "--help"], timeout: .seconds(30))
            #expect(help.exited(0), "\(subcommand) --help: \(help)")
            #expect(help.stdout.contains("USAGE: bounceplan \(subcommand)"), "\(subcommand) --help: \(help.stdout)")
            #expect(help.stdout.contains("-h, --help"), "\(subcommand) --help should list its options: \(help.stdout)")
            for option in Self.expectedOptions[subcommand] ?? [] {
                #expect(help.stdout.contains(option), "\(subcommand) --help should mention \(option)")
            }
            #expect(!help.stdout.contains("--fail-at"), "test-only options stay hidden")
            let viaHelp = try ProgramRunner.bounceplan(["help", subcommand], timeout: .seconds(30))
            #expect(viaHelp.exited(0) && viaHelp.stdout == help.stdout, "bounceplan help \(subcommand): \(viaHelp)")
        }
    }

    /// The names in the SUBCOMMANDS section of a help text.
    static func subcommands(inHelp text: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSection = true; continue }
            guard inSection else { continue }
            if !line.hasPrefix(" ") { if !line.isEmpty { inSection = false }; continue }
            let trimmed = line.drop(while: { $0 == " " })
            // Entries sit at the first indentation; wrapped abstracts are indented further.
            guard line.count - trimmed.count <= 2, let name = trimmed.split(separator: " ").first,
                  name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" })
            else { continue }
            names.append(String(name))
        }
        return names
    }
}
