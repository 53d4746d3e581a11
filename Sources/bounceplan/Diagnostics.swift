import ArgumentParser
import Foundation
import Logging

/// The program's diagnostics: swift-log, one line per event on standard error with the time (UTC)
/// and the level, so that cron mail and the systemd journal can be read and filtered; results and
/// summaries stay on standard output.
enum Diagnostics {
    /// The logger every command writes its diagnostics to.
    static let logger = Logger(label: "bounceplan")

    /// Something failed and the user must act: the message says what to do.
    static func error(_ message: String) { logger.error("\(message)") }
    /// Something was skipped or looks wrong, and the command went on.
    static func warning(_ message: String) { logger.warning("\(message)") }
    /// What a command did, beside its results (a file written, say).
    static func info(_ message: String) { logger.info("\(message)") }

    /// Removes `--log-level LEVEL` (or `--log-level=LEVEL`) from `arguments`, wherever it stands, and
    /// installs the handler at that level (default info). Every command takes it, so it is read here
    /// rather than declared on each.
    static func bootstrap(consuming arguments: inout [String]) throws {
        var level = Logger.Level.info
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let argument = arguments[index]
            guard argument == "--log-level" || argument.hasPrefix("--log-level=") else { index += 1; continue }
            let value: String
            if argument == "--log-level" {
                guard index + 1 < arguments.count else { throw ValidationError("--log-level needs a value: \(levelNames)") }
                value = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else {
                value = String(argument.dropFirst("--log-level=".count))
                arguments.remove(at: index)
            }
            guard let chosen = Logger.Level(rawValue: value.lowercased()) else {
                throw ValidationError("--log-level \(value.debugDescription) is not a level: \(levelNames)")
            }
            level = chosen
        }
        let chosen = level
        LoggingSystem.bootstrap { label in
            var handler = LineLogHandler(label: label)
            handler.logLevel = chosen
            return handler
        }
    }

    static let levelNames = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
}

/// `2026-11-30T02:30:04Z error bounceplan: message key=value`, written to standard error in one
/// write so that lines from concurrent processes never interleave. Line breaks inside a message
/// become "; ", keeping one event on one line.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// At a terminal a progress status line may be showing: erase it first, so that the diagnostic
    /// starts at the left margin (the status line is redrawn below it on its next tick).
    static let erasesStatusLine = isatty(STDERR_FILENO) == 1

    func log(event: LogEvent) {
        var line = (Self.erasesStatusLine ? "\r\u{1B}[2K" : "") + "\(Self.timestamp()) \(event.level) \(label): "
        line += event.message.description.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ")
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { line += " \(key)=\(merged[key]!)" }
        line += "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Now, in UTC, to the second.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
