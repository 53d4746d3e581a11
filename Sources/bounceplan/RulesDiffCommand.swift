import ArgumentParser
import BounceClassification
import BouncePlanStore
import BouncePlanning
@preconcurrency import Glibc

/// `bounceplan rules diff --rules CANDIDATE.yaml`: what a rule change would do to your own history.
struct RulesDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Preview a rule change on the stored events.",
        discussion: """
            Classifies the events of the window (bounce_events) with the rules in force and again with the \
            --rules files added, and prints how many decisions change, by transition, with sample responses. \
            --max-new-suppressions N exits 1 when the candidate would suppress more than N addresses that \
            are not suppressed today, so a deploy script can stop a bad rule before it runs.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var config: ConfigOptions

    @Option(name: .customLong("current-rules"), help: ArgumentHelp(
        "A rule file already in force (as given to `run --rules`), part of both sides (repeatable).", valueName: "file"))
    var currentRuleFiles: [String] = []

    @Option(help: ArgumentHelp("The window: events that occurred this long ago or later (30d, 12h, 2w), or `all`.",
                               valueName: "duration"))
    var since = "30d"

    @Option(help: ArgumentHelp("Exit 1 when more than N addresses not suppressed today would be suppressed.", valueName: "N"))
    var maxNewSuppressions: Int?

    @Option(help: "Sample responses shown per transition.")
    var samples = 3

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if config.userRuleFiles.isEmpty { throw ValidationError("give the candidate rule file with --rules FILE") }
        if window == .invalid { throw ValidationError("--since \(since.debugDescription) is not a duration (30d, 12h, 2w) or `all`") }
        if let maxNewSuppressions, maxNewSuppressions < 0 { throw ValidationError("--max-new-suppressions must be 0 or more") }
        if samples < 0 { throw ValidationError("--samples must be 0 or more") }
    }

    private enum Window: Equatable { case all, last(Duration), invalid }

    private var window: Window {
        if since.lowercased() == "all" { return .all }
        guard let duration = DurationText.parse(since), duration > .zero else { return .invalid }
        return .last(duration)
    }

    func run() throws {
        let rulesDirectory = try config.resolvedConfigDirectory() + "/rules"
        let current = try Classifier.load(rulesDirectory: rulesDirectory, userRuleFiles: currentRuleFiles)
        let candidate = try Classifier.load(rulesDirectory: rulesDirectory, userRuleFiles: currentRuleFiles + config.userRuleFiles)
        // The schema check only; the comparison opens its own connections.
        _ = try connection.openCurrent()
        let windowDuration: Duration? = if case .last(let duration) = window { duration } else { nil }
        let result = try RulesDiff(settings: connection.settings, current: current, candidate: candidate,
                                   window: windowDuration, samplesPerTransition: samples).run()
        let exceeded = maxNewSuppressions.map { result.newSuppressedAddresses > $0 } ?? false
        let output = RulesDiffOutput(result: result, since: windowDuration == nil ? "all" : since,
                                     maxNewSuppressions: maxNewSuppressions, exceeded: exceeded)
        print(json ? output.json() : output.text(), terminator: "")
        // The verdict follows the figures it refers to, also when both go to one terminal.
        fflush(stdout)
        if exceeded {
            BouncePlanCommand.report("the candidate rules would suppress \(result.newSuppressedAddresses) addresses not suppressed "
                                     + "today, more than --max-new-suppressions \(maxNewSuppressions ?? 0); see the transitions and samples printed")
            throw ExitCode.failure
        }
    }
}

/// The text and JSON forms of a `rules diff` result.
struct RulesDiffOutput {
    let result: RulesDiff.Result
    let since: String
    let maxNewSuppressions: Int?
    let exceeded: Bool

    func text() -> String {
        let tally = result.tally
        var out = "events: \(grouped(tally.events)) (since \(since))\n"
        out += "decisions changed: \(grouped(tally.changed))\n"
        for transition in tally.transitions {
            out += "  \(transition.from) → \(transition.to): \(grouped(transition.count))\n"
            for sample in transition.samples {
                let code = [sample.smtpCode.map(String.init), sample.enhancedStatus].compactMap { $0 }.joined(separator: " ")
                out += "      [\(code.isEmpty ? "-" : code)] \(oneLine(sample.diagnostic))  (\(sample.ruleBefore) → \(sample.ruleAfter))\n"
            }
        }
        out += "same outcome, other rule: \(grouped(tally.ruleChangedOnly))\n"
        out += "new suppressions (addresses not suppressed today): \(grouped(result.newSuppressedAddresses))"
        if let maxNewSuppressions { out += " (limit \(grouped(maxNewSuppressions))\(exceeded ? ", exceeded" : ""))" }
        return out + "\n"
    }

    func json() -> String {
        let tally = result.tally
        let transitions = tally.transitions.map { transition in
            let samples = transition.samples.map { sample in
                "{\"smtp_code\":\(sample.smtpCode.map(String.init) ?? "null"),"
                    + "\"enhanced_status\":\(sample.enhancedStatus.map(ClassificationJSON.quote) ?? "null"),"
                    + "\"diagnostic\":\(ClassificationJSON.quote(sample.diagnostic)),"
                    + "\"rule_before\":\(ClassificationJSON.quote(sample.ruleBefore)),"
                    + "\"rule_after\":\(ClassificationJSON.quote(sample.ruleAfter))}"
            }
            return "{\"from\":\(ClassificationJSON.quote(transition.from)),\"to\":\(ClassificationJSON.quote(transition.to)),"
                + "\"count\":\(transition.count),\"samples\":[\(samples.joined(separator: ","))]}"
        }
        return "{\"since\":\(ClassificationJSON.quote(since)),\"events\":\(tally.events),\"changed\":\(tally.changed),"
            + "\"unchanged\":\(tally.unchanged),\"rule_changed_only\":\(tally.ruleChangedOnly),"
            + "\"transitions\":[\(transitions.joined(separator: ","))],"
            + "\"new_suppressions\":\(result.newSuppressedAddresses),"
            + "\"max_new_suppressions\":\(maxNewSuppressions.map(String.init) ?? "null"),\"exceeded\":\(exceeded)}\n"
    }

    /// 1204 → "1,204".
    private func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Line breaks and tabs of a stored reply shown as spaces, so each sample stays on one line.
    private func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 })
    }
}
