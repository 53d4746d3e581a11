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
///
/// Started with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`: `Process`
/// learns of the end of its child from a descriptor the child inherits, so it waits for ever when the
/// child leaves a daemon behind (`scripts/db.sh start` leaves PostgreSQL running).
public final class RunningProgram {
    public let processIdentifier: pid_t
    private let outputPath: String
    private let errorPath: String
    private let launched: ContinuousClock.Instant
    private var finalStatus: Int32?
    /// What was run, for messages (passwords masked).
    public let commandLine: String

    init(processIdentifier: pid_t, outputPath: String, errorPath: String, commandLine: String) {
        self.processIdentifier = processIdentifier
        self.outputPath = outputPath
        self.errorPath = errorPath
        self.commandLine = commandLine
        self.launched = ContinuousClock.now
    }

    deinit {
        if isRunning {
            _ = Glibc.kill(-processIdentifier, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(processIdentifier, &status, 0)
        }
        unlink(outputPath)
        unlink(errorPath)
    }

    /// True until the process has ended (and been reaped).
    public var isRunning: Bool {
        if finalStatus != nil { return false }
        var status: Int32 = 0
        let reaped = waitpid(processIdentifier, &status, WNOHANG)
        if reaped == processIdentifier || (reaped == -1 && errno == ECHILD) {
            finalStatus = reaped == processIdentifier ? status : 0
            return false
        }
        return true
    }

    /// Sends a signal (SIGKILL unless told otherwise) to the process alone; SIGKILL cannot be caught.
    public func kill(_ signal: Int32 = SIGKILL) {
        if isRunning { _ = Glibc.kill(processIdentifier, signal) }
    }

    /// Waits for the process to end; past `timeout` its whole process group is killed and
    /// ``ProgramTimedOut`` is thrown, so a hung child fails the test instead of hanging the suite.
    /// A limit only catches a hang, never slowness: on a loaded machine (CI on two cores, the whole
    /// suite in parallel) a command that takes a second alone can take a minute, so no limit is
    /// shorter than ``ProgramRunner/shortestTimeout``.
    public func wait(timeout: Duration) throws -> ProgramResult {
        let timeout = max(timeout, ProgramRunner.shortestTimeout)
        let deadline = launched + timeout
        while isRunning {
            if ContinuousClock.now >= deadline {
                _ = Glibc.kill(-processIdentifier, SIGKILL)
                while isRunning { usleep(5_000) }
                throw ProgramTimedOut(commandLine: commandLine, timeout: timeout, partial: collect())
            }
            usleep(5_000)
        }
        return collect()
    }

    private func collect() -> ProgramResult {
        let read = { (path: String) in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        // The wait status, decoded by hand: Swift does not import the WIFEXITED family of macros.
        let status = finalStatus ?? 0
        let signalled = status & 0x7f != 0
        return ProgramResult(
            status: signalled ? status & 0x7f : (status >> 8) & 0xff, signal: signalled,
            stdout: read(outputPath), stderr: read(errorPath), seconds: (ContinuousClock.now - launched).asSeconds)
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
    /// The debug build of the command line, as `swift build --build-tests` leaves it, unless
    /// `BOUNCEPLAN_TEST_PROGRAM` names another build (a release one, say).
    public static var bounceplanPath: String {
        if let chosen = ProcessInfo.processInfo.environment["BOUNCEPLAN_TEST_PROGRAM"], !chosen.isEmpty { return chosen }
        return TestDatabase.repositoryRoot + "/.build/debug/bounceplan"
    }

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

    /// The least time a child gets before it is taken for hung (see ``RunningProgram/wait(timeout:)``).
    public static let shortestTimeout: Duration = .seconds(600)

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

    /// Starts a program in the repository root with the test's environment plus `environment`, minus
    /// `unsetting`, in a process group of its own. Output goes to files, not pipes: a server started by
    /// the child may hold a pipe open for ever.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = []
    ) throws -> RunningProgram {
        var merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        for name in unsetting { merged[name] = nil }
        let stem = NSTemporaryDirectory() + "/bounceplan-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let outputPath = stem + ".out", errorPath = stem + ".err"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        // env -C changes the folder and then execs the program itself, so the pid is the program's.
        let argv = ["/usr/bin/env", "-C", TestDatabase.repositoryRoot, executable] + arguments
        let envp = merged.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { argvPointer in
            withCStrings(envp) { envpPointer in
                posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argvPointer, envpPointer)
            }
        }
        guard spawned == 0 else {
            throw CocoaError(.executableLoad, userInfo: [
                NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(spawned)))",
            ])
        }
        return RunningProgram(
            processIdentifier: pid, outputPath: outputPath, errorPath: errorPath,
            commandLine: ([executable] + arguments).map(ConnectionSettings.redact).joined(separator: " "))
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`.
    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension Duration {
    /// The duration as floating-point seconds.
    public var asSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
