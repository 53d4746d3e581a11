/// Typed readers over fields in PostgreSQL's binary form, shared by every row type that can hand out a
/// field's bytes in place (``CopyBinaryRow`` from a binary COPY, ``FetchedBinaryRow`` from a binary cursor).
public protocol BinaryFields {
    /// Whether `field` is SQL NULL (or past the row's last field).
    func isNull(_ field: Int) -> Bool
    /// Calls `body` with the raw bytes of a field (nil for NULL).
    func withBytes<Result>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result
}

// Inlinable so that each row type's call sites get a specialised copy: these run once per field of every
// row of the night's read, and an unspecialised generic call through the witness table would cost on each.
extension BinaryFields {
    /// A `text` field (invalid UTF-8 repaired with U+FFFD), or nil for NULL.
    @inlinable
    public func string(_ field: Int) -> String? {
        withBytes(field) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A `bigint` field (or an `integer` or `smallint` one), or nil for NULL.
    @inlinable
    public func int64(_ field: Int) -> Int64? {
        withBytes(field) { bytes -> Int64? in
            guard let bytes else { return nil }
            switch bytes.count {
            case 8: return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
            case 4: return Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self)))
            case 2: return Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self)))
            default: return nil
            }
        }
    }

    /// An `integer` field (or a `smallint` or `bigint` one), or nil for NULL.
    @inlinable
    public func int(_ field: Int) -> Int? { int64(field).map { Int($0) } }

    /// A `timestamptz` field as microseconds since the Unix epoch, or nil for NULL.
    @inlinable
    public func unixMicros(_ field: Int) -> Int64? { int64(field).map { $0 &+ CopyBinaryRow.postgresEpochMicros } }
}
