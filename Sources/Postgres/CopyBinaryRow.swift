/// Splits one row of `COPY … TO STDOUT (FORMAT binary)` into fields, as ``Connection/copyOut(_:row:)``
/// delivers it: the server sends each row as one message, the file header in front of the first row and
/// the trailer (a field count of -1) as a message of its own.
///
/// The binary format spares the server the text output functions (and the client the parsing of
/// numbers and escapes): an integer is its bytes, a timestamp the microseconds since 2000-01-01, text
/// its UTF-8 bytes. Field access reads the message in place, so a row costs no allocation; the buffer
/// must stay valid while the row is read (it does, inside the `copyOut` callback).
public struct CopyBinaryRow: BinaryFields {
    private var base: UnsafeRawPointer?
    /// Start and length of each field in the message; a negative length marks SQL NULL.
    private var bounds: [(start: Int, length: Int)] = []

    /// The signature that opens a binary COPY stream (PostgreSQL's `BinarySignature`).
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    /// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00:00 UTC).
    public static let postgresEpochMicros: Int64 = 946_684_800_000_000

    public init() { bounds.reserveCapacity(32) }

    /// Fields of the current row; 0 for the trailer.
    public var fieldCount: Int { bounds.count }

    /// Reads one message: the header when present, then the row. Returns false for the trailer.
    @discardableResult
    public mutating func parse(_ message: UnsafeRawBufferPointer) -> Bool {
        bounds.removeAll(keepingCapacity: true)
        base = message.baseAddress
        var offset = 0
        // Only the first message carries the signature; a row starts with its field count, whose first byte
        // is 0 for any row PostgreSQL can send, so one byte spares every row the eleven-byte comparison.
        if message.count >= 19, message[0] == UInt8(ascii: "P"),
            Self.signature.withUnsafeBytes({ $0.elementsEqual(message[0..<11]) }) {
            let extensionLength = Int(Self.int32(message, at: 15))
            offset = 19 + max(0, extensionLength)
        }
        guard offset + 2 <= message.count else { return false }
        let count = Int(Int16(bitPattern: UInt16(message[offset]) << 8 | UInt16(message[offset + 1])))
        offset += 2
        guard count >= 0 else { return false }
        for _ in 0..<count {
            guard offset + 4 <= message.count else { break }
            let length = Int(Self.int32(message, at: offset))
            offset += 4
            bounds.append((offset, length))
            if length > 0 { offset += length }
        }
        return true
    }

    private static func int32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
        Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    public func isNull(_ field: Int) -> Bool { field >= bounds.count || bounds[field].length < 0 }

    /// Calls `body` with the raw bytes of a field (nil for NULL).
    public func withBytes<Result>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard !isNull(field), let base else { return try body(nil) }
        let (start, length) = bounds[field]
        return try body(UnsafeRawBufferPointer(start: base + start, count: length))
    }
}
