import ArgumentParser
import BounceIngest
import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres

extension WebhookService: ExpressibleByArgument {}

/// `bounceplan ingest webhook`: the notifications sending services POST or store.
struct IngestWebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Read a sending service's notifications (JSON, NDJSON or batches): bounces, deferrals, complaints, deliveries.",
        discussion: """
            ses: Amazon SES notifications, bare, in an SNS envelope, or as the body of an email (a message or an mbox). \
            sendgrid: event webhook batches. mailgun: webhook posts (event-data) and Events API pages. \
            postmark: bounce, spam complaint and delivery webhooks. sparkpost: event webhook batches (msys). \
            Each event's id is its idempotency key: ingesting the same file twice adds nothing. Opens, clicks and \
            other events are counted and skipped. Malformed JSON is reported with its file and line; the rest of \
            the file is still read, and the command then exits 1.
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("The service that wrote the notifications: \(WebhookService.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "service"))
    var format: WebhookService

    @Argument(help: "Files of notifications, or - for standard input.")
    var paths: [String]

    @Flag(help: "List every skipped event type with its count.")
    var verbose = false

    func run() throws {
        let database = try Connection(settings: connection.settings)
        let writer = EventBatchWriter(connection: database)
        var tally = WebhookTally()
        try ingestWebhooks(paths, service: format, into: writer, tally: &tally)
        print(tally.summary(stored: writer.inserted, duplicates: writer.duplicates, verbose: verbose))
        if tally.problems > 0 {
            FileHandle.standardError.write(Data("bounceplan: \(tally.problems) problem(s) above; everything else was stored\n".utf8))
            throw ExitCode(ExitStatus.failure)
        }
    }
}

/// Counts what the notifications held and reports problems on standard error.
struct WebhookTally {
    var events = 0
    var skipped: [String: Int] = [:]
    var problems = 0
    /// Past this many, problems are counted but no longer printed one by one.
    static let printedProblems = 50

    /// The event to store, if the record is one; counts and reports everything else.
    mutating func count(_ record: WebhookRecord) -> WebhookEvent? {
        switch record {
        case .item(.event(let event), _):
            events += 1
            return event
        case .item(.skipped(let type), _):
            skipped[type, default: 0] += 1
        case .item(.unusable(let reason), let location):
            report("\(location): \(reason)")
        case .malformed(let location, let message):
            report("\(location): malformed JSON: \(message)")
        }
        return nil
    }

    /// Adds what another tally counted.
    mutating func add(_ other: WebhookTally) {
        events += other.events
        problems += other.problems
        skipped.merge(other.skipped, uniquingKeysWith: +)
    }

    mutating func report(_ message: String) {
        problems += 1
        if problems <= Self.printedProblems {
            FileHandle.standardError.write(Data("bounceplan: \(message)\n".utf8))
        } else if problems == Self.printedProblems + 1 {
            FileHandle.standardError.write(Data("bounceplan: further problems are counted, not listed\n".utf8))
        }
    }

    func summary(stored: Int, duplicates: Int, verbose: Bool) -> String {
        let skippedTotal = skipped.values.reduce(0, +)
        var lines = ["read \(events) events (\(skippedTotal) of other types skipped, \(problems) problems): stored \(stored), \(duplicates) already stored"]
        if verbose {
            for (type, count) in skipped.sorted(by: { $0.key < $1.key }) { lines.append("  skipped \(type): \(count)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// A service's event as a `bounce_events` row.
func newEvent(_ webhook: WebhookEvent) -> NewBounceEvent {
    let event = webhook.event
    return NewBounceEvent(
        occurredAt: event.occurredAt.map { Timestamp(secondsSinceEpoch: Int64($0.timeIntervalSince1970)).description },
        recipient: event.recipient, sender: event.sender, sourceIP: webhook.sourceIP, messageID: event.messageID,
        campaignID: event.campaignID, smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus,
        diagnostic: event.diagnostic, remoteMTA: event.remoteMTA, kind: event.kind.rawValue, sourceKey: event.sourceKey,
        reportedVerdict: webhook.verdict)
}
