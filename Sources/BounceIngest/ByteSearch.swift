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
