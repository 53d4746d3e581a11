import Foundation

/// The Message-ID and sender a `PostfixLogParser` learnt per queue id.
public struct PostfixQueueMemory: Codable, Sendable, Hashable {
    /// One remembered queue id.
    public struct Entry: Codable, Sendable, Hashable {
        public var queueID: String
        public var messageID: String?
        public var sender: String?

        public init(queueID: String, messageID: String?, sender: String?) {
            self.queueID = queueID
            self.messageID = messageID
            self.sender = sender
        }
    }

    /// Oldest first.
    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }
}

/// What `ingestPostfixLog` keeps between runs: the read position and the parser's queue memory,
/// because a deferred message is retried (and finally bounced) long after its `cleanup` line.
public struct PostfixLogState: Codable, Sendable, Hashable {
    public var position: LogPosition?
    public var queue: PostfixQueueMemory

    public init(position: LogPosition?, queue: PostfixQueueMemory) {
        self.position = position
        self.queue = queue
    }

    /// The saved state, or nil when the file is missing or unreadable (start over).
    public static func load(from stateFile: String) -> PostfixLogState? {
        guard let data = FileManager.default.contents(atPath: stateFile) else { return nil }
        return try? JSONDecoder().decode(PostfixLogState.self, from: data)
    }

    /// Writes the state atomically (temporary file, then rename).
    public func save(to stateFile: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: stateFile), options: .atomic)
    }
}
