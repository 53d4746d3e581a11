import Foundation

/// Reads an RFC 4180 CSV file record by record (quoted fields may hold commas, quotes and line
/// breaks; CRLF or LF line ends; a UTF-8 byte-order mark is skipped), holding one record in memory.
///
/// Hand-written because the CSV parsers at hand read an unclosed quote to the end of the file as one
/// field without a word (yaslab/CSV.swift 2.5.2, swiftcsv/SwiftCSV 0.10.0), and neither says on which
/// line a file stops being UTF-8; an import must refuse both, with the line.
public final class SuppressionCSVReader {
    /// Why a record cannot be used.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The record on this line is not UTF-8 text; the reader goes on with the next record.
        case notUTF8(line: Int)
        /// A quoted field opened on this line is never closed: the rest of the file is inside it.
        case unclosedQuote(line: Int)

        public var description: String {
            switch self {
            case .notUTF8(let line):
                return "line \(line): not UTF-8 text (save the file as UTF-8)"
            case .unclosedQuote(let line):
                return "line \(line): a quoted field starts here and is never closed (an unbalanced \")"
            }
        }
    }

    private let file: UnsafeMutablePointer<FILE>
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var position = 0
    private var filled = 0
    private var atStart = true
    /// The line the last record started on (1-based), for messages.
    public private(set) var line = 0
    private var nextLine = 1

    public init(path: String) throws {
        guard let file = fopen(path, "rb") else {
            throw StoreError(.invalidInput, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.file = file
    }

    deinit { fclose(file) }

    private func nextByte() -> UInt8? {
        if position == filled {
            filled = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            position = 0
            if filled == 0 { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// The next record's fields, or nil at the end of the file. Throws ``Problem/notUTF8(line:)``
    /// for a record that is not UTF-8 (having read past it) and ``Problem/unclosedQuote(line:)`` at
    /// the end of a file whose last quoted field never closed.
    public func next() throws -> [String]? {
        if atStart {
            atStart = false
            // Skip a UTF-8 byte-order mark.
            if let first = nextByte() {
                if first == 0xEF, nextByte() == 0xBB, nextByte() == 0xBF {
                } else {
                    position = 0
                }
            }
        }
        line = nextLine
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var quoteLine = 0
        var sawAny = false
        var valid = true
        func finishField() {
            if let text = String(validating: field, as: UTF8.self) {
                fields.append(text)
            } else {
                valid = false
                fields.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
        }
        func finished() throws -> [String] {
            finishField()
            guard valid else { throw Problem.notUTF8(line: line) }
            return fields
        }
        while true {
            guard let byte = nextByte() else {
                if quoted { throw Problem.unclosedQuote(line: quoteLine) }
                if !sawAny { return nil }
                return try finished()
            }
            sawAny = true
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if peek() == UInt8(ascii: "\"") {
                        position += 1
                        field.append(byte)
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 10 { nextLine += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty:
                quoted = true
                quoteLine = nextLine
            case UInt8(ascii: ","):
                finishField()
            case 13 where peek() == 10:
                continue
            case 10:
                nextLine += 1
                return try finished()
            default:
                field.append(byte)
            }
        }
    }

    private func peek() -> UInt8? {
        guard let byte = nextByte() else { return nil }
        position -= 1
        return byte
    }
}
