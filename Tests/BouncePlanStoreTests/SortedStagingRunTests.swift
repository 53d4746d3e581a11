@testable import BouncePlanStore
import Postgres
import Testing

/// Pass 1's writing thread re-orders staging rows by their sort key before the server stores them: every
/// row must come out once, byte for byte, in key order, whatever the chunks it arrived in.
@Suite("Staging rows are sent in runs sorted by the recipient sort key")
struct SortedStagingRunTests {
    /// One staging row shaped like `EventOutcomeEncoder.outcomeColumns` (ten fields, the key fourth).
    static func row(eventID: Int64, recipient: String?, key: Int64?, into encoder: inout CopyBinaryEncoder) {
        encoder.startRow(fields: 10)
        encoder.int64(eventID)
        encoder.timestamp(postgresMicros: eventID * 1_000)
        encoder.text(recipient)
        encoder.int64(key)
        encoder.text("gmail")
        encoder.text("192.0.2.1")
        encoder.text("<m\(eventID)@example.org>")
        encoder.int32(7)
        encoder.int32(eventID.isMultiple(of: 3) ? nil : 550)
        encoder.int64(nil)
    }

    /// Splits a binary COPY stream of whole rows into (key, row bytes).
    static func rows(of bytes: [UInt8]) -> [(key: Int64?, bytes: [UInt8])] {
        var result: [(Int64?, [UInt8])] = []
        var offset = 0
        while offset < bytes.count {
            let start = offset
            let fields = Int(Int16(bytes[offset]) << 8 | Int16(bytes[offset + 1]))
            offset += 2
            var key: Int64?
            for field in 0..<fields {
                let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int32($1) }
                offset += 4
                guard length >= 0 else { continue }
                if field == SortedStagingRun.keyField {
                    key = bytes[offset..<offset + 8].reduce(0) { $0 << 8 | Int64($1) }
                }
                offset += Int(length)
            }
            result.append((key, Array(bytes[start..<offset])))
        }
        return result
    }

    @Test("rows from several chunks come out once each, unchanged, in key order", arguments: [1, 7, 500, 3_000])
    func sortedAndComplete(rowsPerChunk: Int) throws {
        var random = SystemRandomNumberGenerator()
        var run = SortedStagingRun()
        var sent: [[UInt8]] = []
        var encoder = CopyBinaryEncoder()
        for eventID in 1...5_000 {
            // A NULL recipient (and key) now and then: it has no place in the order, only in the table.
            let key: Int64? = eventID.isMultiple(of: 97) ? nil : Int64.random(in: -5...1_000_000, using: &random)
            Self.row(eventID: Int64(eventID), recipient: key.map { "user\($0)@example.org" }, key: key, into: &encoder)
            if eventID.isMultiple(of: rowsPerChunk) { sent.append(encoder.take()) }
        }
        if !encoder.isEmpty { sent.append(encoder.take()) }

        var out: [UInt8] = []
        var pieces = 0
        for chunk in sent {
            try run.append(chunk)
            if run.isFull { try run.sendSorted { out += $0; pieces += 1 } }
        }
        try run.sendSorted { out += $0; pieces += 1 }
        #expect(run.isEmpty)

        let before = Self.rows(of: sent.flatMap { $0 })
        let after = Self.rows(of: out)
        #expect(after.count == 5_000)
        #expect(after.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) }
            == before.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
        let keys = after.map { $0.key ?? Int64.min }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 <= $1 })
        // Sent in pieces of about a COPY chunk, not as one block.
        #expect(pieces >= out.count / (CopyTextEncoder.chunkSize + 4096))
    }

    @Test("a run is full at its row limit, and a reversed run comes out ascending")
    func fullAtLimit() throws {
        var run = SortedStagingRun()
        var encoder = CopyBinaryEncoder()
        for eventID in 0..<SortedStagingRun.rowLimit {
            let key = Int64(SortedStagingRun.rowLimit - eventID)
            Self.row(eventID: Int64(eventID), recipient: "r\(key)", key: key, into: &encoder)
        }
        try run.append(encoder.take())
        #expect(run.isFull)
        var out: [UInt8] = []
        try run.sendSorted { out += $0 }
        #expect(Self.rows(of: out).map(\.key) == (1...Int64(SortedStagingRun.rowLimit)).map { $0 })
        #expect(!run.isFull && run.isEmpty)
    }

    @Test("a row cut short is an error, not a silent loss")
    func truncated() {
        var run = SortedStagingRun()
        var encoder = CopyBinaryEncoder()
        Self.row(eventID: 1, recipient: "a@b", key: 1, into: &encoder)
        let bytes = encoder.take()
        #expect(throws: StoreError.self) { try run.append(Array(bytes.dropLast(3))) }
    }
}
