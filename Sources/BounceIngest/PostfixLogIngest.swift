import Foundation

/// Reads the lines a Postfix log gained since the position saved in `stateFile` (all of it when
/// there is none, or when the file was rotated or truncated), hands each event to `handle`, and
/// saves the new position. The parser is `inout` so its queue-id memory carries over between calls
/// of one process; it is not saved, so a delivery logged in a later run than its `cleanup` line has
/// no Message-ID.
@discardableResult
public func ingestPostfixLog(
    path: String, stateFile: String?, parser: inout PostfixLogParser, _ handle: (IngestedEvent) throws -> Void
) throws -> LogPosition {
    try ResumableLogReader(path: path, stateFile: stateFile).readNewLines { line in
        if let event = parser.parse(line: line) { try handle(event) }
    }
}
