import BouncePlanning
import Postgres

/// What the recipient pass saw of the suppressions it held for a storm's review, per (storm, sending
/// source of the held suppression's latest event): the storm's count, sources and sample, and the
/// `suppression_storm` sender issues, come from here instead of a join of the written suppressions with
/// `event_outcomes` (whose statistics the run neither owns nor refreshes). Memory: one entry per storm
/// and source, a handful a night.
struct StormHoldTally {
    struct Key: Hashable {
        var storm: Int64
        var source: String
    }

    struct Held {
        var count = 0
        var firstMicros = Int64.max
        var lastMicros = Int64.min
        var lowestEventID = Int64.max
        var highestEventID = Int64.min

        mutating func add(eventID: Int64, occurredMicros: Int64) {
            count += 1
            firstMicros = min(firstMicros, occurredMicros)
            lastMicros = max(lastMicros, occurredMicros)
            lowestEventID = min(lowestEventID, eventID)
            highestEventID = max(highestEventID, eventID)
        }
    }

    private(set) var held: [Key: Held] = [:]
    /// Held suppressions whose latest event is not one of tonight's (a late-committed event planned in
    /// an earlier run): looked up by event id after the pass.
    private(set) var elsewhere: [(storm: Int64, eventID: Int64)] = []

    var isEmpty: Bool { held.isEmpty && elsewhere.isEmpty }

    /// Counts `plan`'s suppression when it is held for a storm's review, under the source of its latest event.
    mutating func add(_ plan: RecipientNightPlan, events: [NightEvent]) {
        guard plan.heldForReview, let (row, _) = plan.suppression, let storm = row.stormID, let eventID = row.lastEventID
        else { return }
        if let event = events.last(where: { $0.eventID == eventID }) {
            held[Key(storm: storm, source: event.source), default: Held()].add(eventID: eventID, occurredMicros: event.occurredMicros)
        } else {
            elsewhere.append((storm, eventID))
        }
    }

    /// Adds the held suppressions whose latest event an earlier run planned: its time from its evidence
    /// row and its source from the event itself, by event id (primary-key lookups).
    mutating func resolveElsewhere(_ connection: Connection) throws {
        guard !elsewhere.isEmpty else { return }
        let ids = "{" + Set(elsewhere.map(\.eventID)).map(String.init).joined(separator: ",") + "}"
        var found: [Int64: (source: String, micros: Int64)] = [:]
        let rows = try connection.query("""
            SELECT o.event_id, coalesce(e.source_ip, ''), (extract(epoch FROM o.occurred_at) * 1000000)::bigint
            FROM event_outcomes o JOIN bounce_events e ON e.id = o.event_id
            WHERE o.event_id = ANY ($1::bigint[])
            """, [ids])
        for row in rows.rows {
            guard let id = row[0].flatMap({ Int64($0) }), let micros = row[2].flatMap({ Int64($0) }) else { continue }
            found[id] = (row[1] ?? "", micros)
        }
        for (storm, eventID) in elsewhere {
            // No evidence row, no count: as the join this replaces.
            guard let event = found[eventID] else { continue }
            held[Key(storm: storm, source: event.source), default: Held()].add(eventID: eventID, occurredMicros: event.micros)
        }
        elsewhere = []
    }

    /// Writes the tally into the temporary table `run_storm_holds`, one row per (storm, source).
    func write(_ connection: Connection) throws {
        try connection.query("""
            CREATE TEMP TABLE run_storm_holds (storm_id bigint, source text, held bigint, first_seen timestamptz,
                last_seen timestamptz, lowest_event_id bigint, highest_event_id bigint) ON COMMIT DROP
            """)
        try connection.copyIn("COPY run_storm_holds FROM STDIN") { writer in
            for (key, entry) in held {
                writer.field(Int(key.storm))
                writer.field(key.source)
                writer.field(entry.count)
                writer.field(MicroTime.text(entry.firstMicros))
                writer.field(MicroTime.text(entry.lastMicros))
                writer.field(Int(entry.lowestEventID))
                writer.field(Int(entry.highestEventID))
                try writer.endRow()
            }
        }
        try connection.query("ANALYZE run_storm_holds")
    }
}
