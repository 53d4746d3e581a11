import Testing
import BouncePlanning

@Suite struct PolicyLoaderTests {
    @Test func committedPolicyFileEqualsTheDefaults() throws {
        let loaded = try PlanningPolicy.load(path: configDirectory + "/policy.yaml")
        #expect(loaded == PlanningPolicy.defaults)
        #expect(loaded.digest == PlanningPolicy.defaults.digest)
    }

    @Test func digestIsStableHexAndFollowsValuesNotLayout() throws {
        let digest = PlanningPolicy.defaults.digest
        #expect(digest.count == 64)
        #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
        let reformatted = try PlanningPolicy.parse(yaml: "# a comment\nretry: {base: 300s, cap: 4h}\n", file: "x.yaml")
        #expect(reformatted.digest == digest)
        let changed = try PlanningPolicy.parse(yaml: "retry:\n  base: 6m\n", file: "x.yaml")
        #expect(changed.digest != digest)
        #expect(changed.retry.base == .seconds(360))
    }

    @Test func emptyFileMeansDefaults() throws {
        #expect(try PlanningPolicy.parse(yaml: "", file: "empty.yaml") == .defaults)
        #expect(try PlanningPolicy.parse(yaml: "retry:\n", file: "x.yaml") == .defaults)
    }

    @Test func providersReplaceTheDefaultTable() throws {
        let policy = try PlanningPolicy.parse(yaml: "providers:\n  acme: [acme.com, acme.*]\n", file: "p.yaml")
        #expect(policy.providers.group(forDomain: "acme.co.uk") == "acme")
        #expect(policy.providers.group(forDomain: "gmail.com") == "gmail.com")
    }

    @Test(arguments: [
        ("retry:\n  factor: 0.5\n", "p.yaml:2: retry.factor: must be in [1.0, 1000.0] (got 0.5)"),
        ("retry:\n  base: -5m\n", "p.yaml:2: retry.base: must not be negative (got -5m)"),
        ("retry:\n  cap: 0s\n", "p.yaml:2: retry.cap: must be longer than 0 (got 0s)"),
        ("retry:\n  base: 5 minutes\n", "p.yaml:2: retry.base: must be a duration such as 300s, 5m, 1h, 7d (got \"5 minutes\")"),
        ("retry:\n  base: 2h\n  cap: 1h\n", "p.yaml:2: retry.base: must not exceed cap (2h > 1h)"),
        ("retry:\n  jitter_fraction: 1\n", "p.yaml:2: retry.jitter_fraction: must be in [0.0, 1.0) (got 1)"),
        ("retry:\n  max_attempts: 0\n", "p.yaml:2: retry.max_attempts: must be at least 1 (got 0)"),
        ("retry:\n  bases: 5m\n",
         "p.yaml:2: retry.bases: unknown key (known: base, factor, cap, jitter_fraction, max_age, max_attempts)"),
        ("retries:\n  base: 5m\n",
         "p.yaml:1: retries: unknown section (known: retry, escalation, storm_guard, rate_limit, sender_issues, providers)"),
        ("rate_limit:\n  floor_per_hour: 2000\n", "p.yaml:2: rate_limit.floor_per_hour: must not exceed initial_per_hour (2000 > 1000)"),
        ("rate_limit:\n  initial_per_hour: 9000\n", "p.yaml:2: rate_limit.initial_per_hour: must not exceed ceiling_per_hour (9000 > 5000)"),
        ("rate_limit:\n  decrease_factor: 1\n", "p.yaml:2: rate_limit.decrease_factor: must be in (0.0, 1.0) (got 1)"),
        ("escalation:\n  min_spread: 40d\n",
         "p.yaml:2: escalation.min_spread: must not exceed window (40d > 30d): no history could ever qualify"),
        ("escalation:\n  soft_reasons: mailbox_full\n", "p.yaml:2: escalation.soft_reasons: must be a list such as [a, b]"),
        ("escalation:\n  count_unknown_5xx: maybe\n", "p.yaml:2: escalation.count_unknown_5xx: must be true or false (got \"maybe\")"),
        ("storm_guard:\n  max_share: 0\n", "p.yaml:2: storm_guard.max_share: must be in (0.0, 1.0] (got 0)"),
        ("storm_guard: 5\n", "p.yaml:1: storm_guard: must be a mapping of keys"),
        ("providers:\n  a: [x.com]\n  b: [x.com]\n", "p.yaml:2: providers: \"x.com\" is listed under both a and b"),
        ("- a\n- b\n", "p.yaml:1: must be a mapping of sections (retry, escalation, …)"),
    ])
    func rejectsWithFileKeyAndProblem(yaml: String, message: String) {
        #expect {
            _ = try PlanningPolicy.parse(yaml: yaml, file: "p.yaml")
        } throws: { error in
            (error as? PolicyError)?.description == message
        }
    }

    @Test func unreadableFileIsAnError() {
        #expect {
            _ = try PlanningPolicy.load(path: "/nonexistent/policy.yaml")
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.file == "/nonexistent/policy.yaml" && error.problem.hasPrefix("cannot read the file")
        }
    }

    @Test func duplicateKeysAreAnError() {
        #expect {
            _ = try PlanningPolicy.parse(yaml: "retry:\n  base: 5m\n  base: 6m\n", file: "p.yaml")
        } throws: { error in
            (error as? PolicyError)?.description.contains("duplicated key(s): 'base'") == true
        }
    }

    @Test func invalidYAMLIsAnError() {
        #expect(throws: PolicyError.self) { _ = try PlanningPolicy.parse(yaml: "retry: [unclosed\n", file: "p.yaml") }
    }
}
