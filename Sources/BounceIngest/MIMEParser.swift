import Foundation

/// Parses a message into a `MIMEPart` tree, tolerating missing or garbled multipart boundaries.
enum MIMEParser {
    /// Nesting deeper than this is left unparsed; real bounces nest three or four levels.
    static let maximumDepth = 12

    static func parseMessage(_ bytes: ArraySlice<UInt8>, depth: Int = 0) -> MIMEPart {
        let (headers, bodyStart) = HeaderParser.parse(bytes, skipsMboxSeparator: depth == 0)
        let body = bytes[min(bodyStart, bytes.endIndex)...]
        return makePart(headers: headers, body: body, depth: depth)
    }

    private static func makePart(headers: HeaderFields, body: ArraySlice<UInt8>, depth: Int) -> MIMEPart {
        var part = MIMEPart(headers: headers, mediaType: MediaType.parse(headers["Content-Type"]), body: body)
        guard depth < maximumDepth else { return part }
        if part.mediaType.type == "multipart" {
            let boundary = part.mediaType.parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 }
            if let pieces = split(body, boundary: boundary) ?? guessBoundary(in: body).flatMap({ split(body, boundary: $0) }) {
                part.children = pieces.map { parseMessage($0, depth: depth + 1) }
            } else {
                // No boundary at all: keep the body readable as one text part.
                part.children = [MIMEPart(headers: HeaderFields(), mediaType: .plainText, body: body)]
            }
        } else if part.isEmbeddedMessage {
            part.embedded = [parseMessage(part.decodedBody, depth: depth + 1)]
        }
        return part
    }

    /// Splits a multipart body on `--boundary` lines. Nil when no delimiter line is present;
    /// a missing closing delimiter is tolerated (the last part runs to the end).
    static func split(_ body: ArraySlice<UInt8>, boundary: String?) -> [ArraySlice<UInt8>]? {
        guard let boundary else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var sawDelimiter = false
        var index = body.startIndex
        while let line = body.line(at: index) {
            defer { index = line.next }
            let content = body[line.start..<line.contentEnd]
            guard content.starts(with: delimiter) else { continue }
            var rest = content.dropFirst(delimiter.count)
            let isClosing = rest.starts(with: [ASCII.hyphen, ASCII.hyphen])
            if isClosing { rest = rest.dropFirst(2) }
            guard rest.allSatisfy(ASCII.isBlank) else { continue }
            sawDelimiter = true
            if let start = partStart { parts.append(body[start..<contentEnd(before: line.start, from: start, in: body)]) }
            if isClosing { return parts }
            partStart = line.next
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return sawDelimiter ? parts : nil
    }

    /// The part's content ends before the line break that precedes the delimiter line.
    private static func contentEnd(before delimiterStart: Int, from start: Int, in body: ArraySlice<UInt8>) -> Int {
        var end = delimiterStart
        if end > start, body[end - 1] == ASCII.lf { end -= 1 }
        if end > start, body[end - 1] == ASCII.cr { end -= 1 }
        return max(end, start)
    }

    /// For a multipart body whose boundary parameter is missing or wrong: the first `--token` line.
    static func guessBoundary(in body: ArraySlice<UInt8>) -> String? {
        var index = body.startIndex
        var linesSeen = 0
        while let line = body.line(at: index), linesSeen < 2_000 {
            defer { index = line.next; linesSeen += 1 }
            let content = body[line.start..<line.contentEnd]
            guard content.count > 3, content.starts(with: [ASCII.hyphen, ASCII.hyphen]) else { continue }
            var token = content.dropFirst(2)
            guard !token.contains(ASCII.space), !token.allSatisfy({ $0 == ASCII.hyphen }) else { continue }
            if token.count > 2, token.suffix(2).elementsEqual([ASCII.hyphen, ASCII.hyphen]) { token = token.dropLast(2) }
            return TextDecoding.string(token)
        }
        return nil
    }
}
