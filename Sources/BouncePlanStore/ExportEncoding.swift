import Postgres

/// The file formats an export can write.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// RFC 4180: a header line, CRLF line ends, quotes only where a cell needs them.
    case csv
    /// One JSON object per line (LF), keys in column order.
    case ndjson
}

/// One column of an export: its name in the header (CSV) or as a key (NDJSON), and how JSON writes it.
public struct ExportColumn: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case text, number, boolean }
    public var name: String
    public var kind: Kind

    public init(_ name: String, _ kind: Kind = .text) {
        self.name = name
        self.kind = kind
    }
}

/// Turns rows of `COPY … TO STDOUT` into CSV or NDJSON bytes.
///
/// CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return) are prefixed with `'`, so a hostile diagnostic text cannot become a formula in
/// whoever opens the export. NDJSON is data for programs and is left exact.
public struct ExportRowEncoder {
    public let format: ExportFormat
    public let columns: [ExportColumn]
    private var row = CopyTextRow()

    public init(format: ExportFormat, columns: [ExportColumn]) {
        self.format = format
        self.columns = columns
    }

    /// The CSV header line; NDJSON has none.
    public func header() -> [UInt8] {
        guard format == .csv else { return [] }
        var out: [UInt8] = []
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Array(column.name.utf8).withUnsafeBufferPointer { Self.appendCSVCell($0, to: &out) }
        }
        out.append(contentsOf: [13, 10])
        return out
    }

    /// Encodes one COPY text row (as libpq delivers it) and appends it to `out`.
    public mutating func encode(_ copyRow: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        row.parse(copyRow)
        switch format {
        case .csv: encodeCSV(into: &out)
        case .ndjson: encodeJSON(into: &out)
        }
    }

    private func encodeCSV(into out: inout [UInt8]) {
        for index in columns.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            row.withBytes(index) { bytes in
                guard let bytes else { return }  // NULL is an empty cell
                Self.appendCSVCell(bytes.bindMemory(to: UInt8.self), to: &out)
            }
        }
        out.append(contentsOf: [13, 10])
    }

    private func encodeJSON(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendJSONString(column.name, to: &out)
            out.append(UInt8(ascii: ":"))
            guard let value = row.string(index) else {
                out.append(contentsOf: Array("null".utf8))
                continue
            }
            switch column.kind {
            case .number where Self.isJSONNumber(value):
                out.append(contentsOf: Array(value.utf8))
            case .boolean where value == "t" || value == "f":
                out.append(contentsOf: Array((value == "t" ? "true" : "false").utf8))
            default:
                Self.appendJSONString(value, to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(10)
    }

    /// Characters that make a spreadsheet treat a cell as a formula.
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13]

    /// Appends one CSV cell: neutralised when it starts like a formula, quoted when it holds a comma,
    /// a quote, CR or LF (inner quotes doubled).
    static func appendCSVCell(_ cell: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let neutralise = cell.first.map { formulaStarts.contains($0) } ?? false
        let needsQuotes = cell.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
        if needsQuotes { out.append(UInt8(ascii: "\"")) }
        if neutralise { out.append(UInt8(ascii: "'")) }
        for byte in cell {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        if needsQuotes { out.append(UInt8(ascii: "\"")) }
    }

    /// Appends a JSON string literal (RFC 8259): quote, backslash and control characters escaped.
    static func appendJSONString(_ value: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, UInt8(ascii: "\"")])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20, 0x7f:
                out.append(contentsOf: [92, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// True for the integers and decimals PostgreSQL prints, which JSON can carry as they are.
    static func isJSONNumber(_ text: String) -> Bool {
        var digits = 0
        for (offset, byte) in text.utf8.enumerated() {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") { digits += 1; continue }
            if offset == 0 && byte == UInt8(ascii: "-") { continue }
            if byte == UInt8(ascii: ".") && digits > 0 { continue }
            return false
        }
        return digits > 0 && !(text.utf8.count > 1 && text.utf8.first == UInt8(ascii: "0") && text.utf8.dropFirst().first != UInt8(ascii: "."))
    }
}
