import Foundation

/// Reads the lines a Postfix log gained since the position saved in `stateFile` (all of it when
/// there is none, or when the file was rotated or truncated), hands each event to `handle`, then
/// saves a `PostfixLogState`: the new position and the parser's queue memory, so that a delivery
/// logged in a later run than its `cleanup` line still gets its Message-ID. If `handle` throws,
/// nothing is saved and the same lines are read again next time (source keys make that harmless).
@discardableResult
public func ingestPostfixLog(
    path: String, stateFile: String?, parser: inout PostfixLogParser, _ handle: (IngestedEvent) throws -> Void
) throws -> LogPosition {
    let saved = stateFile.flatMap(PostfixLogState.load(from:))
    if let saved { parser.remember(saved.queue) }
    let position = try ResumableLogReader.readLines(path: path, from: saved?.position) { line in
        if let event = parser.parse(line: line) { try handle(event) }
    }
    if let stateFile { try PostfixLogState(position: position, queue: parser.queueMemory).save(to: stateFile) }
    return position
}
