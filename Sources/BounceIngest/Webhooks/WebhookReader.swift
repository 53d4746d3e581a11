import Foundation

/// Where a notification was found: `file:line`, or `file#n` for the n-th email of an mbox.
public struct WebhookLocation: Sendable, Hashable, CustomStringConvertible {
    public var origin: String
    public var line: Int?

    public var description: String { line.map { "\(origin):\($0)" } ?? origin }
}

/// What reading a file of notifications produced, in order.
public enum WebhookRecord: Sendable, Hashable {
    /// One item of a notification.
    case item(WebhookItem, location: WebhookLocation)
    /// Input that is not JSON (or not readable); what was valid before and after it is still read.
    case malformed(location: WebhookLocation, message: String)
}

/// Reads a service's notifications from a file, standard input or bytes: one JSON document, NDJSON,
/// or arrays of events, in constant memory. Amazon SES notifications that arrived by email (an SNS
/// email subscription) are read from the message body, for a single message or an mbox.
public struct WebhookReader: Sendable {
    public var service: WebhookService
    /// A single notification larger than this is reported and skipped.
    public var maximumValueBytes: Int
    /// JSON nested deeper than this is reported and skipped.
    public var maximumDepth: Int

    public init(service: WebhookService, maximumValueBytes: Int = 8 << 20, maximumDepth: Int = 64) {
        self.service = service
        self.maximumValueBytes = maximumValueBytes
        self.maximumDepth = maximumDepth
    }

    /// Reads `path`, or standard input for `-`. Throws when the file cannot be opened or read.
    public func read(path: String, _ visit: (WebhookRecord) throws -> Void) throws {
        let origin = path == "-" ? "<stdin>" : path
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WebhookReadError(path: path, reason: "no such file")
            }
            guard !isDirectory.boolValue, let opened = FileHandle(forReadingAtPath: path) else {
                throw WebhookReadError(path: path, reason: isDirectory.boolValue ? "is a folder; name the files" : "cannot open file")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        let first: [UInt8]
        do { first = try handle.read(upToCount: JSONStreamReader.chunkSize).map { [UInt8]($0) } ?? [] } catch {
            throw WebhookReadError(path: path, reason: "read error: \(error)")
        }
        if service == .ses, Self.looksLikeMail(first) {
            return try readMail(first: first, handle: handle, path: path, origin: origin, visit)
        }
        var pending: [UInt8]? = first
        var reader = JSONStreamReader(maximumValueBytes: maximumValueBytes, maximumDepth: maximumDepth) { count in
            if let chunk = pending { pending = nil; return chunk }
            return try handle.read(upToCount: count).map { [UInt8]($0) } ?? []
        }
        do {
            try read(&reader, origin: origin, visit)
        } catch let error as WebhookVisitError {
            throw error.underlying
        } catch {
            throw WebhookReadError(path: path, reason: "read error: \(error)")
        }
    }

    /// Reads notifications held in memory (tests, email bodies).
    public func read(bytes: [UInt8], origin: String, _ visit: (WebhookRecord) throws -> Void) throws {
        var reader = JSONStreamReader(bytes: bytes, maximumValueBytes: maximumValueBytes, maximumDepth: maximumDepth)
        do {
            try read(&reader, origin: origin, visit)
        } catch let error as WebhookVisitError {
            throw error.underlying
        }
    }

    private func read(_ reader: inout JSONStreamReader, origin: String, _ visit: (WebhookRecord) throws -> Void) throws {
        while let next = try reader.next() {
            switch next {
            case .value(let document, let line):
                for item in items(document.root) {
                    do { try visit(.item(item, location: WebhookLocation(origin: origin, line: line))) } catch { throw WebhookVisitError(underlying: error) }
                }
            case .malformed(let line, let message):
                do { try visit(.malformed(location: WebhookLocation(origin: origin, line: line), message: message)) } catch { throw WebhookVisitError(underlying: error) }
            }
        }
    }

    /// The items of one parsed value; an array (a batch inside a batch) is read element by element.
    func items(_ root: JSONValue) -> [WebhookItem] {
        if root.isArray { return root.elements.flatMap(items) }
        guard root.isObject else { return [.unusable(reason: "a JSON value that is not an object")] }
        switch service {
        case .ses: return SESNotification.items(root)
        case .sendgrid: return SendGridEvent.items(root)
        case .mailgun: return MailgunEvent.items(root)
        case .postmark: return PostmarkEvent.items(root)
        case .sparkpost: return SparkPostEvent.items(root)
        }
    }

    // MARK: SES notifications received by email

    /// Mail starts with a header line (`Name: value`) or an mbox `From ` line; JSON with `{` or `[`.
    static func looksLikeMail(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { $0 != ASCII.space && $0 != ASCII.tab && $0 != ASCII.cr && $0 != ASCII.lf }) else { return false }
        guard first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return false }
        let lineEnd = bytes.firstIndex(of: ASCII.lf) ?? bytes.endIndex
        let line = bytes[..<lineEnd]
        if line.starts(with: Array("From ".utf8)) { return true }
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex else { return false }
        return line[..<colon].allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private func readMail(first: [UInt8], handle: FileHandle, path: String, origin: String, _ visit: (WebhookRecord) throws -> Void) throws {
        func message(_ bytes: [UInt8], _ origin: String) throws {
            let location = WebhookLocation(origin: origin, line: nil)
            let root = MIMEParser.parseMessage(bytes[...])
            var bodies: [ArraySlice<UInt8>] = []
            root.walk { part in
                if part.children.isEmpty, part.mediaType.type == "text" || part.mediaType.type.isEmpty { bodies.append(part.decodedBody) }
            }
            for body in bodies {
                guard let brace = body.firstIndex(of: UInt8(ascii: "{")) else { continue }
                // The JSON is followed by SNS's unsubscribe footer: only the first value is read.
                var reader = JSONStreamReader(bytes: Array(body[brace...]), maximumValueBytes: maximumValueBytes, maximumDepth: maximumDepth)
                switch try reader.next() {
                case .value(let document, _)?:
                    for item in items(document.root) { try visit(.item(item, location: location)) }
                case .malformed(_, let problem)?:
                    try visit(.malformed(location: location, message: "the email's body is not a valid SES notification: \(problem)"))
                case nil: continue
                }
                return
            }
            try visit(.malformed(location: location, message: "an email without an SES notification (JSON) in its body"))
        }
        if path == "-" {
            var bytes = first
            while bytes.count <= 64 << 20, let more = try handle.read(upToCount: JSONStreamReader.chunkSize), !more.isEmpty {
                bytes.append(contentsOf: more)
            }
            guard bytes.count <= 64 << 20 else {
                return try visit(.malformed(location: WebhookLocation(origin: origin, line: nil), message: "an email larger than 64 MiB on standard input"))
            }
            return try message(bytes, origin)
        }
        try MessageSource(paths: [path]).forEach { item in
            switch item {
            case .message(let mail): try message(mail.bytes, mail.origin)
            case .unreadable(let location, let reason): try visit(.malformed(location: WebhookLocation(origin: location, line: nil), message: reason))
            }
        }
    }
}

/// A file that cannot be opened or read.
public struct WebhookReadError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot read \(path): \(reason)" }
}

/// Carries an error thrown by the caller's visitor past the reader's own error mapping.
private struct WebhookVisitError: Error {
    var underlying: any Error
}
