import Glibc

/// Splits one row of `COPY … TO STDOUT` text format into fields, undoing its escapes.
///
/// Reuses its storage between rows, so a stream of millions of rows allocates only for the fields a
/// caller turns into `String`s.
public struct CopyTextRow {
    /// The current row's field bytes, unescaped; `bounds` says where each field is (the fast path of
    /// ``parse(_:)`` keeps the tabs and `\N` markers between them).
    private var bytes: [UInt8] = []
    /// Start and end of each field in ``bytes``; a negative start marks SQL NULL.
    private var bounds: [(start: Int, end: Int)] = []

    public init() {
        bytes.reserveCapacity(1024)
        bounds.reserveCapacity(16)
    }

    public var fieldCount: Int { bounds.count }

    /// Parses one row as libpq delivers it (the trailing newline is optional). A row whose only
    /// backslashes are NULL fields (`\N`), most rows, is copied whole and split at its tabs by `memchr`;
    /// any other escape takes the byte-by-byte path, where runs of plain bytes are copied in one go and
    /// only tabs and backslashes stop the scan. (Callgrind, pass 1's reader at 100 k events of the bench
    /// mix: the byte-by-byte path cost about 4,100 instructions a row.)
    public mutating func parse(_ row: UnsafeRawBufferPointer) {
        bytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        let input = row.bindMemory(to: UInt8.self)
        var end = input.count
        if end > 0 && input[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if splitPlain(input, end: end) { return }
        bytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        var index = 0
        var fieldStart = 0
        var isNull = false
        var runStart = 0
        func flushRun(upTo stop: Int) {
            if stop > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<stop])) }
        }
        while index < end {
            let byte = input[index]
            if byte == UInt8(ascii: "\t") {
                flushRun(upTo: index)
                bounds.append(isNull ? (-1, -1) : (fieldStart, bytes.count))
                fieldStart = bytes.count
                isNull = false
                index += 1
                runStart = index
            } else if byte == UInt8(ascii: "\\"), index + 1 < end {
                flushRun(upTo: index)
                switch input[index + 1] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): bytes.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): bytes.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "b"): bytes.append(8)
                case UInt8(ascii: "f"): bytes.append(12)
                case UInt8(ascii: "v"): bytes.append(11)
                case let other: bytes.append(other)
                }
                index += 2
                runStart = index
            } else {
                index += 1
            }
        }
        flushRun(upTo: end)
        bounds.append(isNull ? (-1, -1) : (fieldStart, bytes.count))
    }

    /// The fast path of ``parse(_:)``: false, with `bytes` and `bounds` to be reset, when the row holds
    /// a backslash other than a whole `\N` field.
    private mutating func splitPlain(_ input: UnsafeBufferPointer<UInt8>, end: Int) -> Bool {
        guard let base = input.baseAddress, end > 0 else { return false }
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: end))
        var fieldStart = 0
        while true {
            let found = memchr(base + fieldStart, Int32(UInt8(ascii: "\t")), end - fieldStart)
            let fieldEnd = found.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
            if fieldEnd > fieldStart, memchr(base + fieldStart, Int32(UInt8(ascii: "\\")), fieldEnd - fieldStart) != nil {
                guard fieldEnd - fieldStart == 2, base[fieldStart + 1] == UInt8(ascii: "N") else { return false }
                bounds.append((-1, -1))
            } else {
                bounds.append((fieldStart, fieldEnd))
            }
            guard fieldEnd < end else { return true }
            fieldStart = fieldEnd + 1
        }
    }

    public func isNull(_ field: Int) -> Bool { field >= bounds.count || bounds[field].start < 0 }

    /// The field as text (invalid UTF-8 repaired with U+FFFD), or nil for NULL or a missing field.
    public func string(_ field: Int) -> String? {
        guard !isNull(field) else { return nil }
        let (start, end) = bounds[field]
        return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<end], as: UTF8.self) }
    }

    /// The field as an integer, or nil for NULL or non-numeric text.
    public func int(_ field: Int) -> Int? {
        guard !isNull(field) else { return nil }
        let (start, end) = bounds[field]
        guard start < end else { return nil }
        var value = 0
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        guard index < end else { return nil }
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// Calls `body` with the raw bytes of a field (nil for NULL).
    public func withBytes<Result>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> Result) rethrows -> Result {
        guard !isNull(field) else { return try body(nil) }
        let (start, end) = bounds[field]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }
}
