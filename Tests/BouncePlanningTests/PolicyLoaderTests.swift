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
        ("retry:\n  base: 5 minutes\n", "p.yaml:2: retry.base: must be a duration such as 30s, 30m (or 30min), 2h, 7d (got \"5 minutes\")"),
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
        ("storm_guard:\n  max_share: 0.2\n",
         "p.yaml:2: storm_guard.max_share: was replaced by floor, spike_factor and identical_share: the guard now compares each destination with its own normal (see Config/policy.yaml)"),
        ("storm_guard: 5\n", "p.yaml:1: storm_guard: must be a mapping of keys"),
        ("providers:\n  a: [x.com]\n  b: [x.com]\n", "p.yaml:2: providers: \"x.com\" is listed under both a and b"),
        ("- a\n- b\n", "p.yaml:1: must be a mapping of sections (retry, escalation, …)"),
    ])
    func rejectsWithFileKeyAndProblem(yaml: String, message: String) {
        expectRejection(yaml, message)
    }

    /// Every value a run could not use is refused by `config check`, naming the key and the limit
    /// (issue 14: these used to pass and then fail every night with an SQL error).
    @Test(arguments: [
        ("rate_limit:\n  initial_per_hour: 3000000000\n", "p.yaml:2: rate_limit.initial_per_hour: must be at most 2147483647 (got 3000000000)"),
        ("rate_limit:\n  ceiling_per_hour: 99999999999999999999\n",
         "p.yaml:2: rate_limit.ceiling_per_hour: must be at most 2147483647 (got 99999999999999999999)"),
        ("rate_limit:\n  pause_duration: 1000000000000d\n", "p.yaml:2: rate_limit.pause_duration: must be at most 36500d (got 1000000000000d)"),
        ("rate_limit:\n  pause_duration: 99999999999999999999d\n", "p.yaml:2: rate_limit.pause_duration: must be at most 36500d (got 99999999999999999999d)"),
        ("retry:\n  max_age: 40000d\n", "p.yaml:2: retry.max_age: must be at most 36500d (got 40000d)"),
        ("retry:\n  max_attempts: 2147483648\n", "p.yaml:2: retry.max_attempts: must be at most 2147483647 (got 2147483648)"),
        ("retry:\n  base: 500ms\n", "p.yaml:2: retry.base: must be whole seconds (got 500ms)"),
        ("escalation:\n  window: 0s\n", "p.yaml:2: escalation.window: must be longer than 0 (got 0s)"),
        ("escalation:\n  events: 0\n", "p.yaml:2: escalation.events: must be at least 1 (got 0)"),
        ("storm_guard:\n  window: 0m\n", "p.yaml:2: storm_guard.window: must be longer than 0 (got 0m)"),
        ("storm_guard:\n  window: 5s\n", "p.yaml:2: storm_guard.window: must be at least 6s: it is judged in 6 slots"),
        ("storm_guard:\n  identical_share: 120%\n", "p.yaml:2: storm_guard.identical_share: must be a percentage above 0 and at most 100 (got 120%)"),
        ("storm_guard:\n  identical_share: -5%\n", "p.yaml:2: storm_guard.identical_share: must be a percentage above 0 and at most 100 (got -5%)"),
        ("storm_guard:\n  identical_share: 1.5\n", "p.yaml:2: storm_guard.identical_share: must be in (0.0, 1.0] or a percentage such as 80% (got 1.5)"),
        ("storm_guard:\n  floor: 0\n", "p.yaml:2: storm_guard.floor: must be at least 1 (got 0)"),
        ("storm_guard:\n  spike_factor: 1\n", "p.yaml:2: storm_guard.spike_factor: must be in (1.0, 1000.0] (got 1)"),
        ("storm_guard:\n  baseline_nights: 3\n  min_baseline_nights: 5\n",
         "p.yaml:3: storm_guard.min_baseline_nights: must not exceed baseline_nights (5 > 3)"),
        ("rate_limit:\n  floor_per_hour: 6000\n", "p.yaml:2: rate_limit.floor_per_hour: must not exceed ceiling_per_hour (6000 > 5000)"),
        ("rate_limit:\n  decrease_factor: 150%\n", "p.yaml:2: rate_limit.decrease_factor: must be a number (got \"150%\")"),
        ("retry:\n  jitter_fraction: -0.1\n", "p.yaml:2: retry.jitter_fraction: must be in [0.0, 1.0) (got -0.1)"),
        ("sender_issues:\n  critical_recipients: 9999999999\n",
         "p.yaml:2: sender_issues.critical_recipients: must be at most 2147483647 (got 9999999999)"),
    ])
    func refusesValuesTheRunCouldNotUse(yaml: String, message: String) {
        expectRejection(yaml, message)
    }

    @Test func sharesReadAsFractionsOrPercentages() throws {
        #expect(try PlanningPolicy.parse(yaml: "storm_guard:\n  identical_share: 60%\n", file: "p.yaml").stormGuard.identicalShare == 0.6)
        #expect(try PlanningPolicy.parse(yaml: "storm_guard:\n  identical_share: 0.6\n", file: "p.yaml").stormGuard.identicalShare == 0.6)
        #expect(try PlanningPolicy.parse(yaml: "rate_limit:\n  pause_duration: 30min\n", file: "p.yaml").rateLimit.pauseDuration == .seconds(1800))
    }

    private func expectRejection(_ yaml: String, _ message: String) {
        do {
            _ = try PlanningPolicy.parse(yaml: yaml, file: "p.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description == message)
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
