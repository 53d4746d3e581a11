import BounceClassification
import Testing

@Suite("Rule file validation")
struct RuleFileValidationTests {
    /// Writes `yaml` to a fresh rule file and returns the validation error, if any.
    private func validationError(_ yaml: String) -> (path: String, error: RuleFileError?) {
        let path = TestSupport.temporaryDirectory() + "/user.yaml"
        TestSupport.write(yaml, to: path)
        do {
            _ = try Classifier.validate(ruleFile: path)
            return (path, nil)
        } catch let error as RuleFileError {
            return (path, error)
        } catch {
            Issue.record("unexpected error type: \(error)")
            return (path, nil)
        }
    }

    @Test("a good file validates")
    func goodFile() throws {
        let path = TestSupport.temporaryDirectory() + "/good.yaml"
        TestSupport.write("""
            rules:
              - id: acme.full
                category: retry
                reason: mailbox_full
                codes: [552]
                any: ["acme box full"]
                examples: ["552 acme box full"]
            """, to: path)
        let rules = try Classifier.validate(ruleFile: path)
        #expect(rules.map(\.id) == ["acme.full"])
    }

    @Test("bad category names file, rule and the allowed values")
    func badCategory() throws {
        let (path, error) = validationError("""
            rules:
              - id: acme.bad
                category: bounce
                reason: user_unknown
                any: ["x"]
                examples: ["x"]
            """)
        let found = try #require(error)
        #expect(found.file == path)
        #expect(found.ruleID == "acme.bad")
        #expect(found.description.contains("unknown category 'bounce'"))
        #expect(found.description.contains("suppress"))
    }

    @Test("bad status pattern", arguments: ["5.7", "5.1.1.1", "6.1.1", "5.7.649-606", "abc"])
    func badStatus(pattern: String) throws {
        let (path, error) = validationError("""
            rules:
              - id: acme.status
                category: sender
                reason: policy_rejection
                status: ["\(pattern)"]
                examples: [{status: "5.7.1", text: ""}]
            """)
        let found = try #require(error)
        #expect(found.file == path)
        #expect(found.ruleID == "acme.status")
        #expect(found.message.contains("bad status pattern '\(pattern)'"))
    }

    @Test("missing id")
    func missingID() throws {
        let (path, error) = validationError("""
            rules:
              - category: suppress
                reason: user_unknown
                any: ["nobody"]
                examples: ["nobody"]
            """)
        let found = try #require(error)
        #expect(found.file == path)
        #expect(found.message.contains("missing `id`"))
        #expect(found.line == 2)
    }

    @Test("duplicate id names both rule and first definition")
    func duplicateID() throws {
        let (path, error) = validationError("""
            rules:
              - {id: acme.twice, category: retry, reason: server_busy, codes: [421], examples: [{code: 421, text: ""}]}
              - {id: acme.twice, category: retry, reason: server_busy, codes: [451], examples: [{code: 451, text: ""}]}
            """)
        let found = try #require(error)
        #expect(found.file == path)
        #expect(found.ruleID == "acme.twice")
        #expect(found.message.contains("duplicate rule id"))
    }

    @Test("malformed YAML names the file")
    func malformedYAML() throws {
        let (path, error) = validationError("rules:\n  - id: [unclosed\n    category: retry\n")
        let found = try #require(error)
        #expect(found.file == path)
        #expect(found.message.contains("malformed YAML"))
    }

    @Test("other mistakes are caught", arguments: [
        ("rules:\n  - {id: a, category: retry, reason: x, examples: [\"x\"]}", "at least one of"),
        ("rules:\n  - {id: a, category: retry, reason: x, any: [y]}", "examples"),
        ("rules:\n  - {id: a, category: retry, reason: Bad-Reason, any: [y], examples: [y]}", "snake_case"),
        ("rules:\n  - {id: a, category: retry, reason: x, any: [y], colour: red, examples: [y]}", "unknown key 'colour'"),
        ("rules:\n  - {id: a, category: retry, reason: x, codes: [650], examples: [y]}", "bad reply code pattern"),
        ("rules:\n  - {id: a, category: retry, reason: x, any: [\"|two words|\"], examples: [y]}", "word-boundary"),
        ("rulez: []", "unknown top-level key"),
        ("rules:\n  - {id: a, category: retry, reason: x, codes: [421], provider: hotmailz, examples: [y]}", "unknown provider 'hotmailz'"),
        ("rules:\n  - {id: 'bad id', category: retry, reason: x, any: [y], examples: [y]}", "id may contain only"),
    ])
    func otherMistakes(yaml: String, expected: String) throws {
        let found = try #require(validationError(yaml).error)
        #expect(found.message.contains(expected), "\(found)")
    }

    @Test("load reports errors in the rules folder with the file name")
    func loadReportsFolderErrors() throws {
        let directory = TestSupport.temporaryDirectory()
        TestSupport.write("rules:\n  - {id: a, category: nope, reason: x, any: [y], examples: [y]}\n", to: directory + "/10-bad.yaml")
        do {
            _ = try Classifier.load(rulesDirectory: directory)
            Issue.record("load accepted a bad rule file")
        } catch let error as RuleFileError {
            #expect(error.file.hasSuffix("10-bad.yaml"))
            #expect(error.ruleID == "a")
        }
    }

    @Test("an empty or missing rules folder is an error, not a classifier that knows nothing")
    func emptyFolder() {
        #expect(throws: RuleFileError.self) { try Classifier.load(rulesDirectory: TestSupport.temporaryDirectory()) }
        #expect(throws: RuleFileError.self) { try Classifier.load(rulesDirectory: "/nonexistent/rules") }
    }

    @Test("user rules take precedence over defaults, and the digest changes")
    func userRulesWin() throws {
        let path = TestSupport.temporaryDirectory() + "/user.yaml"
        TestSupport.write("""
            rules:
              - id: user.acme-softfail
                category: retry
                reason: server_busy
                status: ["5.1.1"]
                examples: [{status: "5.1.1", text: "User unknown"}]
            """, to: path)
        let withUser = try Classifier.load(rulesDirectory: TestSupport.rulesDirectory, userRuleFiles: [path])
        let result = withUser.classify(BounceResponse(smtpCode: 550, enhancedStatus: "5.1.1", diagnostic: "550 5.1.1 User unknown"))
        #expect(result.ruleID == "user.acme-softfail")
        #expect(withUser.rulesDigest != TestSupport.classifier.rulesDigest)
        // Default examples the user rule now decides are reported as shadowed, naming the user rule.
        let shadowed = withUser.exampleMismatches()
        #expect(!shadowed.isEmpty)
        #expect(shadowed.allSatisfy { $0.got.ruleID == "user.acme-softfail" })
    }

    @Test("a user rule cannot suppress when the text blames the sender")
    func userSuppressOverridden() throws {
        let path = TestSupport.temporaryDirectory() + "/user.yaml"
        TestSupport.write("""
            rules:
              - id: user.everything-550
                category: suppress
                reason: user_unknown
                codes: ["550"]
                examples: [{code: 550, text: "550 gone"}]
            """, to: path)
        let classifier = try Classifier.load(rulesDirectory: TestSupport.rulesDirectory, userRuleFiles: [path])
        let blocked = classifier.classify(BounceResponse(smtpCode: 550, diagnostic: "550 Your IP is listed at zen.spamhaus.org"))
        #expect(blocked.category == .sender)
        let plain = classifier.classify(BounceResponse(smtpCode: 550, diagnostic: "550 gone"))
        #expect(plain.category == .suppress)
    }

    @Test("the digest is stable for the same files")
    func digestStable() throws {
        let again = try Classifier.load(rulesDirectory: TestSupport.rulesDirectory)
        #expect(again.rulesDigest == TestSupport.classifier.rulesDigest)
        #expect(again.rulesDigest.count == 16)
    }
}
