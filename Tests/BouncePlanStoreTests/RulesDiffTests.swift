import BounceClassification
import BouncePlanStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `bounceplan rules diff` on a real database: what a candidate rule file would change.
@Suite("Rules diff")
struct RulesDiffTests {
    static let frobnicated = "550 5.0.0 <x@example.com>: mailbox frobnicated"

    /// A candidate that turns a reply nobody knows today into a suppression.
    static let suppressingCandidate = """
        rules:
          - id: candidate.frobnicated
            category: suppress
            reason: user_unknown
            any: ["mailbox frobnicated"]
            examples:
              - "550 5.0.0 mailbox frobnicated"
        """

    /// A candidate whose phrase no stored event contains.
    static let idleCandidate = """
        rules:
          - id: candidate.never-seen
            category: suppress
            reason: user_unknown
            any: ["the mailbox went to the moon"]
            examples:
              - "550 5.1.1 the mailbox went to the moon"
        """

    /// Seven bounces and deferrals in the window, one older, and a delivery no rule can change: three new
    /// addresses to suppress (one of them twice), one already suppressed, one deferral (never a
    /// suppression), one the candidate does not touch.
    final class History {
        let fixture: StoreFixture
        let directory: String

        init() throws {
            fixture = try StoreFixture()
            directory = NSTemporaryDirectory() + "bounceplan-rules-diff-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let recent = History.time(daysAgo: 2), old = History.time(daysAgo: 60)
            func event(_ recipient: String, _ text: String, kind: String = "bounce", at time: String) -> NewBounceEvent {
                NewBounceEvent(occurredAt: time, recipient: recipient, smtpCode: 550, enhancedStatus: "5.0.0", diagnostic: text, kind: kind)
            }
            try fixture.insert([
                event("one@example.com", frobnicated, at: recent),
                event("One@Example.com", frobnicated, at: recent),
                event("two@example.com", frobnicated, at: recent),
                event("three@example.net", frobnicated, at: recent),
                event("kept@example.org", frobnicated, at: recent),
                event("later@example.org", frobnicated, kind: "deferral", at: recent),
                event("gone@example.com", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in local recipient table", at: recent),
                event("old@example.com", frobnicated, at: old),
                event("fine@example.com", frobnicated, kind: "delivery", at: recent),
            ])
            try fixture.connection.query("""
                INSERT INTO suppressions (recipient, domain, category, reason, rule_id, suppressed_at, first_event_id, last_event_id, evidence_event_ids)
                VALUES ('kept@example.org', 'example.org', 'suppress', 'user_unknown', 'manual', now(), 1, 1, '{1}')
                """)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        static func time(daysAgo: Int) -> String {
            ISO8601DateFormatter().string(from: Date().addingTimeInterval(-Double(daysAgo) * 86_400))
        }

        func candidate(_ yaml: String) throws -> String {
            let path = directory + "/candidate-\(UUID().uuidString).yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func diff(_ candidateFile: String, window: Duration? = .seconds(30 * 86_400)) throws -> RulesDiff.Result {
            let rules = TestDatabase.repositoryRoot + "/Config/rules"
            return try RulesDiff(
                settings: fixture.database.settings, current: try Classifier.load(rulesDirectory: rules),
                candidate: try Classifier.load(rulesDirectory: rules, userRuleFiles: [candidateFile]), window: window).run()
        }

        func command(_ arguments: [String]) throws -> ProgramResult {
            try ProgramRunner.bounceplan(["rules", "diff", "--database-url", fixture.database.settings.conninfo,
                                          "--config-dir", TestDatabase.repositoryRoot + "/Config"] + arguments)
        }
    }

    @Test func aSuppressingCandidateIsCountedByTransitionAndDistinctNewAddress() throws {
        let history = try History()
        let result = try history.diff(try history.candidate(Self.suppressingCandidate))
        #expect(result.tally.events == 7, "neither the event older than the window nor the delivery is read")
        let transitions = result.tally.transitions.map { "\($0.from)>\($0.to)=\($0.count)" }
        #expect(transitions == ["unknown>suppress=5", "unknown>retry=1"], "a deferral retries even when its words suppress")
        #expect(result.tally.unchanged == 1)
        #expect(result.newSuppressedAddresses == 3, "one@ twice counts once; kept@ is suppressed already")
        let samples = try #require(result.tally.transitions.first?.samples)
        #expect(samples.count == 3)
        #expect(samples.allSatisfy { $0.diagnostic == Self.frobnicated && $0.ruleAfter == "candidate.frobnicated" })
        #expect(try history.fixture.count("SELECT count(*) FROM event_outcomes") == 0, "a preview writes no plan")

        let everything = try history.diff(try history.candidate(Self.suppressingCandidate), window: nil)
        #expect(everything.tally.events == 8)
        #expect(everything.newSuppressedAddresses == 4)
    }

    @Test func aCandidateThatMatchesNothingChangesNothing() throws {
        let history = try History()
        let result = try history.diff(try history.candidate(Self.idleCandidate))
        #expect(result.tally.events == 7)
        #expect(result.tally.changed == 0)
        #expect(result.tally.transitions.isEmpty)
        #expect(result.tally.unchanged == 7)
        #expect(result.newSuppressedAddresses == 0)

        let printed = try history.command(["--rules", try history.candidate(Self.idleCandidate)])
        #expect(printed.exited(0), "\(printed)")
        #expect(printed.stdout.contains("decisions changed: 0"), "\(printed.stdout)")
    }

    @Test("--max-new-suppressions stops a candidate that suppresses too many", arguments: [(2, Int32(1)), (3, Int32(0))])
    func threshold(limit: Int, status: Int32) throws {
        let history = try History()
        let result = try history.command(["--rules", try history.candidate(Self.suppressingCandidate),
                                          "--max-new-suppressions", String(limit)])
        #expect(result.exited(status), "\(result)")
        #expect(result.stdout.contains("unknown → suppress: 5"), "\(result.stdout)")
        #expect(result.stdout.contains("new suppressions (addresses not suppressed today): 3"), "\(result.stdout)")
        #expect(result.stderr.contains("more than --max-new-suppressions") == (status == 1), "\(result.stderr)")
    }

    @Test func jsonShape() throws {
        let history = try History()
        let result = try history.command(["--rules", try history.candidate(Self.suppressingCandidate), "--json", "--since", "30d"])
        #expect(result.exited(0), "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["since"] as? String == "30d")
        #expect(object["events"] as? Int == 7)
        #expect(object["changed"] as? Int == 6)
        #expect(object["unchanged"] as? Int == 1)
        #expect(object["rule_changed_only"] as? Int == 0)
        #expect(object["new_suppressions"] as? Int == 3)
        #expect(object["max_new_suppressions"] is NSNull)
        #expect(object["exceeded"] as? Bool == false)
        let transitions = try #require(object["transitions"] as? [[String: Any]])
        #expect(transitions.map { $0["from"] as? String } == ["unknown", "unknown"])
        #expect(transitions.map { $0["to"] as? String } == ["suppress", "retry"])
        #expect(transitions.map { $0["count"] as? Int } == [5, 1])
        let sample = try #require((transitions.first?["samples"] as? [[String: Any]])?.first)
        #expect(sample["smtp_code"] as? Int == 550)
        #expect(sample["enhanced_status"] as? String == "5.0.0")
        #expect(sample["diagnostic"] as? String == Self.frobnicated)
        #expect(sample["rule_before"] as? String == "status.5.x.x-permanent")
        #expect(sample["rule_after"] as? String == "candidate.frobnicated")
    }

    @Test("usage errors exit 2", arguments: [[], ["--rules", "x.yaml", "--since", "soon"], ["--rules", "x.yaml", "--max-new-suppressions", "-1"]])
    func usageErrors(arguments: [String]) throws {
        let result = try ProgramRunner.bounceplan(["rules", "diff"] + arguments, unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        #expect(result.exited(2), "\(result)")
    }
}
