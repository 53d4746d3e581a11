@preconcurrency import Glibc
import BounceClassification

/// The `classify --tsv` stream: `code<TAB>status<TAB>text` lines in, `category<TAB>reason<TAB>rule_id`
/// lines out, exactly one per input line and in order. Reads and writes 1 MiB chunks and never holds
/// more than one chunk plus one partial line, so memory stays constant for any input size.
/// Bytes are classified as they are: invalid UTF-8 is fine, a trailing CR is dropped.
struct TSVClassifier {
    let classifier: Classifier
    private static let chunkSize = 1 << 20

    /// An output write failed (for example a closed pipe).
    struct WriteError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "cannot write output: \(String(cString: strerror(code)))" }
    }

    func run(input: Int32, output: Int32) throws {
        var out = OutputBuffer(descriptor: output, capacity: TSVClassifier.chunkSize)
        var carry: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: TSVClassifier.chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, TSVClassifier.chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            try chunk.withUnsafeBufferPointer { whole in
                let bytes = UnsafeBufferPointer(rebasing: whole[0..<count])
                var lineStart = 0
                for index in 0..<count where bytes[index] == 0x0A {
                    if carry.isEmpty {
                        try classifyLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<index]), into: &out)
                    } else {
                        carry.append(contentsOf: bytes[lineStart..<index])
                        try carry.withUnsafeBufferPointer { try classifyLine($0, into: &out) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    lineStart = index + 1
                }
                carry.append(contentsOf: bytes[lineStart..<count])
            }
        }
        if !carry.isEmpty {
            try carry.withUnsafeBufferPointer { try classifyLine($0, into: &out) }
        }
        try out.flush()
    }

    private func classifyLine(_ rawLine: UnsafeBufferPointer<UInt8>, into out: inout OutputBuffer) throws {
        var end = rawLine.count
        if end > 0, rawLine[end - 1] == 0x0D { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: rawLine[0..<end])
        var firstTab = -1, secondTab = -1
        for index in 0..<line.count where line[index] == 0x09 {
            if firstTab < 0 { firstTab = index } else { secondTab = index; break }
        }
        let code: Int?
        let status: EnhancedStatus?
        let text: UnsafeBufferPointer<UInt8>
        if firstTab < 0 {
            // A single field: the diagnostic alone.
            code = nil
            status = nil
            text = line
        } else {
            code = TSVClassifier.parseCode(UnsafeBufferPointer(rebasing: line[0..<firstTab]))
            let statusEnd = secondTab < 0 ? line.count : secondTab
            status = EnhancedStatus(bytes: UnsafeBufferPointer(rebasing: line[(firstTab + 1)..<statusEnd]))
            text = secondTab < 0 ? UnsafeBufferPointer(rebasing: line[line.count...]) : UnsafeBufferPointer(rebasing: line[(secondTab + 1)...])
        }
        let result = classifier.classify(smtpCode: code, enhancedStatus: status, diagnostic: text)
        try out.append(result.category.rawValue)
        try out.append(byte: 0x09)
        try out.append(result.reason)
        try out.append(byte: 0x09)
        try out.append(result.ruleID)
        try out.append(byte: 0x0A)
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
struct OutputBuffer {
    let descriptor: Int32
    private var bytes: [UInt8]
    private let capacity: Int

    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        self.capacity = capacity
        bytes = []
        bytes.reserveCapacity(capacity + 4096)
    }

    mutating func append(_ text: String) throws {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= capacity { try flush() }
    }

    mutating func append(byte: UInt8) throws {
        bytes.append(byte)
        if bytes.count >= capacity { try flush() }
    }

    mutating func flush() throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw TSVClassifier.WriteError(code: errno)
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
