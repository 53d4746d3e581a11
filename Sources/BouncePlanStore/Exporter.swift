import Postgres

/// Streams an export from PostgreSQL to a writer with `COPY (SELECT …) TO STDOUT`: one row in memory
/// at a time, however large the table.
public struct Exporter {
    public let connection: Connection

    public init(connection: Connection) {
        self.connection = connection
    }

    /// Writes `query` in `format` to `output`; returns the number of data rows.
    @discardableResult
    public func export(_ query: ExportQuery, format: ExportFormat, to output: OutputWriter) throws -> Int {
        var encoder = ExportRowEncoder(format: format, columns: query.columns)
        if query.csvHeader { try output.write(encoder.header()) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(OutputWriter.chunkSize + 4096)
        // One snapshot for the whole file, and settings that vanish with the transaction.
        return try connection.transaction {
            try connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for setting in query.settings {
                try connection.setSetting(setting.name, to: setting.value, local: true)
            }
            let rows = try connection.copyOut("COPY (\(query.select)) TO STDOUT") { row in
                encoder.encode(row, into: &buffer)
                if buffer.count >= OutputWriter.chunkSize {
                    try output.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try output.write(buffer)
            return rows
        }
    }
}
