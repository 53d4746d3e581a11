import Postgres

/// Staging rows gathered by pass 1's writing thread and sent to the server in runs sorted by their
/// recipient sort key (`RecipientSortKey`), so that the recipient pass's sort reads its tuples in a few
/// dozen ascending stretches instead of at random over the whole night (by hand at 1 M events: the
/// ordered read cost 1.70–1.96 CPU s from sorted runs against 2.73–2.92 from arrival order, branch
/// run-recipients6). The order within a run only helps the server's sort; nothing relies on it (the read
/// orders by key, recipient and part, and `NightPlanner` orders each recipient's events itself).
///
/// The writing thread sorts, not the reader: the reader bounds pass 1, and when it sorted (run-recipients6)
/// pass 1 lost what the recipient pass gained; the writer waits on an empty queue about half the phase.
struct SortedStagingRun {
    /// Rows per run: about 5 MB of the bench mix's rows.
    static let rowLimit = 32_768
    /// The field of `EventOutcomeEncoder.outcomeColumns` holding the sort key.
    static let keyField = 3

    /// The reader's chunks of the run, in binary COPY form (no header), kept as they were handed over.
    private var chunks: [[UInt8]] = []
    /// Each row's sort key (`Int64.min` when NULL), its chunk, and its bytes' bounds there.
    private var rows: [(key: Int64, chunk: Int32, start: Int32, end: Int32)] = []

    var isFull: Bool { rows.count >= Self.rowLimit }
    var isEmpty: Bool { rows.isEmpty }

    /// Adds a chunk of whole binary COPY rows.
    mutating func append(_ chunk: [UInt8]) throws {
        let index = Int32(chunks.count)
        try chunk.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let start = offset
                guard offset + 2 <= raw.count else { throw Self.malformed }
                let fields = Int(Int16(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
                offset += 2
                var key = Int64.min
                for field in 0..<fields {
                    guard offset + 4 <= raw.count else { throw Self.malformed }
                    let length = Int(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
                    offset += 4
                    guard length > 0 else { continue }
                    guard offset + length <= raw.count else { throw Self.malformed }
                    if field == Self.keyField, length == 8 {
                        key = Int64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                    }
                    offset += length
                }
                rows.append((key, index, Int32(start), Int32(offset)))
            }
        }
        chunks.append(chunk)
    }

    /// Hands the run's rows, sorted by key, to `send` in pieces of about `CopyTextEncoder.chunkSize`
    /// bytes (one piece alive at a time), and empties the run.
    mutating func sendSorted(_ send: ([UInt8]) throws -> Void) throws {
        guard !rows.isEmpty else { return }
        rows.sort { $0.key < $1.key }
        var piece: [UInt8] = []
        piece.reserveCapacity(CopyTextEncoder.chunkSize + 4096)
        for row in rows {
            chunks[Int(row.chunk)].withUnsafeBufferPointer {
                piece.append(contentsOf: UnsafeBufferPointer(rebasing: $0[Int(row.start)..<Int(row.end)]))
            }
            if piece.count >= CopyTextEncoder.chunkSize {
                try send(piece)
                piece.removeAll(keepingCapacity: true)
            }
        }
        if !piece.isEmpty { try send(piece) }
        chunks.removeAll()
        rows.removeAll(keepingCapacity: true)
    }

    private static var malformed: StoreError { StoreError(.schema, "pass 1 handed over a staging row cut short") }
}
