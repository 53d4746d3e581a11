import ArgumentParser
import BounceClassification
import BouncePlanStore
import BouncePlanning
import Postgres

/// Shows why a recipient is (or is not) suppressed, retried or held.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show a recipient's events, how each was classified, and every decision taken with the policy values behind it.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Argument(help: "The recipient address.")
    var recipient: String

    @Option(help: "Show at most this many of the most recent events.")
    var limit = 200

    func run() throws {
        let policy = try policyOptions.load(config)
        let database = try connection.openCurrent()
        let history = try RecipientHistory.load(recipient, from: database, limit: limit)
        print("recipient \(history.recipient) (destination \(policy.providers.group(forRecipient: history.recipient)))")
        print("")
        print(stateLine(history))
        for retry in history.retries {
            print("  retry: message \(retry["message_id"] ?? "") attempt \(retry["attempt"] ?? "") next \(retry["next_attempt_at"] ?? "") [\(retry["status"] ?? "")] \(retry["reason"] ?? "") (rule \(retry["rule_id"] ?? ""))")
        }
        for limit in history.rateLimits {
            print("  rate limit: \(limit["destination"] ?? "") via \(limit["source"] ?? "") \(limit["max_per_hour"] ?? "")/h until \(limit["until"] ?? "") — \(limit["explanation"] ?? "")")
        }
        print("")
        print("events (\(history.events.count)):")
        if history.events.isEmpty { print("  none recorded for this address") }
        for event in history.events {
            let codes = [event.smtpCode.map(String.init), event.enhancedStatus].compactMap { $0 }.joined(separator: " ")
            let text = event.diagnostic.count > 100 ? String(event.diagnostic.prefix(97)) + "…" : event.diagnostic
            // Most diagnostics already begin with their codes; repeat them only when they do not.
            let response = text.hasPrefix(codes) || codes.isEmpty ? text : codes + " " + text
            let decision = event.outcome.map { "\($0) / \(event.reason ?? "") (rule \(event.ruleID ?? ""), run \(event.runID.map(String.init) ?? "-"))" } ?? "not planned yet"
            print("  #\(event.id) \(event.occurredAt) \(event.kind) \(event.messageID ?? "-")")
            print("      \(response.replacing("\n", with: " "))")
            if let verdict = event.reportedVerdict { print("      service said: \(verdict)") }
            print("      → \(decision)")
        }
        print("")
        print("decisions under the current policy (digest \(policy.digest.prefix(12))…):")
        let planned = RecipientPlanner(policy: policy).plan(
            recipient: history.recipient, events: history.events.compactMap(recipientEvent), now: latest(history))
        if planned.decisions.isEmpty { print("  none") }
        for decision in planned.decisions { print("  - \(decision.explanation.isEmpty ? decision.description : decision.explanation)") }
    }

    private func stateLine(_ history: RecipientHistory) -> String {
        guard let suppression = history.suppression else { return "state: not suppressed" }
        let run = suppression["updated_run_id"].flatMap { $0 == "NULL" ? nil : $0 }
        // An escalation is in force from the run that reached the threshold, not from the first soft bounce.
        let origin = suppression["rule_id"] == "policy.escalation"
            ? " (escalated by run \(run ?? "?") when the soft bounces reached the threshold)"
            : run.map { " (run \($0))" } ?? ""
        var line = "state: suppression \(suppression["status"] ?? "") since \(suppression["suppressed_at"] ?? "")\(origin)"
            + " — \(suppression["reason"] ?? "") (rule \(suppression["rule_id"] ?? "")), evidence events \(suppression["evidence_event_ids"] ?? "")"
        if suppression["status"] == "pending_review", let storm = suppression["storm_id"], storm != "NULL" {
            line += "\n  held for review by storm \(storm): neither applied nor retried until `bounceplan review release|discard --storm \(storm)`"
        }
        return line
    }

    private func latest(_ history: RecipientHistory) -> Timestamp {
        Timestamp(secondsSinceEpoch: history.events.map(\.epochSeconds).max() ?? 0)
    }

    /// The stored decision of a planned event as the pure planner's input.
    private func recipientEvent(_ event: RecipientHistory.Event) -> RecipientEvent? {
        guard let outcome = event.outcome, outcome != "rejected" else { return nil }
        let kind = EventKind(rawValue: event.kind.lowercased()) ?? .bounce
        let classification = BounceCategory(rawValue: outcome).map {
            Classification(category: $0, reason: event.reason ?? "", ruleID: event.ruleID ?? "", evidence: "")
        }
        return RecipientEvent(
            eventID: Int64(event.id), occurredAt: Timestamp(secondsSinceEpoch: event.epochSeconds), kind: kind,
            messageID: event.messageID, smtpCode: event.smtpCode, diagnostic: event.diagnostic,
            classification: classification)
    }
}
