import Postgres
import Testing

/// The encoder writes into a buffer it keeps between ``CopyBinaryEncoder/take()``s and grows when a
/// row does not fit: the bytes must be those of the binary COPY format whatever the buffer did.
@Suite("Binary COPY encoder")
struct CopyBinaryEncoderTests {
    /// The field bytes of each kind, written by hand (big-endian lengths and values).
    @Test func fieldsAreBigEndianWithTheirLengths() {
        var encoder = CopyBinaryEncoder()
        encoder.startRow(fields: 7)
        encoder.int32(0x0102_0304)
        encoder.int64(-2)
        encoder.text("hé")
        encoder.text(nil)
        encoder.bool(true)
        encoder.bytea([9, 8])
        encoder.text(bytes: UnsafeRawBufferPointer(start: nil, count: 0))
        let expected: [UInt8] = [0, 7]
            + [0, 0, 0, 4, 1, 2, 3, 4]
            + [0, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]
            + [0, 0, 0, 3, 0x68, 0xC3, 0xA9]
            + [0xFF, 0xFF, 0xFF, 0xFF]
            + [0, 0, 0, 1, 1]
            + [0, 0, 0, 2, 9, 8]
            + [0, 0, 0, 0]
        #expect(encoder.count == expected.count)
        #expect(encoder.bytes == expected)
        #expect(encoder.take() == expected)
        #expect(encoder.isEmpty)
    }

    /// Rows past the first buffer's size, then a take, then more rows: each take holds exactly its rows.
    @Test func growsAndStartsAgainAfterATake() {
        var encoder = CopyBinaryEncoder()
        var expected: [UInt8] = []
        let long = String(repeating: "x", count: 300_000)
        for index in 0..<2_000 {
            encoder.int32(index)
            expected += [0, 0, 0, 4] + withUnsafeBytes(of: Int32(index).bigEndian) { Array($0) }
            if index % 500 == 0 {
                encoder.text(long)
                expected += withUnsafeBytes(of: Int32(long.utf8.count).bigEndian) { Array($0) } + Array(long.utf8)
            }
        }
        #expect(encoder.isFull)
        #expect(encoder.take() == expected)
        encoder.int64(7)
        #expect(encoder.take() == [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7])
        #expect(encoder.take() == [])
    }
}
