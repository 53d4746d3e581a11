import ArgumentParser
import BouncePlanning

/// `bounceplan config …`: inspect the planning policy.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the planning policy (policy.yaml).",
        subcommands: [ConfigCheckCommand.self])
}

/// `bounceplan config check [FILE]`: validates a policy file and prints its digest and values.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy file and print its digest.",
        discussion: """
            Without FILE, checks policy.yaml in the configuration folder. Exit status 0 when the file \
            is valid, 1 with a message naming the file, the key and the problem when it is not.
            """)

    @Argument(help: ArgumentHelp("The policy file (default: policy.yaml in the configuration folder).", valueName: "file"))
    var file: String?

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let path = try file ?? (config.resolvedConfigDirectory() + "/policy.yaml")
        let policy = try PlanningPolicy.load(path: path)
        print("\(path): valid")
        print("digest: \(policy.digest)")
        if policy == PlanningPolicy.defaults { print("(identical to the built-in defaults)") }
        print(PolicySummary(policy: policy).lines.joined(separator: "\n"))
    }
}

/// The policy in a few human lines.
private struct PolicySummary {
    let policy: PlanningPolicy

    var lines: [String] {
        let retry = policy.retry, escalation = policy.escalation, storm = policy.stormGuard
        let rate = policy.rateLimit, sender = policy.senderIssues
        return [
            "retry: first after \(DurationText.format(retry.base)), ×\(retry.factor) per attempt, at most"
                + " \(DurationText.format(retry.cap)) apart, jitter < \(percent(retry.jitterFraction));"
                + " give up after \(DurationText.format(retry.maxAge)) or \(retry.maxAttempts) retries",
            "escalation: \(escalation.requiredEvents) soft bounces over ≥ \(DurationText.format(escalation.minimumSpread))"
                + " within \(DurationText.format(escalation.window)) (\(escalation.softReasons.sorted().joined(separator: ", "))"
                + (escalation.countUnknown5xx ? ", unknown 5xx" : "") + ")",
            "storm guard: hold when ≥ \(storm.floor) new permanent failures within \(DurationText.format(storm.window))"
                + " reach \(storm.spikeFactor)× the destination's normal (one reply for ≥ \(percent(storm.identicalShare)),"
                + " else twice that) with a user-unknown share above normal; normal = the median of the last"
                + " \(storm.baselineNights) nights once \(storm.minimumBaselineNights) are recorded",
            "rate limit: start \(rate.initialPerHour)/h, ×\(rate.decreaseFactor) per throttled night, floor \(rate.floorPerHour)/h,"
                + " +\(rate.increasePerCleanNight)/h per clean night, lifted at \(rate.ceilingPerHour)/h;"
                + " hold \(DurationText.format(rate.defaultHold)) (≤ \(DurationText.format(rate.maximumHold)));"
                + " pause \(DurationText.format(rate.pauseDuration)) on \(rate.pauseReasons.sorted().joined(separator: ", "))"
                + " or ≥ \(rate.repeatedRuleThreshold) × \(rate.repeatedRuleFragment)",
            "sender issues: high on \(sender.highReasons.joined(separator: ", ")); medium from \(sender.mediumRecipients),"
                + " high from \(sender.highRecipients), critical from \(sender.criticalRecipients) recipients",
            "providers: \(policy.providers.patternsByGroup.count) groups",
        ]
    }

    private func percent(_ share: Double) -> String {
        "\(Int((share * 100).rounded()))%"
    }
}
