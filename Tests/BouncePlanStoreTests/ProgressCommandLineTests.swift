import Foundation
import TestSupport
import Testing

/// The real program's progress as an operator sees it: at a terminal (a pseudo-terminal made by
/// `script`), in a pipe, and as plain lines for logs.
@Suite("Progress on the command line")
struct ProgressCommandLineTests {
    static let erase = "\r\u{1B}[2K"

    /// `bounceplan ARGUMENTS` under a pseudo-terminal: standard error (and output) are a terminal, as
    /// for a person at a shell. Returns everything the terminal received.
    static func atTerminal(_ arguments: [String], redirectingStandardOutputTo output: String? = nil) throws -> ProgramResult {
        var command = ([ProgramRunner.bounceplanPath] + arguments).map(quoted).joined(separator: " ")
        if let output { command += " > " + quoted(output) }
        // -e: the program's exit status; -q: no "Script started" lines; the typescript itself is discarded.
        return try ProgramRunner.run(
            "/usr/bin/script", ["-q", "-e", "-f", "-c", command, "/dev/null"],
            environment: ["TERM": "xterm", "COLUMNS": "120"])
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @Test("at a terminal, run shows its phases on one self-updating line and erases it before the summary")
    func runAtTerminal() throws {
        let target = try CommandLineTests.Target(events: 3_000)
        let result = try Self.atTerminal(["run", "--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        let screen = result.stdout
        for phase in ["reading + classifying", "storm guard", "writing rate limits", "planning recipients", "committing"] {
            #expect(screen.contains(Self.erase + phase), "no status line for \(phase): \(screen.debugDescription)")
        }
        #expect(screen.contains("events"))
        let lastErase = try #require(screen.range(of: Self.erase, options: .backwards))
        let summary = try #require(screen.range(of: "bounceplan run "))
        #expect(lastErase.upperBound <= summary.lowerBound, "the summary was printed before the status line was erased")
    }

    @Test("at a terminal with --json on standard output, the JSON holds no progress")
    func jsonStaysClean() throws {
        let target = try CommandLineTests.Target(events: 500)
        let file = NSTemporaryDirectory() + "/bounceplan-progress-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        defer { unlink(file) }
        let result = try Self.atTerminal(["run", "--json", "--database-url", target.url], redirectingStandardOutputTo: file)
        #expect(result.exited(0), "\(result)")
        #expect(result.stdout.contains(Self.erase + "reading + classifying"))
        let json = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(!json.contains(0x1B))
        #expect(try JSONSerialization.jsonObject(with: json) is [String: Any])
    }

    @Test("--quiet at a terminal shows nothing but the summary")
    func quietAtTerminal() throws {
        let target = try CommandLineTests.Target(events: 200)
        let result = try Self.atTerminal(["run", "--quiet", "--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(result.stdout.contains("bounceplan run "))
    }

    @Test("not at a terminal (cron, a pipe), commands print no progress and no escape code", arguments: [
        ["run"], ["sample-events", "--count", "300"], ["export", "suppressions"],
    ])
    func noTerminal(arguments: [String]) throws {
        let target = try CommandLineTests.Target(events: 300)
        _ = try ProgramRunner.bounceplan(["run", "--database-url", target.url])
        let result = try ProgramRunner.bounceplan(arguments + ["--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        #expect(!result.stderr.contains("\u{1B}"), "\(result.stderr.debugDescription)")
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stderr.contains("reading + classifying"))
    }

    @Test("--progress plain logs one line per phase with its duration")
    func plainLines() throws {
        let target = try CommandLineTests.Target(events: 1_000)
        let result = try ProgramRunner.bounceplan(["run", "--progress", "plain", "--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("Z info bounceplan: reading + classifying: 1,000 events in ") }, "\(lines)")
        #expect(lines.contains { $0.contains(" info bounceplan: planning recipients: ") && $0.hasSuffix(" s") }, "\(lines)")
        #expect(!result.stderr.contains("\u{1B}"))
        #expect(result.stdout.hasPrefix("bounceplan run "))
    }

    @Test("ingest at a terminal counts messages against the input's size")
    func ingestAtTerminal() throws {
        let target = try CommandLineTests.Target(events: 0)
        let result = try Self.atTerminal(["ingest", "dsn", TestDatabase.repositoryRoot + "/Demo/bounces", "--database-url", target.url])
        #expect(result.exited(0), "\(result)")
        #expect(result.stdout.contains(Self.erase + "reading messages"))
        #expect(result.stdout.contains("read 8 messages"))
    }
}
