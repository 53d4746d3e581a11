import Postgres

/// Tonight's table of evidence (migration 0010): `event_outcomes` is partitioned by ranges of event id,
/// and each run copies the evidence of its new events into an unindexed table of its own, whose primary
/// key and BRIN index are then built in one sort and which is attached as the partition from `low` to
/// the highest id + 1. Kept up row by row during the COPY, the primary key was most of the server's
/// share of pass 1. The table is created and attached by two functions of the table's owner, so the run
/// needs no DDL privilege; both are in the run's transaction, so a failed run leaves no table behind.
struct EvidencePartition: Sendable {
    /// The table's name, as `bounceplan_open_evidence` made it (`event_outcomes_from_<low>`).
    let name: String
    /// The lowest event id the table may hold: the newest partition's upper bound. Events with lower ids
    /// committed late; their evidence goes through `event_outcomes`, which routes it.
    let low: Int

    /// The name quoted as an identifier for a statement.
    var quotedName: String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }

    /// Creates tonight's empty table.
    static func open(_ connection: Connection) throws -> EvidencePartition {
        let row = try connection.query("SELECT partition_name, low FROM bounceplan_open_evidence()").rows.first
        guard let name = row?[0], let low = row?[1].flatMap({ Int($0) }) else {
            throw StoreError(.schema, "bounceplan_open_evidence() returned no table (is the database migrated?)")
        }
        return EvidencePartition(name: name, low: low)
    }

    /// Builds the table's indexes and attaches it (or drops it when no new event reached it).
    func close(_ connection: Connection) throws {
        try connection.query("SELECT bounceplan_close_evidence()")
    }
}
