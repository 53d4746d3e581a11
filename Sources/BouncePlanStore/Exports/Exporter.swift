import Foundation
import Postgres
import Progress

/// Streams an export from PostgreSQL to a writer with `COPY (SELECT …) TO STDOUT`: one row in memory
/// at a time, however large the table. PostgreSQL encodes the CSV or JSON; Swift only frames rows.
public struct Exporter {
    public let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Writes `query` in `format` to `output`; returns the number of data rows. The rows written so far
    /// go to `progress` every few thousand rows.
    @discardableResult
    public func export(_ query: ExportQuery, format: ExportFormat, to output: OutputWriter,
                       progress: ProgressReporter = .silent) throws -> Int {
        if format == .csv && query.csvHeader {
            try output.write(query.columns.map { Self.csvHeaderCell($0.name) }.joined(separator: ",") + "\r\n")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(OutputWriter.chunkSize + 4096)
        var textRow = CopyTextRow()
        var rowsSoFar: Int64 = 0
        func flushIfFull() throws {
            guard buffer.count >= OutputWriter.chunkSize else { return }
            try output.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        // One snapshot for the whole file, and settings that vanish with the transaction.
        return try connection.transaction {
            try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for setting in query.settings {
                try connection.setSetting(setting.name, to: setting.value, local: true)
            }
            let sql: String
            switch format {
            case .csv:
                sql = ExportSQL.csv(query.columns, source: query.source, neutralising: query.neutralisesFormulas)
            case .ndjson:
                sql = ExportSQL.ndjson(query.columns, source: query.source)
            }
            let rows = try connection.copyOut(sql) { row in
                rowsSoFar += 1
                if rowsSoFar & 4095 == 0 { progress.update(completed: rowsSoFar) }
                switch format {
                case .csv:
                    // One COPY message per row, ending in LF (quoted cells may hold more line breaks).
                    let body = row.count > 0 && row[row.count - 1] == 10 ? UnsafeRawBufferPointer(rebasing: row.dropLast()) : row
                    buffer.append(contentsOf: body)
                    buffer.append(13)
                    buffer.append(10)
                case .ndjson where !row.contains(92):
                    // Nothing escaped by COPY: the row is the JSON text and its LF.
                    buffer.append(contentsOf: row)
                    if row.last != 10 { buffer.append(10) }
                    return try flushIfFull()
                case .ndjson:
                    textRow.parse(row)
                    textRow.withBytes(0) { if let bytes = $0 { buffer.append(contentsOf: bytes) } }
                    buffer.append(10)
                }
                try flushIfFull()
            }
            try output.write(buffer)
            return rows
        }
    }

    /// Header names are ours, but quote them by the same rule as any cell.
    static func csvHeaderCell(_ name: String) -> String {
        guard name.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
