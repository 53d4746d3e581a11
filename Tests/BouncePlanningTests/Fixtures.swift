import BounceClassification
@testable import BouncePlanning

/// 2026-11-01T00:00:00Z, the start of every test calendar.
let november1 = Timestamp(secondsSinceEpoch: 1_793_491_200)

/// `november1` plus days, hours, minutes.
func day(_ days: Int64, hour: Int64 = 0, minute: Int64 = 0) -> Timestamp {
    november1 + .seconds(days * 86_400 + hour * 3600 + minute * 60)
}

/// A classified bounce or deferral.
func bounce(
    _ id: Int64, at time: Timestamp, _ category: BounceCategory, _ reason: String, code: Int? = 550,
    message: String? = "m1", text: String = "", kind: EventKind? = nil
) -> RecipientEvent {
    RecipientEvent(
        eventID: id, occurredAt: time, kind: kind ?? ((code ?? 500) < 500 ? .deferral : .bounce), messageID: message,
        smtpCode: code, diagnostic: text,
        classification: Classification(category: category, reason: reason, ruleID: "test.\(reason)", evidence: reason))
}

/// A delivery.
func delivery(_ id: Int64, at time: Timestamp, message: String? = "m1") -> RecipientEvent {
    RecipientEvent(eventID: id, occurredAt: time, kind: .delivery, messageID: message, smtpCode: 250, diagnostic: "",
                   classification: nil)
}

/// Soft-bounce evidence of the retry category.
func soft(_ id: Int64, at time: Timestamp, _ reason: String = "mailbox_full", category: BounceCategory = .retry,
          code: Int? = 452) -> SoftBounceEvidence {
    SoftBounceEvidence(eventID: id, occurredAt: time, reason: reason, category: category, ruleID: "test.\(reason)", smtpCode: code)
}

/// The checkout's Config/ folder, found from this file's location.
let configDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // BouncePlanningTests/Fixtures.swift, Tests
    return parts.joined(separator: "/") + "/Config"
}()
