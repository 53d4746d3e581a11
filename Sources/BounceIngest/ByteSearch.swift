import Foundation

/// Substring tests on UTF-8 bytes. With Foundation imported, `String.contains(String)` goes through
/// NSString and took about half of the parse time; comparing bytes gives the same answer for the
/// lower-case phrases used here.
extension StringProtocol {
    func containsBytes(of needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { pattern in
            utf8.withContiguousStorageIfAvailable { Self.search(pattern, in: $0) }
                ?? Array(utf8).withUnsafeBufferPointer { Self.search(pattern, in: $0) }
        }
    }

    private static func search(_ pattern: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = pattern.first else { return true }
        guard text.count >= pattern.count else { return false }
        var index = 0
        let last = text.count - pattern.count
        outer: while index <= last {
            if text[index] == first {
                for offset in 1..<pattern.count where text[index + offset] != pattern[offset] {
                    index += 1
                    continue outer
                }
                return true
            }
            index += 1
        }
        return false
    }
}

extension StringProtocol {
    /// Where `needle` occurs (the first or, `backwards`, the last time), compared as bytes; a
    /// byte-level stand-in for Foundation's `range(of:)`, which goes through NSString on Linux.
    func byteRange(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        let pattern = Array(needle.utf8)
        let text = Array(utf8)
        guard !pattern.isEmpty, text.count >= pattern.count else { return nil }
        let starts = backwards ? Array(stride(from: text.count - pattern.count, through: 0, by: -1)) : Array(0...(text.count - pattern.count))
        for start in starts where text[start] == pattern[0] {
            var matches = true
            for offset in 1..<pattern.count where text[start + offset] != pattern[offset] {
                matches = false
                break
            }
            if matches {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                let upper = utf8.index(lower, offsetBy: pattern.count)
                return lower..<upper
            }
        }
        return nil
    }
}
