import Digest
import Foundation

extension Classifier {
    /// Loads the default rules from `rulesDirectory` (every `*.yaml`/`*.yml` in it, in name order) and
    /// then the user's rule files, which take precedence (a user rule with a default rule's id replaces it).
    /// Throws `RuleFileError` naming the file, rule and line of the first problem.
    ///
    /// With a `cacheDirectory`, the parsed definitions are kept there (`RulesCache`) and read back by the
    /// next load of byte-identical rule files by the same program, instead of parsing the YAML again.
    public static func load(rulesDirectory: String, userRuleFiles: [String] = [], cacheDirectory: String? = nil) throws -> Classifier {
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
        // Every file is read (and digested, in the digest's order: default files, word model, user files)
        // before anything is parsed, so that a cache key can cover them all.
        var digest = FNV1a64()
        var cacheKey = cacheDirectory == nil ? nil : RulesCache.Key()
        func read(_ path: String, isUserRule: Bool) throws -> String {
            let (bytes, text) = try readFile(path, naming: "the file", digest: &digest)
            cacheKey?.add(file: path, isUserRule: isUserRule, bytes: bytes)
            return text
        }
        let defaultTexts = try names.map { name in
            let path = (rulesDirectory as NSString).appendingPathComponent(name)
            return (path: path, text: try read(path, isUserRule: false))
        }
        let wordModel = try loadWordModel(rulesDirectory: rulesDirectory, digest: &digest)
        let userTexts = try userRuleFiles.map { (path: $0, text: try read($0, isUserRule: true)) }
        let cache = cacheDirectory.flatMap { directory in cacheKey.map { (RulesCache(directory: directory), $0) } }
        let defaults: [RuleDefinition], user: [RuleDefinition]
        if let (cache, key) = cache, let cached = cache.read(key) {
            defaults = cached.filter { !$0.isUserRule }
            user = cached.filter(\.isUserRule)
        } else {
            defaults = try defaultTexts.flatMap { try RuleFileParser.parse(yaml: $0.text, file: $0.path, isUserRule: false) }
            try rejectDuplicates(defaults)
            user = try userTexts.flatMap { try RuleFileParser.parse(yaml: $0.text, file: $0.path, isUserRule: true) }
            try rejectDuplicates(user)
            if let (cache, key) = cache { cache.write(defaults + user, key: key) }
        }
        // The automaton comes from the cache too when it was built for these phrases; else it is built and kept.
        var built: (automaton: PhraseAutomaton, digest: UInt64)? = nil
        let ruleSet = RuleSet(defaults: defaults, user: user) { phrases in
            let phrasesDigest = PhraseAutomaton.digest(of: phrases)
            if let (cache, key) = cache, let bytes = cache.readAutomaton(key),
               let cached = bytes.withUnsafeBytes({ PhraseAutomaton(encoded: $0, digest: phrasesDigest, phraseCount: phrases.count) }) {
                return cached
            }
            let automaton = PhraseAutomaton(phrases: phrases)
            built = (automaton, phrasesDigest)
            return automaton
        }
        if let built, let (cache, key) = cache { cache.writeAutomaton(built.automaton.encoded(digest: built.digest), key: key) }
        return Classifier(ruleSet: ruleSet, rulesDigest: digest.hex, wordModel: wordModel)
    }

    /// Where `classify` keeps its rules cache: `BOUNCEPLAN_CACHE_DIR` (set empty for none), else
    /// `$XDG_CACHE_HOME/bounceplan`, else `~/.cache/bounceplan`.
    public static var defaultCacheDirectory: String? { RulesCache.defaultDirectory() }

    /// The word model of the rules folder (`WordModel.fileName`): optional — without it, responses no
    /// rule matches stay `unknown` — but a file that is there must be valid.
    public static func loadWordModel(rulesDirectory: String) throws -> WordModel? {
        var digest = FNV1a64()
        return try loadWordModel(rulesDirectory: rulesDirectory, digest: &digest)
    }

    private static func loadWordModel(rulesDirectory: String, digest: inout FNV1a64) throws -> WordModel? {
        let path = (rulesDirectory as NSString).appendingPathComponent(WordModel.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try readFile(path, naming: "the word model", digest: &digest).text
        return try WordModel.parse(text, file: path)
    }

    /// Parses and validates one rule file (for `bounceplan rules check`); returns its rules.
    public static func validate(ruleFile path: String) throws -> [RuleDefinition] {
        var digest = FNV1a64()
        let yaml = try readFile(path, naming: "the file", digest: &digest).text
        let rules = try RuleFileParser.parse(yaml: yaml, file: path, isUserRule: true)
        try rejectDuplicates(rules)
        return rules
    }


    /// A rules-folder file's bytes and text, its bytes (and a separator) added to the rules digest.
    private static func readFile(_ path: String, naming what: String, digest: inout FNV1a64) throws -> (bytes: [UInt8], text: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleFileError(file: path, message: "cannot read \(what)")
        }
        let bytes = [UInt8](data)
        digest.add(bytes)
        digest.add([0])
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RuleFileError(file: path, message: "\(what) is not valid UTF-8")
        }
        return (bytes, text)
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
