@testable import BounceClassification
import Foundation
import Testing

/// The parsed-rules cache of `Classifier.load(…, cacheDirectory:)`: what it reads back is what the
/// parser gave, and a change to any rule file, or a damaged cache file, never yields stale rules.
@Suite("Rules cache")
struct RulesCacheTests {
    /// Every field a definition carries, as text, so two rule lists compare in one `#expect`.
    private static func fingerprint(_ rules: [RuleDefinition]) -> [String] {
        rules.map { rule in
            let examples = rule.examples.map { "\($0.smtpCode as Any)|\($0.enhancedStatus as Any)|\($0.diagnostic)|\($0.recipientDomain as Any)|\($0.remoteMTA as Any)" }
            return [rule.id, rule.category.rawValue, rule.reason, "\(rule.priority)", "\(rule.codes)", "\(rule.statuses)",
                    "\(rule.anyPhrases)", "\(rule.allPhrases)", "\(rule.nonePhrases)", "\(rule.domains)", "\(rule.mtas)",
                    "\(examples)", rule.file, "\(rule.isUserRule)"].joined(separator: "\u{1}")
        }
    }

    /// A copy of the default rules in a folder of its own, with a user rule file beside it.
    private static func rulesCopy() throws -> (rules: String, user: String, cache: String) {
        let root = TestSupport.temporaryDirectory()
        let rules = root + "/rules"
        try FileManager.default.copyItem(atPath: TestSupport.rulesDirectory, toPath: rules)
        let user = root + "/mine.yaml"
        TestSupport.write("""
            rules:
              - id: mine.vacation-bounce
                category: ignore
                reason: auto_reply
                codes: [550]
                status: 5.9.9
                any: ["|fishing|", "~on vacation"]
                none: back soon
                domains: example.org
                examples:
                  - "I am on vacation, gone fishing"
                  - {text: "on vacation", code: 550, status: 5.9.9, domain: example.org}
            """, to: user)
        return (rules, user, root + "/cache")
    }

    /// The cache's files of one kind: `rules` (definitions) or `automaton` (the built phrase tables).
    private static func cacheFiles(_ directory: String, kind: String = "rules") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(kind + "-") && $0.hasSuffix(".bin") }
    }

    @Test("a cached load gives the parser's definitions, digest and verdicts")
    func roundTrip() throws {
        let (rules, user, cache) = try Self.rulesCopy()
        let parsed = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user])
        let first = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        #expect(Self.cacheFiles(cache).count == 1)
        #expect(Self.cacheFiles(cache, kind: "automaton").count == 1)
        let second = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        for loaded in [first, second] {
            #expect(Self.fingerprint(loaded.rules) == Self.fingerprint(parsed.rules))
            #expect(loaded.rulesDigest == parsed.rulesDigest)
        }
        // The second load read the cache: its definitions are exactly the file's.
        var key = try #require(RulesCache.Key())
        let names = try FileManager.default.contentsOfDirectory(atPath: rules).filter { $0.hasSuffix(".yaml") }.sorted()
        for name in names {
            key.add(file: rules + "/" + name, isUserRule: false, bytes: Array(try #require(FileManager.default.contents(atPath: rules + "/" + name))))
        }
        key.add(file: user, isUserRule: true, bytes: Array(try #require(FileManager.default.contents(atPath: user))))
        let stored = try #require(RulesCache(directory: cache).read(key))
        #expect(Self.fingerprint(stored).sorted() == Self.fingerprint(parsed.rules).sorted())
        for response in parsed.rules.flatMap(\.examples) {
            #expect(second.classify(response) == parsed.classify(response))
        }
    }

    @Test("a changed rule file is parsed again, never read from the cache")
    func changedFile() throws {
        let (rules, user, cache) = try Self.rulesCopy()
        _ = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        // Same length, one byte different: the reason of the user's rule.
        let text = try String(contentsOfFile: user, encoding: .utf8)
        TestSupport.write(text.replacingOccurrences(of: "reason: auto_reply", with: "reason: auto_replz"), to: user)
        let changed = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        #expect(changed.rules.first { $0.id == "mine.vacation-bounce" }?.reason == "auto_replz")
        #expect(Self.cacheFiles(cache).count == 2)
        // A default file added to the folder counts too.
        TestSupport.write("rules:\n  - {id: extra.one, category: retry, reason: greylisted, any: zzqq, examples: [zzqq]}\n",
                          to: rules + "/99-extra.yaml")
        let added = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        #expect(added.rules.contains { $0.id == "extra.one" })
        // And without the user file, the user's rule is gone.
        let withoutUser = try Classifier.load(rulesDirectory: rules, cacheDirectory: cache)
        #expect(!withoutUser.rules.contains { $0.id == "mine.vacation-bounce" })
    }

    @Test("a damaged or foreign cache file is ignored and replaced",
          arguments: ["truncated", "garbage", "empty"], ["rules", "automaton"])
    func damagedFile(damage: String, kind: String) throws {
        let (rules, user, cache) = try Self.rulesCopy()
        let parsed = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user])
        _ = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        let file = cache + "/" + (try #require(Self.cacheFiles(cache, kind: kind).first))
        let bytes = try #require(FileManager.default.contents(atPath: file))
        let damaged: Data = switch damage {
        case "truncated": bytes.prefix(bytes.count / 2)
        case "garbage": Data(bytes.enumerated().map { $0.offset > 40 && $0.offset % 97 == 0 ? ~$0.element : $0.element })
        default: Data()
        }
        _ = FileManager.default.createFile(atPath: file, contents: damaged)
        let loaded = try Classifier.load(rulesDirectory: rules, userRuleFiles: [user], cacheDirectory: cache)
        #expect(Self.fingerprint(loaded.rules) == Self.fingerprint(parsed.rules))
        #expect(FileManager.default.contents(atPath: file) == bytes)
        for response in parsed.rules.flatMap(\.examples) {
            #expect(loaded.classify(response) == parsed.classify(response))
        }
    }

    @Test("automaton bytes read back into tables that find what the built ones find, and only for their own phrases")
    func automatonEncoding() throws {
        let phrases = ["user unknown", "|spam|", "~virus", "mailbox full", "ユーザー不明", "Postfach voll", "unknown"]
            .map(PhraseAutomaton.normalize)
        let built = PhraseAutomaton(phrases: phrases)
        let digest = PhraseAutomaton.digest(of: phrases)
        let bytes = built.encoded(digest: digest)
        let read = try #require(bytes.withUnsafeBytes { PhraseAutomaton(encoded: $0, digest: digest, phraseCount: phrases.count) })
        func found(_ automaton: PhraseAutomaton, _ text: String) -> [UInt64] {
            var matched = [UInt64](repeating: 0, count: automaton.matchedWords)
            var text = text
            text.withUTF8 { bytes in matched.withUnsafeMutableBufferPointer { _ = automaton.scan(bytes, into: $0) } }
            return matched
        }
        for text in ["550 5.1.1 User Unknown", "SPAM detected by spamfilter.example.net", "virus found",
                     "550-5.2.2 mailbox\n550-5.2.2 full", "ユーザー不明です", "Das Postfach ist VOLL", ""] {
            #expect(found(read, text) == found(built, text), "\(text)")
        }
        #expect(bytes.withUnsafeBytes { PhraseAutomaton(encoded: $0, digest: digest &+ 1, phraseCount: phrases.count) } == nil)
        #expect(bytes.withUnsafeBytes { PhraseAutomaton(encoded: $0, digest: digest, phraseCount: phrases.count + 1) } == nil)
        #expect(Array(bytes.dropLast()).withUnsafeBytes { PhraseAutomaton(encoded: $0, digest: digest, phraseCount: phrases.count) } == nil)
    }

    @Test("writing a cache file removes those of other keys older than a week, and only those")
    func staleFiles() throws {
        let (rules, _, cache) = try Self.rulesCopy()
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        for name in ["rules-old.bin", "automaton-old.bin", "rules-recent.bin", "notes-old.txt"] {
            TestSupport.write("x", to: cache + "/" + name)
        }
        let old = Date(timeIntervalSinceNow: -8 * 86_400)
        for name in ["rules-old.bin", "automaton-old.bin", "notes-old.txt"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: cache + "/" + name)
        }
        _ = try Classifier.load(rulesDirectory: rules, cacheDirectory: cache)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: cache))
        #expect(!left.contains("rules-old.bin"))
        #expect(!left.contains("automaton-old.bin"))
        #expect(left.isSuperset(of: ["rules-recent.bin", "notes-old.txt"]))
        // The recent and unrelated files, and this load's definitions and automaton.
        #expect(left.count == 4)
    }

    @Test("an unwritable cache folder only costs the saving")
    func unwritableFolder() throws {
        let (rules, _, cache) = try Self.rulesCopy()
        TestSupport.write("not a folder", to: cache)
        let loaded = try Classifier.load(rulesDirectory: rules, cacheDirectory: cache)
        #expect(loaded.rules.count == TestSupport.classifier.rules.count)
    }

    @Test("the default cache folder follows the environment", arguments: [
        (["BOUNCEPLAN_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"], "/c"),
        (["BOUNCEPLAN_CACHE_DIR": "", "HOME": "/h"], nil),
        (["XDG_CACHE_HOME": "/x", "HOME": "/h"], "/x/bounceplan"),
        (["XDG_CACHE_HOME": "relative", "HOME": "/h"], "/h/.cache/bounceplan"),
        ([:], nil),
    ] as [([String: String], String?)])
    func defaultFolder(environment: [String: String], expected: String?) {
        #expect(RulesCache.defaultDirectory(environment: environment) == expected)
    }
}
