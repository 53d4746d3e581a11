import ArgumentParser
import BounceIngest
import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
import Progress

/// Brings bounces that live outside the database (return-path mailboxes, feedback loops, MTA logs)
/// into `bounce_events`.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load bounce messages, complaint reports or Postfix logs into bounce_events.",
        discussion: """
            Idempotent: every event carries a stable key, so ingesting the same file twice adds nothing. \
            Events are inserted with COPY in batches, each batch in its own transaction.
            """,
        subcommands: [DSN.self, ARF.self, PostfixLog.self, IngestWebhookCommand.self])

    /// Options shared by the mail-reading subcommands.
    struct MailOptions: ParsableArguments {
        @Argument(help: "Files, Maildir folders (cur/ and new/) or mbox files.")
        var paths: [String]

        @Option(name: .customLong("campaign-header"), help: ArgumentHelp(
            "Header of the original message that names its campaign (repeatable; default X-Campaign-ID, X-Campaign).", valueName: "name"))
        var campaignHeaders: [String] = []

        @Flag(help: "List every message that was skipped or could not be read.")
        var verbose = false

        @OptionGroup var progress: ProgressOptions

        var options: IngestOptions {
            campaignHeaders.isEmpty ? IngestOptions() : IngestOptions(campaignHeaders: campaignHeaders)
        }
    }

    struct DSN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dsn",
            abstract: "Read bounce messages (RFC 3464 reports, the common MTA and provider formats, and any feedback reports among them).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var mail: MailOptions

        func run() throws {
            try ingestMail(format: .dsn, mail: mail, connection: connection)
        }
    }

    struct ARF: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arf",
            abstract: "Read RFC 5965 feedback reports; each records a complaint for the original recipient.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var mail: MailOptions

        func run() throws {
            try ingestMail(format: .arf, mail: mail, connection: connection)
        }
    }

    struct PostfixLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "postfix-log",
            abstract: "Read Postfix log lines (status=bounced, status=deferred) from a file or - for standard input.")
        @OptionGroup var connection: ConnectionOptions

        @Argument(help: "The log file, or - for standard input.")
        var file: String

        @Option(help: ArgumentHelp("Where to remember how far the file was read (default: FILE.bounceplan-state).", valueName: "file"))
        var state: String?

        @Flag(help: "Keep reading as the file grows (stop with Ctrl-C).")
        var follow = false

        @OptionGroup var progressOptions: ProgressOptions

        func run() throws {
            let database = try connection.openCurrent()
            let writer = EventBatchWriter(connection: database)
            var parser = PostfixLogParser()
            var lines = 0
            let progress = progressOptions.reporter()
            defer { progress.finish() }
            progress.begin("reading log lines", unit: "lines",
                           totalBytes: file == "-" || follow ? nil : InputSize.totalBytes(of: [file]))
            func handle(_ line: String) throws {
                lines += 1
                progress.advance(by: 1, bytes: Int64(line.utf8.count) + 1)
                if let event = parser.parse(line: line) { try writer.add(newEvent(event)) }
            }
            if file == "-" {
                while let line = readLine(strippingNewline: true) { try handle(line) }
                try writer.flush()
            } else {
                let stateFile = state ?? file + ".bounceplan-state"
                var saved = PostfixLogState.load(from: stateFile) ?? PostfixLogState(position: nil, queue: PostfixQueueMemory(entries: []))
                parser.remember(saved.queue)
                repeat {
                    let position = try ResumableLogReader.readLines(path: file, from: saved.position, handle)
                    // The position is saved only once the events before it are committed.
                    try writer.flush()
                    saved = PostfixLogState(position: position, queue: parser.queueMemory)
                    try saved.save(to: stateFile)
                    if follow { Thread.sleep(forTimeInterval: 1) }
                } while follow
            }
            progress.finish()
            print("read \(lines) log lines: \(writer.inserted) events stored, \(writer.duplicates) already stored")
        }
    }
}

/// Reads messages from every path and stores the events they report.
private func ingestMail(format: IngestFormat, mail: IngestCommand.MailOptions, connection: ConnectionOptions) throws {
    let database = try connection.openCurrent()
    let writer = EventBatchWriter(connection: database)
    var messages = 0, withEvents = 0, autoReplies = 0
    var skipped: [(String, String)] = []
    var unreadable: [(String, String)] = []
    let progress = mail.progress.reporter()
    defer { progress.finish() }
    progress.begin("reading messages", unit: "messages",
                   totalBytes: progress.mode == .none ? nil : InputSize.totalBytes(of: mail.paths))
    var unreadablePaths = 0
    try MessageSource(paths: mail.paths).forEach { item in
        switch item {
        case .unreadable(let origin, let reason):
            unreadablePaths += 1
            unreadable.append((origin, reason))
        case .message(let message):
            messages += 1
            progress.advance(by: 1, bytes: Int64(message.bytes.count))
            // A return-path mailbox also receives feedback reports: dsn mode recognises both.
            let outcome = format == .dsn
                ? parseMessage(message.bytes, options: mail.options)
                : parseMessage(message.bytes, format: format, options: mail.options)
            switch outcome {
            case .events(let events):
                withEvents += 1
                for event in events { try writer.add(newEvent(event)) }
            case .autoReply:
                autoReplies += 1
            case .notABounce(let reason):
                skipped.append((message.origin, reason))
            case .unreadable(let reason):
                unreadable.append((message.origin, reason))
            }
        }
    }
    try writer.flush()
    progress.finish()
    print("read \(messages) messages: \(withEvents) with failures, \(autoReplies) auto-replies, \(skipped.count) not bounces, \(unreadable.count) unreadable")
    print("stored \(writer.inserted) events (\(writer.duplicates) already stored)")
    if mail.verbose { for (origin, reason) in skipped { print("  not a bounce: \(origin): \(reason)") } }
    // Unreadable messages are always named: silently dropping a bounce would lose a suppression.
    for (origin, reason) in unreadable {
        Diagnostics.warning("cannot read \(origin): \(reason)")
    }
    // What could be read is stored; a path that could not be read still fails the command, so cron notices.
    if unreadablePaths > 0 { throw ExitCode.failure }
}

/// An ingested event as a `bounce_events` row.
private func newEvent(_ event: IngestedEvent) -> NewBounceEvent {
    NewBounceEvent(
        occurredAt: event.occurredAt.map { Timestamp(secondsSinceEpoch: Int64($0.timeIntervalSince1970)).description }, recipient: event.recipient,
        sender: event.sender, messageID: event.messageID, campaignID: event.campaignID, smtpCode: event.smtpCode,
        enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic, remoteMTA: event.remoteMTA,
        kind: event.kind.rawValue, sourceKey: event.sourceKey)
}
