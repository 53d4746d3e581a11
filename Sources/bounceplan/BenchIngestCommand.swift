import ArgumentParser
import BounceIngest
import BouncePlanStore
import BouncePlanning
import Foundation
import Postgres
@preconcurrency import Glibc

/// Measures ingest throughput and memory (used by `make bench-ingest`): sending services' notifications
/// as NDJSON, and bounce messages in an mbox, each through the path its `ingest` command takes.
struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "Measure `ingest webhook` and `ingest dsn` on generated files (creates and drops its own database).",
        shouldDisplay: false)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("webhook-mb"), help: "Megabytes of NDJSON notifications, split evenly over the five services.")
    var webhookMegabytes = 1024

    @Option(name: .customLong("mbox-mb"), help: "Megabytes of bounce messages in one mbox.")
    var mboxMegabytes = 1024

    @Option(help: "Folder for the generated files (default: the system's temporary folder).")
    var folder: String?

    @Flag(name: .customLong("keep-files"), help: "Keep the generated files afterwards.")
    var keepFiles = false

    func validate() throws {
        if webhookMegabytes < 0 || mboxMegabytes < 0 { throw ValidationError("sizes must not be negative") }
    }

    func run() throws {
        let migrations = try Migration.load(directory: try connection.resolvedMigrationsDirectory())
        let admin = try Connection(settings: connection.settings)
        let name = "bounceplan_bench_ingest"
        try admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        try admin.query("CREATE DATABASE \"\(name)\"")
        defer { _ = try? admin.query("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)") }
        let database = try Connection(settings: connection.settings.replacingDatabase(name))
        try Migrator(migrations: migrations).migrate(database)

        let directory = (folder ?? NSTemporaryDirectory()) + "/bounceplan-bench-ingest-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !keepFiles { try? FileManager.default.removeItem(atPath: directory) } }

        var samples = BenchIngestSamples()
        var fields: [String] = []
        if webhookMegabytes > 0 {
            fields += try benchWebhooks(&samples, directory: directory, database: database)
            fields.append("webhook_peak_rss_mb=\(format(Double(peakResidentKiB()) / 1024, 1))")
        }
        if mboxMegabytes > 0 {
            fields += try benchMbox(&samples, directory: directory, database: database)
        }
        fields.append("peak_rss_mb=\(format(Double(peakResidentKiB()) / 1024, 1))")
        print("bench-ingest " + fields.joined(separator: " "))
    }

    private func benchWebhooks(_ samples: inout BenchIngestSamples, directory: String, database: Connection) throws -> [String] {
        var files: [(WebhookService, String)] = []
        var expected = 0
        var bytes = 0
        for service in WebhookService.allCases {
            let path = "\(directory)/\(service.rawValue).ndjson"
            expected += try samples.writeWebhooks(service, bytes: webhookMegabytes * (1 << 20) / WebhookService.allCases.count, to: path)
            bytes += Int((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
            files.append((service, path))
        }
        log("webhooks: \(bytes >> 20) MiB written, \(expected) storable events")

        // The reader alone, then the whole command path with COPY into bounce_events.
        var parsed = 0
        let parse = try measure {
            for (service, path) in files {
                try WebhookReader(service: service).read(path: path) { record in
                    if case .item(.event, _) = record { parsed += 1 }
                }
            }
        }
        log("webhooks: parsed \(parsed) events in \(format(parse.wall, 2)) s (\(format(parse.cpu, 2)) s CPU)")
        let writer = EventBatchWriter(connection: database)
        var tally = WebhookTally()
        let ingest = try measure(server: database) {
            for (service, path) in files { try ingestWebhooks([path], service: service, into: writer, tally: &tally) }
        }
        guard tally.events == expected, tally.problems == 0, writer.inserted == expected else {
            throw ValidationError("webhook bench read \(tally.events) events with \(tally.problems) problems and stored \(writer.inserted); expected \(expected)")
        }
        return [
            "webhook_mb=\(bytes >> 20)", "webhook_events=\(tally.events)",
            "webhook_parse_per_s=\(rate(parsed, parse.wall))", "webhook_parse_per_cpu_s=\(rate(parsed, parse.cpu))",
            "webhook_seconds=\(format(ingest.wall, 2))", "webhook_events_per_s=\(rate(tally.events, ingest.wall))",
            "webhook_cpu_s=\(format(ingest.cpu, 2))", "webhook_server_cpu_s=\(format(ingest.server, 2))",
            "webhook_events_per_cpu_s=\(rate(tally.events, ingest.cpu + ingest.server))",
        ]
    }

    private func benchMbox(_ samples: inout BenchIngestSamples, directory: String, database: Connection) throws -> [String] {
        let path = directory + "/bounces.mbox"
        let written = try samples.writeMbox(bytes: mboxMegabytes * (1 << 20), to: path)
        log("mbox: \(mboxMegabytes) MiB written, \(written) messages")
        let writer = EventBatchWriter(connection: database)
        var messages = 0, unread = 0
        // The loop of `ingest dsn`: one message at a time from the mbox, every event through COPY.
        let ingest = try measure(server: database) {
            try MessageSource(paths: [path]).forEach { item in
                guard case .message(let message) = item else { unread += 1; return }
                messages += 1
                for event in parseMessage(message.bytes).events { try writer.add(mailEvent(event)) }
            }
            try writer.flush()
        }
        return [
            "mbox_mb=\(mboxMegabytes)", "mbox_messages=\(messages)", "mbox_events=\(writer.inserted)", "mbox_unread=\(unread)",
            "mbox_seconds=\(format(ingest.wall, 2))", "mbox_messages_per_s=\(rate(messages, ingest.wall))",
            "mbox_cpu_s=\(format(ingest.cpu, 2))", "mbox_server_cpu_s=\(format(ingest.server, 2))",
            "mbox_messages_per_cpu_s=\(rate(messages, ingest.cpu + ingest.server))",
        ]
    }

    private func mailEvent(_ event: IngestedEvent) -> NewBounceEvent {
        NewBounceEvent(
            occurredAt: event.occurredAt.map { Timestamp(secondsSinceEpoch: Int64($0.timeIntervalSince1970)).description },
            recipient: event.recipient, sender: event.sender, messageID: event.messageID, campaignID: event.campaignID,
            smtpCode: event.smtpCode, enhancedStatus: event.enhancedStatus, diagnostic: event.diagnostic,
            remoteMTA: event.remoteMTA, kind: event.kind.rawValue, sourceKey: event.sourceKey)
    }

    /// Wall seconds, and the CPU seconds of this process and of the database server's backend: on a
    /// shared machine the wall clock also counts everyone else's work, the CPU time only ours.
    private func measure(server: Connection? = nil, _ body: () throws -> Void) throws -> (wall: Double, cpu: Double, server: Double) {
        let backend = try server.map { try Int32($0.query("SELECT pg_backend_pid()").scalar ?? "") ?? 0 }
        let serverBefore = backend.map(processCPUSeconds) ?? 0
        let cpuBefore = ownCPUSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (wall, ownCPUSeconds() - cpuBefore, (backend.map(processCPUSeconds) ?? 0) - serverBefore)
    }

    /// User plus system CPU time of this process, all threads.
    private func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User plus system CPU time of another process on this machine (the server's backend), from /proc.
    private func processCPUSeconds(_ pid: Int32) -> Double {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private func rate(_ count: Int, _ seconds: Double) -> Int {
        Int(Double(count) / max(seconds, 1e-9))
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("bench-ingest: \(message)\n".utf8))
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// VmHWM from /proc/self/status, in KiB (0 where unavailable).
    private func peakResidentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.dropFirst(6).filter(\.isNumber)) ?? 0
    }
}
