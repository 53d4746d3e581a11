import Foundation
import Postgres

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// What a finished child process left behind.
public struct ProgramResult: Sendable, CustomStringConvertible {
    /// The exit status, or the signal number when ``signal`` is true.
    public var status: Int32
    /// True when the process was ended by a signal (for example our SIGKILL) rather than exiting.
    public var signal: Bool
    public var stdout: String
    public var stderr: String
    /// Wall-clock time from launch to exit.
    public var seconds: Double

    /// True when the process exited on its own with this status.
    public func exited(_ expected: Int32) -> Bool { !signal && status == expected }

    public var description: String {
        "\(signal ? "killed by signal" : "exit status") \(status) after \(String(format: "%.2f", seconds)) s\n"
            + "stdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }
}

/// A child process still running (or finished but not yet collected).
public final class RunningProgram {
    private let process: Process
    private let outputURL: URL
    private let errorURL: URL
    private let launched: ContinuousClock.Instant
    /// What was run, for messages.
    public let commandLine: String

    init(process: Process, outputURL: URL, errorURL: URL, commandLine: String) {
        self.process = process
        self.outputURL = outputURL
        self.errorURL = errorURL
        self.commandLine = commandLine
        self.launched = ContinuousClock.now
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputURL)
        try? FileManager.default.removeItem(at: errorURL)
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends a signal (SIGKILL unless told otherwise); the process cannot catch SIGKILL.
    public func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits for the process to end; past `timeout` it is killed and ``ProgramTimedOut`` is thrown,
    /// so a hung child fails the test instead of hanging the suite.
    public func wait(timeout: Duration) throws -> ProgramResult {
        let deadline = launched + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill()
                process.waitUntilExit()
                throw ProgramTimedOut(commandLine: commandLine, timeout: timeout, partial: collect())
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        return collect()
    }

    private func collect() -> ProgramResult {
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return ProgramResult(
            status: process.terminationStatus, signal: process.terminationReason == .uncaughtSignal,
            stdout: read(outputURL), stderr: read(errorURL), seconds: (ContinuousClock.now - launched).asSeconds)
    }
}

/// A child process outlived its time limit and was killed.
public struct ProgramTimedOut: Error, CustomStringConvertible {
    public let commandLine: String
    public let timeout: Duration
    public let partial: ProgramResult
    public var description: String { "\(commandLine) did not finish within \(timeout); killed it. \(partial)" }
}

/// The built `bounceplan` program is not where `swift build --build-tests` puts it.
public struct ProgramMissing: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "the bounceplan program is missing at \(path): build it first with `swift build --build-tests` (`make test` does)"
    }
}

/// Runs programs as child processes with their output captured, for end-to-end tests of the
/// command line, crashes and server restarts.
public enum ProgramRunner {
    /// The debug build of the command line, as `swift build --build-tests` leaves it.
    public static var bounceplanPath: String { TestDatabase.repositoryRoot + "/.build/debug/bounceplan" }

    /// Starts `bounceplan` with `arguments` in the repository root (where it finds Config/ and
    /// Migrations/). Throws ``ProgramMissing`` rather than letting a test pass vacuously.
    public static func startBounceplan(
        _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = []
    ) throws -> RunningProgram {
        guard FileManager.default.isExecutableFile(atPath: bounceplanPath) else {
            throw ProgramMissing(path: bounceplanPath)
        }
        return try start(bounceplanPath, arguments, environment: environment, unsetting: unsetting)
    }

    /// Runs `bounceplan` to its end, killing it after `timeout`.
    public static func bounceplan(
        _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [],
        timeout: Duration = .seconds(120)
    ) throws -> ProgramResult {
        try startBounceplan(arguments, environment: environment, unsetting: unsetting).wait(timeout: timeout)
    }

    /// Runs any program to its end, killing it after `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: Duration = .seconds(120)
    ) throws -> ProgramResult {
        try start(executable, arguments, environment: environment).wait(timeout: timeout)
    }

    /// Starts a program with the test's environment plus `environment`, minus `unsetting`.
    /// Output goes to files, not pipes: a server started by the child may keep a pipe open for ever.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = []
    ) throws -> RunningProgram {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: TestDatabase.repositoryRoot)
        var merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        for name in unsetting { merged[name] = nil }
        process.environment = merged
        let stem = FileManager.default.temporaryDirectory
            .appendingPathComponent("bounceplan-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        let outputURL = stem.appendingPathExtension("out")
        let errorURL = stem.appendingPathExtension("err")
        for url in [outputURL, errorURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return RunningProgram(
            process: process, outputURL: outputURL, errorURL: errorURL,
            commandLine: ([executable] + arguments).map(ConnectionSettings.redact).joined(separator: " "))
    }
}

extension Duration {
    /// The duration as floating-point seconds.
    public var asSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
