import Foundation

/// Reads an RFC 4180 CSV file record by record (quoted fields may hold commas, quotes and line
/// breaks; CRLF or LF line ends; a UTF-8 byte-order mark is skipped), holding one record in memory.
public final class SuppressionCSVReader {
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

    /// The next record's fields, or nil at the end of the file.
    public func next() -> [String]? {
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
        var sawAny = false
        while true {
            guard let byte = nextByte() else {
                if !sawAny { return nil }
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
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
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case 13 where peek() == 10:
                continue
            case 10:
                nextLine += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return fields
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
