import ArgumentParser
import Foundation
import Progress

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// `--progress` and `--quiet`, shared by the commands that can run for minutes.
struct ProgressOptions: ParsableArguments {
    /// What `--progress` accepts.
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case auto, line, plain, none
    }

    @Option(help: ArgumentHelp(
        "auto (a status line when standard error is a terminal, nothing otherwise), line, plain (one line per phase, for logs) or none.",
        valueName: "mode"))
    var progress: Choice = .auto

    @Flag(name: .shortAndLong, help: "Show no progress (the same as --progress none).")
    var quiet = false

    /// The mode this process uses.
    var mode: ProgressMode {
        if quiet { return .none }
        switch progress {
        case .auto:
            return ProgressMode.automatic(
                standardErrorIsTerminal: isatty(2) == 1, term: ProcessInfo.processInfo.environment["TERM"])
        case .line: return .statusLine
        case .plain: return .plain
        case .none: return .none
        }
    }

    /// A reporter for this command; call `finish()` on it before printing the summary.
    func reporter() -> ProgressReporter {
        let mode = mode
        return mode == .none ? .silent : ProgressReporter(mode: mode, logLine: { Diagnostics.info($0) })
    }
}
