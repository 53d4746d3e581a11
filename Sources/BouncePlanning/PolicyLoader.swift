// Foundation only to read the file; it stays out of every other file of the module.
import Foundation
import Yams

extension PlanningPolicy {
    /// Loads and validates a policy file. Sections and keys left out take their defaults;
    /// unknown keys, wrong types and out-of-range values are errors naming the file and key.
    public static func load(path: String) throws(PolicyError) -> PlanningPolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyError(file: path, key: "", problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses and validates policy YAML; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws(PolicyError) -> PlanningPolicy {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PolicyError(file: file, key: "", problem: "not valid YAML: \(error)")
        }
        guard let root else { return .defaults }
        guard let mapping = root.mapping else {
            throw PolicyError(file: file, key: "", problem: "must be a mapping of sections (retry, escalation, …)", line: root.mark?.line)
        }
        var policy = PlanningPolicy.defaults
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            let section = keyNode.string ?? ""
            guard seen.insert(section).inserted else {
                throw PolicyError(file: file, key: section, problem: "appears twice", line: keyNode.mark?.line)
            }
            var reader = try SectionReader(file: file, section: section, node: value)
            switch section {
            case "retry": policy.retry = try reader.retry(defaults: policy.retry)
            case "escalation": policy.escalation = try reader.escalation(defaults: policy.escalation)
            case "storm_guard": policy.stormGuard = try reader.stormGuard(defaults: policy.stormGuard)
            case "rate_limit": policy.rateLimit = try reader.rateLimit(defaults: policy.rateLimit)
            case "sender_issues": policy.senderIssues = try reader.senderIssues(defaults: policy.senderIssues)
            case "providers": policy.providers = try reader.providers()
            default:
                throw PolicyError(
                    file: file, key: section,
                    problem: "unknown section (known: retry, escalation, storm_guard, rate_limit, sender_issues, providers)",
                    line: keyNode.mark?.line)
            }
            try reader.rejectUnknownKeys()
        }
        return policy
    }
}

/// Reads the keys of one section, remembering which were used so that the rest can be rejected.
private struct SectionReader {
    let file: String
    let section: String
    let sectionLine: Int?
    var values: [(key: String, node: Node)] = []
    var used: Set<String> = []

    init(file: String, section: String, node: Node) throws(PolicyError) {
        self.file = file
        self.section = section
        sectionLine = node.mark?.line
        if node.null != nil || node.scalar?.string == "" { return }
        guard let mapping = node.mapping else {
            throw PolicyError(file: file, key: section, problem: "must be a mapping of keys", line: node.mark?.line)
        }
        var names: Set<String> = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard names.insert(key).inserted else {
                throw PolicyError(file: file, key: "\(section).\(key)", problem: "appears twice", line: keyNode.mark?.line)
            }
            values.append((key, value))
        }
    }

    func error(_ key: String, _ problem: String, _ node: Node? = nil) -> PolicyError {
        PolicyError(file: file, key: key.isEmpty ? section : "\(section).\(key)", problem: problem,
                    line: (node ?? values.first { $0.key == key }?.node)?.mark?.line ?? sectionLine)
    }

    mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return values.first { $0.key == key }?.node
    }

    func rejectUnknownKeys() throws(PolicyError) {
        let known = SectionReader.knownKeys[section] ?? []
        if let unknown = values.first(where: { !used.contains($0.key) && !known.contains($0.key) }) {
            let expected = known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"
            throw error(unknown.key, "unknown key\(expected)", unknown.node)
        }
    }

    static let knownKeys: [String: [String]] = [
        "retry": ["base", "factor", "cap", "jitter_fraction", "max_age", "max_attempts"],
        "escalation": ["events", "min_spread", "window", "soft_reasons", "count_unknown_5xx", "immediate_reasons"],
        "storm_guard": ["floor", "spike_factor", "identical_share", "baseline_nights", "min_baseline_nights", "window",
                        "unknown_reasons"],
        "rate_limit": ["initial_per_hour", "ceiling_per_hour", "decrease_factor", "floor_per_hour",
                       "increase_per_clean_night", "default_hold", "max_hold", "pause_reasons", "pause_duration",
                       "repeated_rule_fragment", "repeated_rule_threshold"],
        "sender_issues": ["high_reasons", "medium_recipients", "high_recipients", "critical_recipients"],
    ]

    // MARK: typed values

    private func scalarText(_ key: String, _ node: Node) throws(PolicyError) -> String {
        guard let scalar = node.scalar else { throw error(key, "must be a single value, not a list or mapping", node) }
        return scalar.string.trimmingCharacters(in: .whitespaces)
    }

    mutating func duration(_ key: String, _ fallback: Duration, positive: Bool = true) throws(PolicyError) -> Duration {
        guard let node = node(key) else { return fallback }
        let text = try scalarText(key, node)
        if text.hasPrefix("-") { throw error(key, "must not be negative (got \(text))", node) }
        guard let value = DurationText.parse(text) else {
            if DurationText.isOverflowing(text) {
                throw error(key, "must be at most \(DurationText.format(PolicyLimits.longestDuration)) (got \(text))", node)
            }
            throw error(key, "must be a duration such as \(DurationText.examples) (got \"\(text)\")", node)
        }
        if positive && value <= .zero { throw error(key, "must be longer than 0 (got \(text))", node) }
        if value.components.attoseconds != 0 { throw error(key, "must be whole seconds (got \(text))", node) }
        // Every duration ends up added to a timestamp or sent to PostgreSQL as an interval; a century
        // is far beyond any sensible policy and far inside what both can hold.
        guard value <= PolicyLimits.longestDuration else {
            throw error(key, "must be at most \(DurationText.format(PolicyLimits.longestDuration)) (got \(text))", node)
        }
        return value
    }

    /// A whole number in `minimum...maximum`; the default maximum is what a PostgreSQL `integer` holds,
    /// the column type every count and rate of the plans is stored in.
    mutating func integer(_ key: String, _ fallback: Int, minimum: Int, maximum: Int = PolicyLimits.largestInteger) throws(PolicyError) -> Int {
        guard let node = node(key) else { return fallback }
        let text = try scalarText(key, node)
        guard let value = Int(text) else {
            let digits = text.drop { $0 == "-" || $0 == "+" }
            if !digits.isEmpty, digits.allSatisfy(\.isNumber) {
                throw error(key, "must be at most \(maximum) (got \(text))", node)
            }
            throw error(key, "must be a whole number (got \"\(text)\")", node)
        }
        guard value >= minimum else { throw error(key, "must be at least \(minimum) (got \(value))", node) }
        guard value <= maximum else { throw error(key, "must be at most \(maximum) (got \(value))", node) }
        return value
    }

    /// A share written as a fraction (`0.8`) or a percentage (`80%`), within (0, 1].
    mutating func share(_ key: String, _ fallback: Double) throws(PolicyError) -> Double {
        guard let node = node(key) else { return fallback }
        let text = try scalarText(key, node)
        if text.hasSuffix("%") {
            let number = text.dropLast().trimmingCharacters(in: .whitespaces)
            guard let percent = Double(number), percent.isFinite else {
                throw error(key, "must be a share such as 0.8 or 80% (got \"\(text)\")", node)
            }
            guard percent > 0, percent <= 100 else { throw error(key, "must be a percentage above 0 and at most 100 (got \(text))", node) }
            return percent / 100
        }
        guard let value = Double(text), value.isFinite else {
            throw error(key, "must be a share such as 0.8 or 80% (got \"\(text)\")", node)
        }
        guard value > 0, value <= 1 else { throw error(key, "must be in (0.0, 1.0] or a percentage such as 80% (got \(text))", node) }
        return value
    }

    mutating func number(_ key: String, _ fallback: Double, in range: ClosedRange<Double>, openLower: Bool = false,
                         openUpper: Bool = false) throws(PolicyError) -> Double {
        guard let node = node(key) else { return fallback }
        let text = try scalarText(key, node)
        guard let value = Double(text), value.isFinite else { throw error(key, "must be a number (got \"\(text)\")", node) }
        let lowerOK = openLower ? value > range.lowerBound : value >= range.lowerBound
        let upperOK = openUpper ? value < range.upperBound : value <= range.upperBound
        guard lowerOK, upperOK else {
            let interval = (openLower ? "(" : "[") + "\(range.lowerBound), \(range.upperBound)" + (openUpper ? ")" : "]")
            throw error(key, "must be in \(interval) (got \(text))", node)
        }
        return value
    }

    mutating func flag(_ key: String, _ fallback: Bool) throws(PolicyError) -> Bool {
        guard let node = node(key) else { return fallback }
        let text = try scalarText(key, node)
        guard let value = node.bool else { throw error(key, "must be true or false (got \"\(text)\")", node) }
        return value
    }

    mutating func strings(_ key: String, _ fallback: [String]) throws(PolicyError) -> [String] {
        guard let node = node(key) else { return fallback }
        return try stringList(key, node)
    }

    func stringList(_ key: String, _ node: Node) throws(PolicyError) -> [String] {
        if node.null != nil { return [] }
        guard let sequence = node.sequence else { throw error(key, "must be a list such as [a, b]", node) }
        var result: [String] = []
        for item in sequence {
            guard let text = item.scalar?.string.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                throw error(key, "list items must be non-empty words", item)
            }
            result.append(text)
        }
        return result
    }

    mutating func word(_ key: String, _ fallback: String) throws(PolicyError) -> String {
        guard let node = node(key) else { return fallback }
        return try scalarText(key, node)
    }

    // MARK: sections

    mutating func retry(defaults: RetryPolicy) throws(PolicyError) -> RetryPolicy {
        let policy = RetryPolicy(
            base: try duration("base", defaults.base),
            factor: try number("factor", defaults.factor, in: 1...1000),
            cap: try duration("cap", defaults.cap),
            jitterFraction: try number("jitter_fraction", defaults.jitterFraction, in: 0...1, openUpper: true),
            maxAge: try duration("max_age", defaults.maxAge),
            maxAttempts: try integer("max_attempts", defaults.maxAttempts, minimum: 1))
        if policy.base > policy.cap {
            throw error("base", "must not exceed cap (\(DurationText.format(policy.base)) > \(DurationText.format(policy.cap)))")
        }
        return policy
    }

    mutating func escalation(defaults: EscalationPolicy) throws(PolicyError) -> EscalationPolicy {
        let policy = EscalationPolicy(
            requiredEvents: try integer("events", defaults.requiredEvents, minimum: 1),
            minimumSpread: try duration("min_spread", defaults.minimumSpread, positive: false),
            window: try duration("window", defaults.window),
            softReasons: Set(try strings("soft_reasons", defaults.softReasons.sorted())),
            countUnknown5xx: try flag("count_unknown_5xx", defaults.countUnknown5xx),
            immediateReasons: Set(try strings("immediate_reasons", defaults.immediateReasons.sorted())))
        if policy.minimumSpread > policy.window {
            throw error("min_spread", "must not exceed window (\(DurationText.format(policy.minimumSpread)) > \(DurationText.format(policy.window))): no history could ever qualify")
        }
        return policy
    }

    mutating func stormGuard(defaults: StormGuard) throws(PolicyError) -> StormGuard {
        for retired in ["max_share", "min_recipients"] where values.contains(where: { $0.key == retired }) {
            throw error(retired, "was replaced by floor, spike_factor and identical_share: the guard now compares each"
                + " destination with its own normal (see Config/policy.yaml)")
        }
        let policy = StormGuard(
            floor: try integer("floor", defaults.floor, minimum: 1),
            spikeFactor: try number("spike_factor", defaults.spikeFactor, in: 1...1000, openLower: true),
            identicalShare: try share("identical_share", defaults.identicalShare),
            baselineNights: try integer("baseline_nights", defaults.baselineNights, minimum: 1, maximum: 365),
            minimumBaselineNights: try integer("min_baseline_nights", defaults.minimumBaselineNights, minimum: 1, maximum: 365),
            window: try duration("window", defaults.window),
            unknownReasons: Set(try strings("unknown_reasons", defaults.unknownReasons.sorted())))
        if policy.minimumBaselineNights > policy.baselineNights {
            throw error("min_baseline_nights", "must not exceed baseline_nights (\(policy.minimumBaselineNights) > \(policy.baselineNights))")
        }
        if policy.window < .seconds(Int64(StormGuard.slotsPerWindow)) {
            throw error("window", "must be at least \(StormGuard.slotsPerWindow)s: it is judged in \(StormGuard.slotsPerWindow) slots")
        }
        return policy
    }

    mutating func rateLimit(defaults: RateLimitPolicy) throws(PolicyError) -> RateLimitPolicy {
        let policy = RateLimitPolicy(
            initialPerHour: try integer("initial_per_hour", defaults.initialPerHour, minimum: 1),
            ceilingPerHour: try integer("ceiling_per_hour", defaults.ceilingPerHour, minimum: 1),
            decreaseFactor: try number("decrease_factor", defaults.decreaseFactor, in: 0...1, openLower: true, openUpper: true),
            floorPerHour: try integer("floor_per_hour", defaults.floorPerHour, minimum: 1),
            increasePerCleanNight: try integer("increase_per_clean_night", defaults.increasePerCleanNight, minimum: 1),
            defaultHold: try duration("default_hold", defaults.defaultHold, positive: false),
            maximumHold: try duration("max_hold", defaults.maximumHold),
            pauseReasons: Set(try strings("pause_reasons", defaults.pauseReasons.sorted())),
            pauseDuration: try duration("pause_duration", defaults.pauseDuration),
            repeatedRuleFragment: try word("repeated_rule_fragment", defaults.repeatedRuleFragment),
            repeatedRuleThreshold: try integer("repeated_rule_threshold", defaults.repeatedRuleThreshold, minimum: 1))
        if policy.floorPerHour > policy.ceilingPerHour {
            throw error("floor_per_hour", "must not exceed ceiling_per_hour (\(policy.floorPerHour) > \(policy.ceilingPerHour))")
        }
        if policy.floorPerHour > policy.initialPerHour {
            throw error("floor_per_hour", "must not exceed initial_per_hour (\(policy.floorPerHour) > \(policy.initialPerHour))")
        }
        if policy.initialPerHour > policy.ceilingPerHour {
            throw error("initial_per_hour", "must not exceed ceiling_per_hour (\(policy.initialPerHour) > \(policy.ceilingPerHour))")
        }
        if policy.defaultHold > policy.maximumHold {
            throw error("default_hold", "must not exceed max_hold (\(DurationText.format(policy.defaultHold)) > \(DurationText.format(policy.maximumHold)))")
        }
        return policy
    }

    mutating func senderIssues(defaults: SenderIssuePolicy) throws(PolicyError) -> SenderIssuePolicy {
        let policy = SenderIssuePolicy(
            highReasons: try strings("high_reasons", defaults.highReasons),
            mediumRecipients: try integer("medium_recipients", defaults.mediumRecipients, minimum: 1),
            highRecipients: try integer("high_recipients", defaults.highRecipients, minimum: 1),
            criticalRecipients: try integer("critical_recipients", defaults.criticalRecipients, minimum: 1))
        guard policy.mediumRecipients <= policy.highRecipients, policy.highRecipients <= policy.criticalRecipients else {
            throw error("", "needs medium_recipients ≤ high_recipients ≤ critical_recipients (got \(policy.mediumRecipients), \(policy.highRecipients), \(policy.criticalRecipients))")
        }
        return policy
    }

    /// Every key of `providers` is a group name; its value the list of domain patterns.
    mutating func providers() throws(PolicyError) -> ProviderGroups {
        var patterns: [String: [String]] = [:]
        for (group, node) in values {
            used.insert(group)
            guard !group.isEmpty else { throw error(group, "group names must not be empty", node) }
            patterns[group] = try stringList(group, node)
        }
        do {
            return try ProviderGroups(patternsByGroup: patterns)
        } catch {
            throw self.error("", error.description)
        }
    }
}
