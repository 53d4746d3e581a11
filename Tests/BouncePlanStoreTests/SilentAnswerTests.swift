import Foundation
import Postgres
import TestSupport
import Testing

/// Questions with no answer get an error that says so, not an empty file or a partial count.
@Suite("No silent empty answers")
struct SilentAnswerTests {
    @Test("export --run of a run that does not exist is a usage error", arguments: ["suppressions", "retries"])
    func exportOfAnUnknownRun(kind: String) throws {
        let target = try CommandLineTests.Target(events: 20)
        try #require(try ProgramRunner.bounceplan(["run", "--database-url", target.url]).exited(0))
        let result = try ProgramRunner.bounceplan(["export", kind, "--run", "999", "--database-url", target.url])
        #expect(result.exited(2), "\(result)")
        #expect(result.stderr.contains("--run 999: there is no such run"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let known = try ProgramRunner.bounceplan(["export", kind, "--run", "1", "--database-url", target.url])
        #expect(known.exited(0), "\(known)")
    }

    @Test func exportOfAnUnknownCategoryListsTheValidOnes() throws {
        let result = try ProgramRunner.bounceplan(
            ["export", "suppressions", "--category", "bogus"], unsetting: ["DATABASE_URL"], timeout: .seconds(30))
        #expect(result.exited(2), "\(result)")
        #expect(result.stderr.contains("--category \"bogus\" is not a category; use one of: suppress, "), "\(result.stderr)")
        #expect(result.stderr.contains("manual"), "\(result.stderr)")
    }

    @Test("review release and discard name the addresses that were not held", arguments: ["release", "discard"])
    func reviewNamesWhatWasNotHeld(verb: String) throws {
        let target = try CommandLineTests.Target(events: 0)
        for address in ["held1@example.com", "held2@example.com"] {
            try target.fixture.connection.query("""
                INSERT INTO suppressions (recipient, domain, status, category, reason, rule_id, suppressed_at, evidence_event_ids)
                VALUES ($1, 'example.com', 'pending_review', 'suppress', 'mailbox_unknown', 'test', now(), '{}')
                """, [address])
        }
        let result = try ProgramRunner.bounceplan([
            "review", verb, "held1@example.com", "Held2@Example.com", "nobody@example.net",
            "--reason", "checked", "--database-url", target.url,
        ])
        #expect(result.exited(1), "\(result)")
        let done = verb == "release" ? "released" : "discarded"
        #expect(result.stdout.hasPrefix("\(done) 2 "), "\(result.stdout)")
        #expect(result.stderr.contains("not held for review, so not \(done): nobody@example.net ("), "\(result.stderr)")
        #expect(!result.stderr.contains("held1"), "\(result.stderr)")
    }
}

@Suite("rules check")
struct RulesCheckTests {
    @Test("a rule file without rules is an error, not ok", arguments: ["", "rules: []\n", "# only a comment\n"])
    func anEmptyRuleFileFails(text: String) throws {
        let folder = try ScratchFolder()
        let path = folder.file("empty.yaml")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let result = try ProgramRunner.bounceplan(["rules", "check", path], timeout: .seconds(30))
        #expect(result.exited(1), "\(result)")
        #expect(result.stderr.contains("no rules"), "\(result.stderr)")
        #expect(!result.stdout.contains("ok"), "\(result.stdout)")
    }
}
