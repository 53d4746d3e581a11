import BounceClassification
import BouncePlanning
import Foundation
import Postgres
import Progress

/// Where a test can make a run fail on purpose, to prove that nothing partial is committed.
public enum PlanStage: String, Sendable, CaseIterable {
    case afterOutcomes, afterStormGuard, afterSuppressions, afterRateLimits, afterRetries, beforeCommit
}

/// How one run behaves.
public struct PlanRunOptions: Sendable {
    /// Do everything, report it, then roll back.
    public var dryRun = false
    /// `statement_timeout` for every statement of the run (PostgreSQL syntax: `30min`, `0` = none).
    public var statementTimeout: String?
    /// `lock_timeout` for every statement of the run.
    public var lockTimeout: String?
    /// Fails the run at this stage (tests only).
    public var failAt: PlanStage?
    /// The run's clock (rate-limit recovery and pauses are measured against it); nil = the system clock.
    public var now: Timestamp?
    /// `work_mem` for the run's session: the sorts of a big night fit in memory instead of spilling.
    public var workMemory = "256MB"
    /// How many recipient-hash partitions pass 2 is split into; nil = one. The plan is the same for any
    /// number (tests prove it); the decisions wait in temporary files, so memory is flat either way.
    public var recipientPartitions: Int?
    /// Where the run says which phase it is in and how many events it has read.
    public var progress: ProgressReporter = .silent

    public init(
        dryRun: Bool = false, statementTimeout: String? = nil, lockTimeout: String? = nil, failAt: PlanStage? = nil,
        now: Timestamp? = nil
    ) {
        self.now = now
        self.dryRun = dryRun
        self.statementTimeout = statementTimeout
        self.lockTimeout = lockTimeout
        self.failAt = failAt
    }
}

/// The error a deliberately failed run throws.
public struct InjectedFailure: Error, CustomStringConvertible {
    public let stage: PlanStage
    public var description: String { "failure injected at \(stage.rawValue)" }
}

/// The nightly job: reads the events that arrived since the last run, classifies them, plans, and
/// commits the plans together with the new watermark, or nothing at all.
public struct PlanRunner: Sendable {
    /// The advisory lock every run takes, so that two runs never plan the same events.
    public static let runLockKey: Int64 = 0x626f_756e_6365_706c  // "bouncepl"

    public let settings: ConnectionSettings
    public let classifier: Classifier
    public let policy: PlanningPolicy
    public let programVersion: String

    public init(
        settings: ConnectionSettings, classifier: Classifier, policy: PlanningPolicy = .defaults, programVersion: String
    ) {
        self.settings = settings
        self.classifier = classifier
        self.policy = policy
        self.programVersion = programVersion
    }

    /// Called inside a transaction that changes plan tables outside a run (manual suppressions,
    /// reviews): waits for a running `bounceplan run` to finish, and keeps the next one from starting
    /// until the transaction ends, so the run's set-based writes never race a person's.
    public static func waitForRuns(_ connection: Connection) throws {
        try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [String(runLockKey)])
    }

    /// The recipient domain's destination: its provider group (google, microsoft, …) or the domain.
    var destination: @Sendable (String) -> String {
        let providers = policy.providers
        return { providers.group(forDomain: $0) }
    }

    /// What the reading thread hands back when it is done.
    struct ReaderResult: Sendable {
        /// The reading snapshot (`pg_snapshot` text), the next run's lower bound.
        var snapshot: String
        var tally: RunTally
        /// Tonight's throttles and sender issues, gathered while classifying.
        var perDestination: DestinationTally
        /// The staging rows' verdict codes.
        var verdicts: VerdictCodes
    }

    /// What the reading thread hands to the writing connection: staging rows for `run_events`, or a
    /// larger piece of rows for another table (`into`).
    enum ReaderChunk: Sendable {
        case staging([UInt8])
        case rows(PassOneTable, [UInt8])
    }

    /// The tables pass 1 fills beside the staging table.
    enum PassOneTable: Sendable {
        /// Tonight's evidence table (`EvidencePartition`), the durable evidence of the new events.
        case evidence
        /// `event_outcomes` itself, for the few events that committed late (ids below tonight's partition).
        case lateEvidence
        /// `run_storm_failures`, the storm guard's failures.
        case stormFailures
        /// `run_refusals`, the recipients of sender and content refusals.
        case refusals

        /// Whether the rows are in binary COPY form (each piece is then sent between a header and a trailer).
        var isBinary: Bool { self == .evidence || self == .lateEvidence }

        func copyStatement(evidence: EvidencePartition) -> String {
            switch self {
            case .evidence: "COPY \(evidence.quotedName) (\(EventOutcomeEncoder.evidenceColumns)) FROM STDIN (FORMAT binary)"
            case .lateEvidence: "COPY event_outcomes (\(EventOutcomeEncoder.evidenceColumns)) FROM STDIN (FORMAT binary)"
            case .stormFailures: "COPY run_storm_failures (\(StormCounts.failureColumns)) FROM STDIN"
            case .refusals: "COPY run_refusals (\(DestinationTally.refusalColumns)) FROM STDIN"
            }
        }
    }

    public func run(_ options: PlanRunOptions = PlanRunOptions()) throws -> RunSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let startedAt = Self.timestamp()
        let connection = try Connection(settings: settings)
        try applyTimeouts(connection, options)
        guard try connection.tryAdvisoryLock(Self.runLockKey) else {
            throw StoreError(.locked, "another bounceplan run holds the run lock on \(connection.target); try again when it has finished")
        }
        defer { _ = try? connection.releaseAdvisoryLock(Self.runLockKey) }

        try connection.query("BEGIN")
        do {
            let summary = try plan(on: connection, options: options, startedAt: startedAt, started: started, clock: clock)
            if options.dryRun || summary.runID == nil {
                try connection.query("ROLLBACK")
            } else {
                try connection.query("COMMIT")
            }
            return summary
        } catch {
            _ = try? connection.query("ROLLBACK")
            throw error
        }
    }

    private func plan(
        on connection: Connection, options: PlanRunOptions, startedAt: String,
        started: ContinuousClock.Instant, clock: ContinuousClock
    ) throws -> RunSummary {
        let startCPU = PhaseCPU.process()
        let cpu = PhaseCPU(backend: try connection.query("SELECT pg_backend_pid()").scalar.flatMap { Int32($0) } ?? 0)
        let serverStart = cpu.server()
        let previousSnapshot = try connection.query("SELECT snapshot FROM plan_runs ORDER BY id DESC LIMIT 1").scalar

        // The run's row comes first: every evidence row carries its id.
        let runID = try insertRun(connection, startedAt: startedAt)
        // Tonight's evidence table, unindexed until the rows are in (migration 0010).
        let evidence = try EvidencePartition.open(connection)
        let estimate = try estimatedNewEvents(connection)
        options.progress.begin("reading + classifying", unit: "events", total: options.progress.mode == .none ? nil : estimate)
        // Pass 2 reads the whole night in one ordered pass: its decisions wait in temporary files, not in
        // memory, so one partition serves any night. More partitions (tests, SCALING.md) split the staging
        // table by recipient hash, so that each partition reads only its own rows. Sixteen were measured at
        // 1 M events (sixteen smaller sorts) and cost as much as one: the routing into partitions, an
        // `ANALYZE` of each and sixteen passes over the plan tables' keys took back what the sorts saved.
        let partitions = max(1, options.recipientPartitions ?? 1)
        // Read and classify on a second connection and thread while this one writes. The queue holds about
        // 4 MB: room for what the reader encodes while this thread sorts and sends a run (`SortedStagingRun`).
        let queue = HandOffQueue<ReaderChunk, ReaderResult>(capacity: 64)
        let reader = EventReader(
            settings: settings, classifier: classifier, destination: destination,
            previousSnapshot: previousSnapshot, runID: runID, newEvidenceFrom: evidence.low,
            throttles: DestinationTally.ThrottleFilter(policy.rateLimit), stormGuard: policy.stormGuard, options: options)
        let thread = Thread { reader.run(into: queue) }
        thread.stackSize = 4 << 20
        thread.start()

        // Tonight's classified events are staged in a scratch table the run owns: no index, no WAL, and
        // statistics the run itself gathers, whatever role it runs as.
        try createStaging(connection, partitions: partitions)
        // The durable evidence and the storm guard's counts go in on the same connection while the reader
        // classifies: the staging COPY pauses for each megabyte of their rows, so the server writes them
        // while the client is busy classifying, instead of reading the staging table again afterwards.
        var stored = 0
        do {
            var other: (table: PassOneTable, bytes: [UInt8])?
            var finished = false
            // The staging rows go in sorted runs; a run not yet full waits across the other tables' COPYs.
            var run = SortedStagingRun()
            while !finished {
                stored += try connection.copyIn(
                    "COPY run_events (\(EventOutcomeEncoder.outcomeColumns)) FROM STDIN (FORMAT binary)"
                ) { writer in
                    try writer.sendEncoded(CopyBinaryEncoder.header)
                    while let chunk = try queue.take() {
                        switch chunk {
                        case .staging(let bytes):
                            try run.append(bytes)
                            if run.isFull { try run.sendSorted { try writer.sendEncoded($0) } }
                        case .rows(let table, let bytes):
                            other = (table, bytes)
                            try writer.sendEncoded(CopyBinaryEncoder.trailer)
                            return
                        }
                    }
                    finished = true
                    try run.sendSorted { try writer.sendEncoded($0) }
                    try writer.sendEncoded(CopyBinaryEncoder.trailer)
                }
                if let rows = other {
                    other = nil
                    try connection.copyIn(rows.table.copyStatement(evidence: evidence)) { writer in
                        if rows.table.isBinary { try writer.sendEncoded(CopyBinaryEncoder.header) }
                        try writer.sendEncoded(rows.bytes)
                        if rows.table.isBinary { try writer.sendEncoded(CopyBinaryEncoder.trailer) }
                    }
                }
            }
        } catch {
            queue.cancel()
            _ = try? queue.result()
            throw error
        }
        let read = try queue.result()
        var phases: [String: Double] = ["read_classify_write": (clock.now - started).inSeconds]
        var phaseCPU: [String: Double] = ["read_classify_write": PhaseCPU.process() - startCPU]
        var phaseServerCPU: [String: Double] = [:]
        var cpuMark = PhaseCPU.process()
        var serverMark = cpu.server()
        if let serverMark, let serverStart { phaseServerCPU["read_classify_write"] = serverMark - serverStart }
        var mark = clock.now
        func lap(_ name: String, next: String? = nil) {
            phases[name] = (clock.now - mark).inSeconds
            mark = clock.now
            let process = PhaseCPU.process()
            phaseCPU[name] = process - cpuMark
            cpuMark = process
            if let server = cpu.server(), let previous = serverMark {
                phaseServerCPU[name] = server - previous
                serverMark = server
            }
            if let next { options.progress.begin(next) }
        }
        try fail(options, at: .afterOutcomes)

        let finishedAt = { Self.timestamp() }
        var summary = RunSummary(
            runID: nil, dryRun: options.dryRun, startedAt: startedAt, finishedAt: startedAt, seconds: 0,
            events: read.tally.events, rejected: read.tally.rejected,
            firstEventID: read.tally.firstEventID, lastEventID: read.tally.lastEventID,
            counts: read.tally.counts(read.verdicts), planCounts: [:], rulesDigest: classifier.rulesDigest,
            policyDigest: policy.digest, programVersion: programVersion)
        guard read.tally.events > 0 else {
            summary.finishedAt = finishedAt()
            summary.seconds = (clock.now - started).inSeconds
            return summary
        }

        options.progress.begin("indexing the evidence")
        try evidence.close(connection)
        lap("evidence_index", next: "analyzing")
        // The staged rows' own statistics, so the planner knows tonight's size and shape whatever the plan
        // tables' statistics say (the run may not ANALYZE those, and needs not). Since pass 1 gathers the
        // per-destination counts, only the recipient pass reads the staging rows, grouped and ordered by
        // recipient: that column's statistics are the ones its plans use (row count, distinct recipients).
        try connection.query("ANALYZE run_events (recipient)")
        lap("analyze", next: "storm guard")
        let now = options.now ?? Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
        var writer = PlanWriter(connection: connection, runID: runID, policy: policy, now: now, verdicts: read.verdicts)
        try writer.detectStorms()
        lap("storm_guard", next: "writing rate limits")
        try fail(options, at: .afterStormGuard)
        // Rate limits before the recipients: a retry to a held destination waits for the hold.
        try writer.writeRateLimits(read.perDestination.throttles)
        lap("rate_limits", next: "planning recipients")
        try fail(options, at: .afterRateLimits)
        try writer.planRecipients(partitions: partitions)
        try fail(options, at: .afterSuppressions)
        try writer.recordStormHolds()
        try writer.holdRetriesUnderReview()
        lap("recipients", next: "writing sender issues")
        try fail(options, at: .afterRetries)
        try writer.writeSenderIssues()
        lap("sender_issues", next: "committing")
        summary.phaseSeconds = phases
        summary.phaseCPUSeconds = phaseCPU
        summary.phaseServerCPUSeconds = phaseServerCPU

        summary.runID = options.dryRun ? nil : runID
        summary.planCounts = writer.counts
        summary.planCounts["event_outcomes"] = stored
        summary.finishedAt = finishedAt()
        summary.seconds = (clock.now - started).inSeconds
        try connection.query("""
            UPDATE plan_runs
            SET finished_at = $2::timestamptz, plan_counts = $3::jsonb, snapshot = $4::pg_snapshot,
                first_event_id = $5, last_event_id = $6, event_count = $7, rejected_count = $8, counts = $9::jsonb
            WHERE id = $1
            """, [String(runID), summary.finishedAt, Self.json(summary.planCounts), read.snapshot,
                  summary.firstEventID.map(String.init), summary.lastEventID.map(String.init),
                  String(summary.events), String(summary.rejected), Self.json(summary.counts)])
        try fail(options, at: .beforeCommit)
        if !options.dryRun {
            // Delivered to listeners only when the transaction commits.
            try connection.query("SELECT pg_notify('bounceplan_plan_ready', $1)", [String(runID)])
        }
        return summary
    }

    /// The staging table `run_events`: one plain table, or hash-partitioned by recipient into
    /// `run_events_<n>` (one per partition of pass 2) when the pass is split.
    private func createStaging(_ connection: Connection, partitions: Int) throws {
        let columns = """
            event_id bigint NOT NULL, occurred_at timestamptz NOT NULL, recipient text COLLATE "C", recipient_key bigint,
            destination text,
            source text NOT NULL, message_id text NOT NULL, verdict integer NOT NULL, smtp_code integer,
            reply_fingerprint bigint
            """
        // The recipients of tonight's sender and content refusals, counted per issue, with the reply fields each
        // issue's sample is made of (see `DestinationTally`).
        try connection.query("""
            CREATE TEMP TABLE run_refusals (source text NOT NULL, destination text NOT NULL, reason text NOT NULL,
                recipient text COLLATE "C" NOT NULL, event_id bigint NOT NULL, occurred_at timestamptz NOT NULL,
                category text NOT NULL, rule_id text NOT NULL, smtp_code integer, enhanced_status text,
                diagnostic text) ON COMMIT DROP
            """)
        // The storm guard's failures from pass 1 (see `StormCounts`).
        try connection.query("""
            CREATE TEMP TABLE run_storm_failures (destination text NOT NULL, slot bigint NOT NULL,
                recipient text COLLATE "C" NOT NULL, reply bigint, vanished boolean NOT NULL) ON COMMIT DROP
            """)
        guard partitions > 1 else {
            try connection.query("CREATE TEMP TABLE run_events (\(columns)) ON COMMIT DROP")
            return
        }
        try connection.query("CREATE TEMP TABLE run_events (\(columns)) PARTITION BY HASH (recipient) ON COMMIT DROP")
        for partition in 0..<partitions {
            try connection.query("""
                CREATE TEMP TABLE run_events_\(partition) PARTITION OF run_events
                FOR VALUES WITH (MODULUS \(partitions), REMAINDER \(partition)) ON COMMIT DROP
                """)
        }
    }

    /// About how many events this run will read, for the progress line: the ids past the last run's
    /// highest (two index lookups, whatever the table's size). Late commits and gaps make it approximate.
    private func estimatedNewEvents(_ connection: Connection) throws -> Int64? {
        let result = try connection.query("""
            SELECT (SELECT max(id) FROM bounce_events)
                 - coalesce((SELECT last_event_id FROM plan_runs WHERE last_event_id IS NOT NULL ORDER BY id DESC LIMIT 1),
                            (SELECT min(id) - 1 FROM bounce_events))
            """)
        return result.scalar.flatMap { Int64($0) }.map { max($0, 0) }
    }

    /// Inserts the run's row; its snapshot and counts are filled in once the events are read.
    private func insertRun(_ connection: Connection, startedAt: String) throws -> Int {
        let result = try connection.query("""
            INSERT INTO plan_runs (started_at, finished_at, snapshot, event_count, counts, plan_counts,
                                   rules_digest, policy_digest, program_version)
            VALUES ($1::timestamptz, $1::timestamptz, pg_current_snapshot(), 0, '{}'::jsonb, '{}'::jsonb, $2, $3, $4)
            RETURNING id
            """, [startedAt, classifier.rulesDigest, policy.digest, programVersion])
        guard let id = result.scalar.flatMap({ Int($0) }) else {
            throw StoreError(.schema, "plan_runs did not return an id")
        }
        return id
    }

    private func fail(_ options: PlanRunOptions, at stage: PlanStage) throws {
        if options.failAt == stage { throw InjectedFailure(stage: stage) }
    }

    func applyTimeouts(_ connection: Connection, _ options: PlanRunOptions) throws {
        try connection.setSetting("TimeZone", to: "UTC")
        // The plan statements sort and hash a whole night of events; with the default 4 MB they spill
        // to disk. This is one session for a few minutes a night.
        try connection.setSetting("work_mem", to: options.workMemory)
        try connection.setSetting("temp_buffers", to: "64MB")
        // The plan statements run once a night over row counts the planner cannot foresee: JIT compiled
        // each of them for 0.5–1.2 s (auto_explain at 1 M events) and gained less than that back.
        try connection.setSetting("jit", to: "off")
        if let statementTimeout = options.statementTimeout { try connection.setSetting("statement_timeout", to: statementTimeout) }
        if let lockTimeout = options.lockTimeout { try connection.setSetting("lock_timeout", to: lockTimeout) }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Duration {
    /// The duration as floating-point seconds, for reports.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Reads the run's events with COPY on its own connection and thread, classifies them and hands
/// encoded staging rows to the writer.
public struct EventReader: Sendable {
    let settings: ConnectionSettings
    let classifier: Classifier
    let destination: @Sendable (String) -> String
    /// The previous run's snapshot; nil before the first run.
    let previousSnapshot: String?
    /// The run the evidence rows belong to.
    let runID: Int
    /// The lowest event id of tonight's evidence table; lower ids committed late and go to `event_outcomes`.
    let newEvidenceFrom: Int
    /// Which events pass 1 counts as throttling.
    let throttles: DestinationTally.ThrottleFilter
    /// The storm guard whose counts pass 1 gathers.
    let stormGuard: StormGuard
    let options: PlanRunOptions

    /// The events a run reads: those its snapshot sees and the previous run's did not. The previous
    /// snapshot travels as the transaction-local setting `bounceplan.previous_snapshot` (COPY takes no
    /// parameters), read once per statement by a scalar subquery rather than parsed again for every
    /// row; `afterSnapshot` false means the first run, which reads everything.
    public static func newEventsQuery(afterSnapshot: Bool) -> String {
        """
        SELECT \(EventColumn.selectList) FROM bounce_events
        WHERE \(afterSnapshot ? """
            txid >= pg_snapshot_xmin((SELECT current_setting('bounceplan.previous_snapshot')::pg_snapshot))
            AND NOT pg_visible_in_snapshot(txid, (SELECT current_setting('bounceplan.previous_snapshot')::pg_snapshot))
            """ : "true")
        """
    }

    func run(into queue: HandOffQueue<PlanRunner.ReaderChunk, PlanRunner.ReaderResult>) {
        do {
            let connection = try Connection(settings: settings)
            try connection.setSetting("TimeZone", to: "UTC")
            // Times as ISO text whatever the server's default style: pass 1 reads them (`EventTime`).
            try connection.setSetting("DateStyle", to: "ISO, MDY")
            if let statementTimeout = options.statementTimeout { try connection.setSetting("statement_timeout", to: statementTimeout) }
            if let lockTimeout = options.lockTimeout { try connection.setSetting("lock_timeout", to: lockTimeout) }
            // The events this snapshot sees and the previous run's did not: visibility only grows, so each
            // committed event is read by exactly one run, even when its transaction committed late.
            try connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            guard let snapshot = try connection.query("SELECT pg_current_snapshot()::text").scalar else {
                throw StoreError(.schema, "the server did not return a snapshot")
            }
            try connection.setSetting("bounceplan.previous_snapshot", to: previousSnapshot ?? "", local: true)
            var encoder = EventOutcomeEncoder(
                classifier: classifier, destination: destination, runID: runID, newEvidenceFrom: newEvidenceFrom,
                throttles: throttles, stormGuard: stormGuard)
            try connection.copyOut("""
                COPY (\(Self.newEventsQuery(afterSnapshot: previousSnapshot != nil))) TO STDOUT
                """) { row in
                try encoder.process(row)
                if encoder.encoder.isFull {
                    try queue.put(.staging(encoder.encoder.take()))
                    options.progress.update(completed: Int64(encoder.tally.events))
                }
                if encoder.evidenceIsFull { try queue.put(.rows(.evidence, encoder.evidence.take())) }
                if encoder.lateEvidence.count >= EventOutcomeEncoder.evidenceChunkSize {
                    try queue.put(.rows(.lateEvidence, encoder.lateEvidence.take()))
                }
                if encoder.perDestination.refusals.bytes.count >= EventOutcomeEncoder.evidenceChunkSize {
                    try queue.put(.rows(.refusals, encoder.perDestination.refusals.take()))
                }
                if encoder.storms.failures.bytes.count >= EventOutcomeEncoder.evidenceChunkSize {
                    try queue.put(.rows(.stormFailures, encoder.storms.failures.take()))
                }
            }
            try connection.query("COMMIT")
            options.progress.update(completed: Int64(encoder.tally.events))
            if !encoder.encoder.isEmpty { try queue.put(.staging(encoder.encoder.take())) }
            if !encoder.evidence.isEmpty { try queue.put(.rows(.evidence, encoder.evidence.take())) }
            if !encoder.lateEvidence.isEmpty { try queue.put(.rows(.lateEvidence, encoder.lateEvidence.take())) }
            if !encoder.storms.failures.bytes.isEmpty { try queue.put(.rows(.stormFailures, encoder.storms.failures.take())) }
            if !encoder.perDestination.refusals.bytes.isEmpty {
                try queue.put(.rows(.refusals, encoder.perDestination.refusals.take()))
            }
            queue.finish(PlanRunner.ReaderResult(
                snapshot: snapshot, tally: encoder.tally, perDestination: encoder.perDestination, verdicts: encoder.verdicts))
        } catch {
            queue.fail(error)
        }
    }
}
