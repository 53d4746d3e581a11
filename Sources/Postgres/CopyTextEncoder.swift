/// Builds rows in `COPY … FROM STDIN` text format: fields separated by tabs, rows by newlines, `\N`
/// for NULL, and backslash escapes for the characters that would break the format.
///
/// A value type with no connection, so a producer thread can encode while another thread sends.
public struct CopyTextEncoder: Sendable {
    /// The encoded rows so far.
    public private(set) var bytes: [UInt8] = []
    private var fieldsInRow = 0
    /// Size at which a writer should send the buffer.
    public static let chunkSize = 64 * 1024

    public init() {
        bytes.reserveCapacity(Self.chunkSize + 8192)
    }

    /// True when the buffer has reached ``chunkSize``.
    public var isFull: Bool { bytes.count >= Self.chunkSize }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        fieldsInRow = 0
    }

    /// Hands the encoded rows over and starts an empty buffer.
    public mutating func take() -> [UInt8] {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.chunkSize + 8192)
        swap(&chunk, &bytes)
        fieldsInRow = 0
        return chunk
    }

    /// Appends one text field; nil is SQL NULL.
    public mutating func field(_ value: String?) {
        separate()
        guard var value else { return appendNull() }
        value.withUTF8 { appendEscaped($0) }
    }

    /// Appends one field from raw bytes; nil is SQL NULL.
    public mutating func field(bytes raw: UnsafeRawBufferPointer?) {
        separate()
        guard let raw else { return appendNull() }
        appendEscaped(raw.bindMemory(to: UInt8.self))
    }

    /// Appends one integer field without going through a String; nil is SQL NULL.
    public mutating func field(_ value: Int?) {
        separate()
        guard let value else { return appendNull() }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        }
    }

    /// Appends a field whose bytes are known to need no escaping (numbers, fixed words).
    public mutating func field(plain value: StaticString) {
        separate()
        value.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    private mutating func appendNull() {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "N"))
    }

    /// Copies runs of ordinary bytes in one go: most fields hold no byte that needs escaping.
    private mutating func appendEscaped(_ input: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<input.count {
            let byte = input[index]
            // Everything above the escapes (all of '\\' 0x5C excluded) goes through unchanged.
            guard byte <= UInt8(ascii: "\\") else { continue }
            let replacement: UInt8
            switch byte {
            case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): replacement = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): replacement = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): replacement = UInt8(ascii: "r")
            case 0: replacement = 0  // PostgreSQL text cannot hold NUL; dropping it is the only safe choice.
            default: continue
            }
            if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<index])) }
            if replacement != 0 {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(replacement)
            }
            runStart = index + 1
        }
        if input.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart...])) }
    }
}
