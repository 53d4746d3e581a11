import Foundation
import Postgres
import TestSupport
import Testing

/// Diagnostics on standard error, one line per event with time and level; results on standard output.
@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test func anExportToAFileSaysSoOnOneInfoLineAndTheDataStaysOut() throws {
        let target = try CommandLineTests.Target(events: 20)
        let folder = try ScratchFolder()
        let path = folder.file("out.csv")
        let result = try ProgramRunner.bounceplan(["export", "suppressions", "-o", path, "--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(result.diagnostics == [DiagnosticLine(level: "info", message: "wrote 0 rows to \(path)")], "\(result.stderr)")
    }

    @Test("--log-level is taken by every command, before or after it, and filters by level",
          arguments: [["--log-level", "error"], ["--log-level=warning"], ["--log-level", "ERROR"]])
    func aHigherLevelHidesInfo(level: [String]) throws {
        let target = try CommandLineTests.Target(events: 0)
        let folder = try ScratchFolder()
        for placement in [0, 1] {
            var arguments = ["export", "suppressions", "-o", folder.file("out.csv"), "--database-url", target.url]
            arguments.insert(contentsOf: level, at: placement == 0 ? 0 : arguments.count)
            let result = try ProgramRunner.bounceplan(arguments)
            #expect(result.exited(0), "\(result)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }

    @Test func aFailureIsOneErrorLineEvenWhenTheMessageHasSeveral() throws {
        // A closed port: refused at once. The message has a HINT and a context on lines of their own.
        let result = try ProgramRunner.bounceplan(
            ["status", "--database-url", "postgresql://x@127.0.0.1:1/mail?connect_timeout=3"],
            unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        #expect(result.exited(1), "\(result)")
        #expect(result.diagnostics.count == 1, "\(result.stderr)")
        let line = result.diagnostics.first ?? nil
        #expect(line?.level == "error", "\(result.stderr)")
        #expect(line?.message.contains("cannot connect to PostgreSQL at 127.0.0.1:1") == true, "\(result.stderr)")
        #expect(line?.message.contains("; HINT: set DATABASE_URL") == true, "\(result.stderr)")
    }

    @Test func anUnknownLevelIsAUsageErrorListingTheLevels() throws {
        let result = try ProgramRunner.bounceplan(["status", "--log-level", "loud"], unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        #expect(result.exited(2), "\(result)")
        #expect(result.stderr.contains("--log-level \"loud\" is not a level: trace, debug, info, notice, warning, error, critical"),
                "\(result.stderr)")
    }
}
