@preconcurrency import Glibc
import BounceClassification

/// The `classify --tsv` stream: `code<TAB>status<TAB>text` lines in, `category<TAB>reason<TAB>rule_id`
/// lines out, exactly one per input line and in order. Reads and writes 64 KiB chunks and never holds
/// more than one chunk plus one partial line, so memory stays constant for any input size.
/// Bytes are classified as they are: invalid UTF-8 is fine, a trailing CR is dropped. The text field
/// is read as PostgreSQL's COPY text format writes it (and as the corpus files do): `\n` is a line
/// break of a multi-line reply, `\r` and `\t` likewise, `\\` one backslash, so `550-5.1.1` continuation
/// prefixes are recognised after an escaped line break as after a real one.
struct TSVClassifier {
    let classifier: Classifier
    /// 64 KiB: the chunk just read and the answers being written stay in the second-level cache beside
    /// the phrase automaton's tables (1 MiB chunks pushed them out on every read and flush).
    private static let chunkSize = 1 << 16
    /// Lines classified together (see `Classifier.classify(_:_:)`). Longer batches keep the automaton's
    /// rows in cache for longer runs of scanning; 16 measured more first-level misses in the scan than
    /// 64 (cachegrind, 10.2 M against 9.0 M on the 1 M mix).
    private static let batchSize = 128
    /// Lines answered together at most, remembered ones included (`LineAnswerCache`).
    private static let linesPerBatch = 512

    /// An output write failed (for example a closed pipe).
    struct WriteError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "cannot write output: \(String(cString: strerror(code)))" }
    }

    func run(input: Int32, output: Int32) throws {
        var out = OutputBuffer(descriptor: output, capacity: TSVClassifier.chunkSize)
        let answers = AnswerLines()
        let scratch = Classifier.BatchScratch(classifier: classifier, capacity: TSVClassifier.batchSize)
        let cache = LineAnswerCache()
        var carry: [UInt8] = []
        let batch = Batch()
        var chunk = [UInt8](repeating: 0, count: TSVClassifier.chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, TSVClassifier.chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            try chunk.withUnsafeMutableBufferPointer { whole in
                let base = whole.baseAddress!
                var lineStart = 0
                // memchr finds line ends many bytes at a time; a byte loop costs as much as a phrase scan.
                while lineStart < count, let found = memchr(base + lineStart, 0x0A, count - lineStart) {
                    let index = found.assumingMemoryBound(to: UInt8.self) - base
                    if carry.isEmpty {
                        let line = UnsafeMutableBufferPointer(start: base + lineStart, count: index - lineStart)
                        // Looked up before `parse` resolves the escapes in place: the key is the line as read.
                        let lookup = cache.find(UnsafeBufferPointer(line))
                        batch.lines[batch.lineCount] = lookup
                        batch.lineCount += 1
                        if !lookup.hit {
                            (batch.responses + batch.responseCount).initialize(to: TSVClassifier.parse(line))
                            batch.responseCount += 1
                        }
                        if batch.isFull { try classifyBatch(batch, scratch: scratch, cache: cache, answers: answers, into: &out) }
                    } else {
                        // The line that began in the previous chunk is always this chunk's first.
                        carry.append(contentsOf: UnsafeBufferPointer(start: base + lineStart, count: index - lineStart))
                        try carry.withUnsafeMutableBufferPointer { try classifyLine($0, answers: answers, into: &out) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    lineStart = index + 1
                }
                // The batch points into this chunk: answer it before the next read overwrites it.
                try classifyBatch(batch, scratch: scratch, cache: cache, answers: answers, into: &out)
                if lineStart < count { carry.append(contentsOf: UnsafeBufferPointer(start: base + lineStart, count: count - lineStart)) }
            }
        }
        if !carry.isEmpty {
            try carry.withUnsafeMutableBufferPointer { try classifyLine($0, answers: answers, into: &out) }
        }
        try out.flush()
    }

    /// The lines read since the last answers: what the cache said of each, and the responses of those
    /// it did not answer, in order. Raw memory: two appends a line cost more as arrays (uniqueness and
    /// capacity checks) than the rest of a remembered line's answer.
    private final class Batch {
        let lines = UnsafeMutablePointer<LineAnswerCache.Lookup>.allocate(capacity: TSVClassifier.linesPerBatch)
        let responses = UnsafeMutablePointer<Classifier.RawResponse>.allocate(capacity: TSVClassifier.batchSize)
        var lineCount = 0
        var responseCount = 0

        /// Whether either part is full: the batch must be answered before another line is added.
        var isFull: Bool { lineCount == TSVClassifier.linesPerBatch || responseCount == TSVClassifier.batchSize }

        deinit {
            lines.deallocate()
            responses.deallocate()
        }
    }

    /// Answers the batch's lines in order: the remembered answers copied, the others classified together
    /// and remembered in the entries claimed for them.
    private func classifyBatch(_ batch: Batch, scratch: Classifier.BatchScratch, cache: LineAnswerCache,
                               answers: AnswerLines, into out: inout OutputBuffer) throws {
        guard batch.lineCount > 0 else { return }
        defer {
            batch.lineCount = 0
            batch.responseCount = 0
            cache.endBatch()
        }
        let lines = batch.lines
        var next = 0
        if batch.responseCount > 0 {
            try classifier.classify(UnsafeBufferPointer(start: batch.responses, count: batch.responseCount), using: scratch) { verdict in
                while lines[next].hit {
                    try out.append(bytes: cache.answer(lines[next].entry))
                    next += 1
                }
                let entry = lines[next].entry
                next += 1
                if let line = try answers.write(verdict, into: &out), entry >= 0 { cache.fill(entry, with: line) }
            }
        }
        while next < batch.lineCount {
            try out.append(bytes: cache.answer(lines[next].entry))
            next += 1
        }
    }

    private func classifyLine(_ rawLine: UnsafeMutableBufferPointer<UInt8>, answers: AnswerLines,
                              into out: inout OutputBuffer) throws {
        let response = TSVClassifier.parse(rawLine)
        try write(classifier.classify(smtpCode: response.smtpCode, enhancedStatus: response.enhancedStatus,
                                      diagnostic: response.diagnostic), answers: answers, into: &out)
    }

    /// The fields of one input line (without its line feed): code, status and text, or the text alone.
    /// The text's escapes are resolved in place, so the line's bytes are changed.
    static func parse(_ rawLine: UnsafeMutableBufferPointer<UInt8>) -> Classifier.RawResponse {
        var end = rawLine.count
        if end > 0, rawLine[end - 1] == 0x0D { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: rawLine[0..<end])
        let text = { (start: Int) -> UnsafeBufferPointer<UInt8> in
            UnsafeBufferPointer(rebasing: rawLine[start..<(start + unescape(UnsafeMutableBufferPointer(rebasing: rawLine[start..<end]))) ])
        }
        var firstTab = -1, secondTab = -1
        for index in 0..<line.count where line[index] == 0x09 {
            if firstTab < 0 { firstTab = index } else { secondTab = index; break }
        }
        if firstTab < 0 {
            // A single field: the diagnostic alone.
            return Classifier.RawResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text(0))
        }
        let statusEnd = secondTab < 0 ? line.count : secondTab
        return Classifier.RawResponse(
            smtpCode: parseCode(UnsafeBufferPointer(rebasing: line[0..<firstTab])),
            enhancedStatus: EnhancedStatus(bytes: UnsafeBufferPointer(rebasing: line[(firstTab + 1)..<statusEnd])),
            diagnostic: secondTab < 0 ? UnsafeBufferPointer(rebasing: line[line.count...]) : text(secondTab + 1))
    }

    /// Resolves `\n`, `\r`, `\t` and `\\` in place and returns the new length; any other backslash
    /// stays as it is. Lines without a backslash (most) cost one memchr.
    static func unescape(_ field: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let base = field.baseAddress, let first = memchr(base, 0x5C, field.count) else { return field.count }
        var read = first.assumingMemoryBound(to: UInt8.self) - base
        var write = read
        while read < field.count {
            let byte = field[read]
            if byte == 0x5C, read + 1 < field.count {
                let replacement: UInt8? = switch field[read + 1] {
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "t"): 0x09
                case 0x5C: 0x5C
                default: nil
                }
                if let replacement {
                    field[write] = replacement
                    write += 1
                    read += 2
                    continue
                }
            }
            field[write] = byte
            write += 1
            read += 1
        }
        return write
    }

    private func write(_ result: Classification, answers: AnswerLines, into out: inout OutputBuffer) throws {
        try answers.write(result, into: &out)
    }

    /// Three ASCII digits (spaces around allowed), else no code.
    static func parseCode(_ field: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0, digits = 0
        for byte in field {
            if byte == 0x20 { continue }
            guard byte >= 0x30, byte <= 0x39, digits < 3 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            digits += 1
        }
        return digits == 3 ? value : nil
    }
}

/// A byte buffer that writes itself to a file descriptor when full.
struct OutputBuffer: ~Copyable {
    let descriptor: Int32
    private let storage: UnsafeMutablePointer<UInt8>
    private var count = 0
    private let capacity: Int
    /// Room for one whole answer line beyond `capacity`, so appends need no bounds check per piece.
    private static let slack = 4096

    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        self.capacity = capacity
        storage = .allocate(capacity: capacity + OutputBuffer.slack)
    }

    deinit { storage.deallocate() }

    /// Appends `bytes` (answers are short; a longer run is written through at once).
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > OutputBuffer.slack / 2 {
            try flush()
            try write(UnsafeRawBufferPointer(bytes))
            return
        }
        storage.advanced(by: count).update(from: source, count: bytes.count)
        count += bytes.count
        if count >= capacity { try flush() }
    }

    mutating func append(byte: UInt8) throws {
        storage[count] = byte
        count += 1
        if count >= capacity { try flush() }
    }

    mutating func flush() throws {
        try write(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw TSVClassifier.WriteError(code: errno)
            }
            offset += written
        }
    }
}
