import Digest
/// Every planning policy in force for one run, as loaded from `Config/policy.yaml`.
public struct PlanningPolicy: Sendable, Hashable {
    public var retry: RetryPolicy
    public var escalation: EscalationPolicy
    public var stormGuard: StormGuard
    public var rateLimit: RateLimitPolicy
    public var senderIssues: SenderIssuePolicy
    public var providers: ProviderGroups

    public init(retry: RetryPolicy, escalation: EscalationPolicy, stormGuard: StormGuard, rateLimit: RateLimitPolicy,
                senderIssues: SenderIssuePolicy, providers: ProviderGroups) {
        self.retry = retry
        self.escalation = escalation
        self.stormGuard = stormGuard
        self.rateLimit = rateLimit
        self.senderIssues = senderIssues
        self.providers = providers
    }

    /// The built-in policy; identical to the committed `Config/policy.yaml` (a test holds them together).
    public static let defaults = PlanningPolicy(
        retry: .defaults, escalation: .defaults, stormGuard: .defaults, rateLimit: .defaults,
        senderIssues: .defaults, providers: .defaults)

    /// SHA-256 (hex) of `canonicalText`: changes when a value changes, not when a comment or the
    /// key order does. Recorded in `plan_runs` so every plan can be traced to the policy that made it.
    public var digest: String {
        SHA256.hex(Array(canonicalText.utf8))
    }

    /// One `key=value` line per setting, keys in a fixed order, lists sorted, durations in seconds.
    public var canonicalText: String {
        var lines: [String] = []
        func add(_ key: String, _ value: String) { lines.append("\(key)=\(value)") }
        func seconds(_ duration: Duration) -> String { "\(duration.wholeSeconds)" }
        func list(_ values: some Sequence<String>) -> String { values.sorted().joined(separator: ",") }
        add("retry.base", seconds(retry.base))
        add("retry.factor", "\(retry.factor)")
        add("retry.cap", seconds(retry.cap))
        add("retry.jitter_fraction", "\(retry.jitterFraction)")
        add("retry.max_age", seconds(retry.maxAge))
        add("retry.max_attempts", "\(retry.maxAttempts)")
        add("escalation.events", "\(escalation.requiredEvents)")
        add("escalation.min_spread", seconds(escalation.minimumSpread))
        add("escalation.window", seconds(escalation.window))
        add("escalation.soft_reasons", list(escalation.softReasons))
        add("escalation.count_unknown_5xx", "\(escalation.countUnknown5xx)")
        add("escalation.immediate_reasons", list(escalation.immediateReasons))
        add("storm_guard.floor", "\(stormGuard.floor)")
        add("storm_guard.spike_factor", "\(stormGuard.spikeFactor)")
        add("storm_guard.identical_share", "\(stormGuard.identicalShare)")
        add("storm_guard.baseline_nights", "\(stormGuard.baselineNights)")
        add("storm_guard.min_baseline_nights", "\(stormGuard.minimumBaselineNights)")
        add("storm_guard.window", seconds(stormGuard.window))
        add("storm_guard.unknown_reasons", list(stormGuard.unknownReasons))
        add("rate_limit.initial_per_hour", "\(rateLimit.initialPerHour)")
        add("rate_limit.ceiling_per_hour", "\(rateLimit.ceilingPerHour)")
        add("rate_limit.decrease_factor", "\(rateLimit.decreaseFactor)")
        add("rate_limit.floor_per_hour", "\(rateLimit.floorPerHour)")
        add("rate_limit.increase_per_clean_night", "\(rateLimit.increasePerCleanNight)")
        add("rate_limit.default_hold", seconds(rateLimit.defaultHold))
        add("rate_limit.max_hold", seconds(rateLimit.maximumHold))
        add("rate_limit.pause_reasons", list(rateLimit.pauseReasons))
        add("rate_limit.pause_duration", seconds(rateLimit.pauseDuration))
        add("rate_limit.repeated_rule_fragment", rateLimit.repeatedRuleFragment)
        add("rate_limit.repeated_rule_threshold", "\(rateLimit.repeatedRuleThreshold)")
        add("sender_issues.high_reasons", list(senderIssues.highReasons))
        add("sender_issues.medium_recipients", "\(senderIssues.mediumRecipients)")
        add("sender_issues.high_recipients", "\(senderIssues.highRecipients)")
        add("sender_issues.critical_recipients", "\(senderIssues.criticalRecipients)")
        for group in providers.patternsByGroup.keys.sorted() {
            add("providers.\(group)", list(providers.patternsByGroup[group] ?? []))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ProviderGroups {
    /// The large mailbox providers whose domains share one throttling infrastructure.
    public static let defaults: ProviderGroups = {
        do {
            return try ProviderGroups(patternsByGroup: defaultPatterns)
        } catch {
            // The table below is a constant checked by tests; no grouping is the safe fallback.
            return ProviderGroups()
        }
    }()

    /// The default group → patterns table (also written out in Config/policy.yaml).
    public static let defaultPatterns: [String: [String]] = [
        "google": ["gmail.com", "googlemail.com"],
        "microsoft": ["outlook.*", "hotmail.*", "live.*", "msn.com", "windowslive.com"],
        "yahoo": ["yahoo.*", "aol.com", "ymail.com", "rocketmail.com"],
        "apple": ["icloud.com", "me.com", "mac.com"],
        "united-internet": ["gmx.*", "web.de"],
        "orange": ["orange.fr", "wanadoo.fr"],
        "mailru": ["mail.ru", "list.ru", "bk.ru", "inbox.ru"],
        "yandex": ["yandex.*", "ya.ru"],
        "comcast": ["comcast.net"],
        "tencent": ["qq.com", "foxmail.com"],
        "zoho": ["zoho.com", "zohomail.com"],
        "proton": ["protonmail.com", "proton.me", "pm.me"],
        "fastmail": ["fastmail.com", "fastmail.fm"],
        "att": ["att.net", "sbcglobal.net", "bellsouth.net"],
        "free": ["free.fr"],
        "libero": ["libero.it"],
        "t-online": ["t-online.de"],
        "naver": ["naver.com"],
        "netease": ["163.com", "126.com"],
    ]
}
