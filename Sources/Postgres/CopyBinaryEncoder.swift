/// Builds rows in `COPY … FROM STDIN (FORMAT binary)` form: a field count per row, then each field as
/// its length and bytes (-1 for NULL). Numbers and times travel as their bytes, so the server parses no
/// text for them (at 1 M plan rows, the text form's timestamps cost about a quarter of the COPY).
///
/// The stream must start with ``header`` and should end with ``trailer``; ``CopySpool`` and callers of
/// ``Connection/copyIn(_:_:)`` send them around the rows.
public struct CopyBinaryEncoder: Sendable {
    /// The encoded rows so far.
    public private(set) var bytes: [UInt8] = []

    /// The file header: signature, flags, no extension.
    public static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The file trailer: a field count of -1.
    public static let trailer: [UInt8] = [0xFF, 0xFF]
    /// The type oid of `bigint`, for arrays of it.
    static let int8Oid: Int32 = 20

    public init() {
        bytes.reserveCapacity(CopyTextEncoder.chunkSize + 8192)
    }

    /// True when the buffer has reached ``CopyTextEncoder/chunkSize``, the size a writer sends at.
    public var isFull: Bool { bytes.count >= CopyTextEncoder.chunkSize }

    /// Hands the encoded rows over and starts an empty buffer.
    public mutating func take() -> [UInt8] {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(CopyTextEncoder.chunkSize + 8192)
        swap(&chunk, &bytes)
        return chunk
    }

    /// Starts a row of `fields` fields.
    public mutating func startRow(fields: Int) { append(Int16(fields)) }

    /// A `text` field; nil is SQL NULL.
    public mutating func text(_ value: String?) {
        guard var value else { return null() }
        value.withUTF8 { utf8 in
            append(Int32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A `text` field from UTF-8 bytes; nil is SQL NULL.
    public mutating func text(bytes raw: UnsafeRawBufferPointer?) {
        guard let raw else { return null() }
        append(Int32(raw.count))
        // As typed bytes: appending the raw buffer itself went element by element (callgrind).
        bytes.append(contentsOf: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
    }

    /// A `boolean` field; nil is SQL NULL.
    public mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        append(Int32(1))
        bytes.append(value ? 1 : 0)
    }

    /// A `bytea` field, the bytes as they are; nil is SQL NULL.
    public mutating func bytea(_ value: [UInt8]?) {
        guard let value else { return null() }
        append(Int32(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `bigint` field; nil is SQL NULL.
    public mutating func int64(_ value: Int64?) {
        guard let value else { return null() }
        append(Int32(8))
        append(value)
    }

    /// An `integer` field; nil is SQL NULL.
    public mutating func int32(_ value: Int?) {
        guard let value else { return null() }
        append(Int32(4))
        append(Int32(truncatingIfNeeded: value))
    }

    /// A `double precision` field; nil is SQL NULL.
    public mutating func double(_ value: Double?) {
        guard let value else { return null() }
        append(Int32(8))
        append(Int64(bitPattern: value.bitPattern))
    }

    /// A `timestamptz` field from microseconds since the Unix epoch; nil is SQL NULL.
    public mutating func timestamp(unixMicros value: Int64?) {
        guard let value else { return null() }
        append(Int32(8))
        append(value &- CopyBinaryRow.postgresEpochMicros)
    }

    /// A `timestamptz` field as PostgreSQL keeps it: microseconds since 2000-01-01 UTC, `Int64.max` for
    /// `infinity` and `Int64.min` for `-infinity`.
    public mutating func timestamp(postgresMicros value: Int64) {
        append(Int32(8))
        append(value)
    }

    /// A one-dimensional `bigint[]` field without NULL elements (empty is `{}`).
    public mutating func int64Array(_ values: [Int64]) {
        let dimensions: Int32 = values.isEmpty ? 0 : 1
        append(Int32(12 + (values.isEmpty ? 0 : 8 + 12 * values.count)))
        append(dimensions)
        append(Int32(0))  // no NULL elements
        append(Self.int8Oid)
        guard !values.isEmpty else { return }
        append(Int32(values.count))
        append(Int32(1))  // lower bound
        for value in values {
            append(Int32(8))
            append(value)
        }
    }

    /// SQL NULL.
    public mutating func null() { append(Int32(-1)) }

    /// Most significant byte first. One byte at a time: appending the value's raw bytes as a buffer went
    /// through the generic sequence path, about 70 instructions for four bytes (callgrind, pass 1's
    /// staging rows: 17 of these a row).
    private mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        var shift = Value.bitWidth - 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
            shift -= 8
        }
    }
}
