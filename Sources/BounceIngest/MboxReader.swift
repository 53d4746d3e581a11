import Foundation

/// Splits an mbox file into messages while streaming it. A line starting with "From " opens a
/// new message when it starts the file or follows an empty line; `>From ` lines (any number of
/// `>`) lose one `>`, which undoes both mboxo and mboxrd quoting for the common case.
struct MboxReader {
    let origin: String
    let maximumMessageBytes: Int
    private var lines: ChunkedLineReader

    init(origin: String, handle: FileHandle, maximumMessageBytes: Int) {
        self.origin = origin
        self.maximumMessageBytes = maximumMessageBytes
        lines = ChunkedLineReader(handle: handle)
    }

    mutating func forEach(_ visit: (SourceItem) throws -> Void) rethrows {
        var current: [UInt8] = []
        var number = 0
        var oversize = false
        var previousWasBlank = true

        func emit() throws {
            guard number > 0 else { return }
            let itemOrigin = "\(origin)#\(number)"
            if oversize {
                try visit(.unreadable(origin: itemOrigin, reason: "message exceeds the \(maximumMessageBytes)-byte limit"))
            } else {
                try visit(.message(SourceMessage(origin: itemOrigin, bytes: droppingSeparatorBlankLine(current))))
            }
        }

        while let line = readLine() {
            let isSeparator = previousWasBlank && line.starts(with: Self.fromPrefix)
            previousWasBlank = line.allSatisfy { $0 == ASCII.lf || $0 == ASCII.cr }
            if isSeparator || number == 0 {
                try emit()
                number += 1
                current = []
                oversize = false
                if isSeparator { continue }
            }
            guard !oversize else { continue }
            current.append(contentsOf: Self.isQuotedFrom(line) ? line.dropFirst() : line)
            if current.count > maximumMessageBytes {
                oversize = true
                current = []
            }
        }
        try emit()
    }

    /// A read error ends the mbox like its end of file would; what was read is still delivered.
    private mutating func readLine() -> ArraySlice<UInt8>? {
        (try? lines.nextLine()) ?? nil
    }

    private static let fromPrefix = Array("From ".utf8)

    private static func isQuotedFrom(_ line: ArraySlice<UInt8>) -> Bool {
        let quotes = line.prefix { $0 == UInt8(ascii: ">") }
        return !quotes.isEmpty && line.dropFirst(quotes.count).starts(with: fromPrefix)
    }

    /// The blank line written before the next "From " belongs to the format, not the message.
    private func droppingSeparatorBlankLine(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.suffix(4).elementsEqual([13, 10, 13, 10]) { return Array(bytes.dropLast(2)) }
        if bytes.suffix(2).elementsEqual([10, 10]) { return Array(bytes.dropLast()) }
        return bytes
    }
}
