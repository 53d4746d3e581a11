import ArgumentParser
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
        let fileManager = FileManager.default
        var candidates: [String] = []
        if let configDirectory { candidates.append(configDirectory) }
        else {
            if let fromEnvironment = ProcessInfo.processInfo.environment["BOUNCEPLAN_CONFIG_DIR"], !fromEnvironment.isEmpty {
                candidates.append(fromEnvironment)
            }
            candidates.append("Config")
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            let beside = executable.deletingLastPathComponent()
            candidates.append(beside.appendingPathComponent("../share/bounceplan/Config").standardizedFileURL.path)
            // A binary run from the build folder of a checkout finds the checkout's Config/.
            candidates.append(beside.appendingPathComponent("../../../Config").standardizedFileURL.path)
            candidates.append(beside.appendingPathComponent("../../Config").standardizedFileURL.path)
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate + "/rules", isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        throw ValidationError(
            "cannot find the configuration folder (looked in \(candidates.joined(separator: ", "))): pass --config-dir or set BOUNCEPLAN_CONFIG_DIR to a folder holding rules/")
    }
}
