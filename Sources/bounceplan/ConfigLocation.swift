import ArgumentParser
import BouncePlanning
import Foundation

/// Options every command that needs the rules and policy shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config-dir"), help: ArgumentHelp(
        "Folder holding rules/ and policy.yaml (default: $BOUNCEPLAN_CONFIG_DIR, else ./Config, else the Config folder installed beside the program).",
        valueName: "dir"))
    var configDirectory: String?

    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "Extra rule file that takes precedence over the defaults (repeatable).", valueName: "file"))
    var userRuleFiles: [String] = []

    /// The folder that holds the configuration, or a usage error that says how to point at one.
    func resolvedConfigDirectory() throws -> String {
        try ResourceFolder.locate(
            explicit: configDirectory, environmentVariable: "BOUNCEPLAN_CONFIG_DIR", name: "Config",
            mustContain: "rules", option: "--config-dir")
    }
}

/// Where the planning policy comes from, for the commands that plan.
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policy"), help: ArgumentHelp(
        "Planning policy file (default: policy.yaml in the configuration folder).", valueName: "file"))
    var policyFile: String?

    /// The planning policy: --policy, else policy.yaml beside the rules, else the built-in defaults.
    func load(_ config: ConfigOptions) throws -> PlanningPolicy {
        if let policyFile { return try PlanningPolicy.load(path: policyFile) }
        let path = try config.resolvedConfigDirectory() + "/policy.yaml"
        guard FileManager.default.fileExists(atPath: path) else { return .defaults }
        return try PlanningPolicy.load(path: path)
    }
}

/// Finds the project folders (Config/, Migrations/) a command needs.
enum ResourceFolder {
    /// The explicit folder, else the environment variable's, else `./name`, else the folder installed
    /// beside the program (`../share/bounceplan/name`) or the checkout a build folder sits in.
    static func locate(
        explicit: String?, environmentVariable: String, name: String, mustContain: String?, option: String
    ) throws -> String {
        var candidates: [String] = []
        if let explicit {
            candidates.append(explicit)
        } else {
            if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], !fromEnvironment.isEmpty {
                candidates.append(fromEnvironment)
            }
            candidates.append(name)
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            let beside = executable.deletingLastPathComponent()
            for relative in ["../share/bounceplan/\(name)", "../../../\(name)", "../../../../\(name)"] {
                candidates.append(beside.appendingPathComponent(relative).standardizedFileURL.path)
            }
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            let probe = mustContain.map { candidate + "/" + $0 } ?? candidate
            if FileManager.default.fileExists(atPath: probe, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        throw ValidationError(
            "cannot find the \(name) folder (looked in \(candidates.joined(separator: ", "))): pass \(option) or set \(environmentVariable)")
    }
}
