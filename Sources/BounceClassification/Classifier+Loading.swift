import Foundation

extension Classifier {
    /// Loads the default rules from `rulesDirectory` (every `*.yaml`/`*.yml` in it, in name order) and
    /// then the user's rule files, which take precedence (a user rule with a default rule's id replaces it).
    /// Throws `RuleFileError` naming the file, rule and line of the first problem.
    public static func load(rulesDirectory: String, userRuleFiles: [String] = []) throws -> Classifier {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: rulesDirectory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw RuleFileError(file: rulesDirectory, message: "cannot list the rules folder: \(error.localizedDescription)")
        }
        if names.isEmpty {
            throw RuleFileError(file: rulesDirectory, message: "no *.yaml rule files in the rules folder")
        }
        var digest = FNV1a64()
        var defaults: [RuleDefinition] = []
        for name in names {
            let path = (rulesDirectory as NSString).appendingPathComponent(name)
            defaults += try parseRuleFile(path, isUserRule: false, digest: &digest)
        }
        try rejectDuplicates(defaults)
        let wordModel = try loadWordModel(rulesDirectory: rulesDirectory, digest: &digest)
        var user: [RuleDefinition] = []
        for path in userRuleFiles { user += try parseRuleFile(path, isUserRule: true, digest: &digest) }
        try rejectDuplicates(user)
        return Classifier(ruleSet: RuleSet(defaults: defaults, user: user), rulesDigest: digest.hex, wordModel: wordModel)
    }

    /// The word model of the rules folder (`WordModel.fileName`): optional — without it, responses no
    /// rule matches stay `unknown` — but a file that is there must be valid.
    public static func loadWordModel(rulesDirectory: String) throws -> WordModel? {
        var digest = FNV1a64()
        return try loadWordModel(rulesDirectory: rulesDirectory, digest: &digest)
    }

    private static func loadWordModel(rulesDirectory: String, digest: inout FNV1a64) throws -> WordModel? {
        let path = (rulesDirectory as NSString).appendingPathComponent(WordModel.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try readText(path, naming: "the word model", digest: &digest)
        return try WordModel.parse(text, file: path)
    }

    /// Parses and validates one rule file (for `bounceplan rules check`); returns its rules.
    public static func validate(ruleFile path: String) throws -> [RuleDefinition] {
        var digest = FNV1a64()
        let rules = try parseRuleFile(path, isUserRule: true, digest: &digest)
        try rejectDuplicates(rules)
        return rules
    }

    private static func parseRuleFile(_ path: String, isUserRule: Bool, digest: inout FNV1a64) throws -> [RuleDefinition] {
        let yaml = try readText(path, naming: "the file", digest: &digest)
        return try RuleFileParser.parse(yaml: yaml, file: path, isUserRule: isUserRule)
    }

    /// A rules-folder file's text, its bytes (and a separator) added to the rules digest.
    private static func readText(_ path: String, naming what: String, digest: inout FNV1a64) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFileError(file: path, message: "cannot read \(what)")
        }
        let bytes = [UInt8](data)
        digest.add(bytes)
        digest.add([0])
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleFileError(file: path, message: "\(what) is not valid UTF-8")
        }
        return text
    }

    private static func rejectDuplicates(_ rules: [RuleDefinition]) throws {
        var seen: [String: RuleDefinition] = [:]
        for rule in rules {
            if let first = seen[rule.id] {
                throw RuleFileError(file: rule.file, ruleID: rule.id,
                                    message: "duplicate rule id (first defined in \(first.file))")
            }
            seen[rule.id] = rule
        }
    }
}

/// 64-bit FNV-1a: small, stable across platforms and releases, enough to tell rule sets apart.
struct FNV1a64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }
    }

    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
