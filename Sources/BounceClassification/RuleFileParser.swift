import Yams

/// Reads one YAML rule file into rule definitions, validating every field so that a mistake is
/// reported with its file, rule id and line instead of silently changing classifications.
enum RuleFileParser {
    static let ruleKeys: Set<String> = [
        "id", "category", "reason", "priority", "codes", "status", "any", "all", "none",
        "domains", "mta", "provider", "examples", "note", "source",
    ]
    static let fileKeys: Set<String> = ["rules", "about"]

    static func parse(yaml: String, file: String, isUserRule: Bool) throws(RuleFileError) -> [RuleDefinition] {
        let root: Node?
        do {
            // No implicit tags: every field is read as the type it must be (`.int`, `.string` parse the
            // scalar's text whatever its tag), and resolving them tries regular expressions on every
            // scalar, which was most of `classify --tsv`'s start-up.
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            throw RuleFileError(file: file, message: "malformed YAML: \(error)")
        }
        guard let root else { return [] }
        guard let mapping = root.mapping else {
            throw RuleFileError(file: file, line: line(root), message: "expected a mapping with a `rules:` list at the top")
        }
        for key in mapping.keys {
            let name = key.string ?? ""
            if !fileKeys.contains(name) {
                throw RuleFileError(file: file, line: line(key), message: "unknown top-level key '\(name)' (allowed: rules, about)")
            }
        }
        guard let rulesNode = mapping["rules"] else { return [] }
        if rulesNode.null != nil { return [] }
        guard let sequence = rulesNode.sequence else {
            throw RuleFileError(file: file, line: line(rulesNode), message: "`rules:` must be a list")
        }
        var definitions: [RuleDefinition] = []
        for node in sequence {
            definitions.append(try parseRule(node, file: file, isUserRule: isUserRule))
        }
        return definitions
    }

    private static func parseRule(_ node: Node, file: String, isUserRule: Bool) throws(RuleFileError) -> RuleDefinition {
        guard let yamlMapping = node.mapping else {
            throw RuleFileError(file: file, line: line(node), message: "each rule must be a mapping")
        }
        let mapping = Fields(yamlMapping)
        let ruleID = mapping["id"]?.string
        func fail(_ message: String, at: Node? = nil) -> RuleFileError {
            RuleFileError(file: file, ruleID: ruleID ?? "(no id)", line: line(at ?? node), message: message)
        }
        for (name, key, _) in mapping.entries where !ruleKeys.contains(name ?? "") {
            throw fail("unknown key '\(name ?? "?")' (allowed: \(ruleKeys.sorted().joined(separator: ", ")))", at: key)
        }
        guard let id = ruleID, !id.isEmpty else { throw fail("missing `id`") }
        guard id.utf8.allSatisfy({ isDigit($0) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F }) else {
            throw fail("id may contain only letters, digits, '.', '-' and '_'")
        }
        guard let categoryText = mapping["category"]?.string else { throw fail("missing `category`") }
        guard let category = BounceCategory(rawValue: categoryText) else {
            throw fail("unknown category '\(categoryText)' (allowed: \(BounceCategory.allCases.map(\.rawValue).joined(separator: ", ")))",
                       at: mapping["category"])
        }
        guard let reason = mapping["reason"]?.string, !reason.isEmpty else { throw fail("missing `reason`") }
        guard reason.utf8.allSatisfy({ isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
            throw fail("reason '\(reason)' must be snake_case (a-z, 0-9, _)", at: mapping["reason"])
        }
        var priority = 0
        if let priorityNode = mapping["priority"] {
            guard let value = priorityNode.int else { throw fail("`priority` must be an integer", at: priorityNode) }
            // The rank keeps 11 bits of priority; a larger number would not rank higher, only overflow.
            guard (-1000...1000).contains(value) else { throw fail("`priority` must be between -1000 and 1000", at: priorityNode) }
            priority = value
        }
        var codes: [CodePattern] = []
        for item in try strings(mapping["codes"], key: "codes", fail: fail) {
            guard let pattern = CodePattern(item) else {
                throw fail("bad reply code pattern '\(item)' (use 550, 5xx, 55x or 550-554 within 200-599)", at: mapping["codes"])
            }
            codes.append(pattern)
        }
        var statuses: [StatusPattern] = []
        for item in try strings(mapping["status"], key: "status", fail: fail) {
            guard let pattern = StatusPattern(item) else {
                throw fail("bad status pattern '\(item)' (use 5.7.1, 5.7.*, *.7.1, 4.*.* or 5.7.606-649; class 2/4/5, numbers 0-999)",
                           at: mapping["status"])
            }
            statuses.append(pattern)
        }
        let anyPhrases = try phrases(mapping["any"], key: "any", fail: fail)
        let allPhrases = try phrases(mapping["all"], key: "all", fail: fail)
        let nonePhrases = try phrases(mapping["none"], key: "none", fail: fail)
        var domains = try strings(mapping["domains"], key: "domains", fail: fail).map { $0.lowercased() }
        var mtas = try strings(mapping["mta"], key: "mta", fail: fail).map { $0.lowercased() }
        for name in try strings(mapping["provider"], key: "provider", fail: fail) {
            guard let provider = ProviderDirectory.providers[name.lowercased()] else {
                throw fail("unknown provider '\(name)' (known: \(ProviderDirectory.providers.keys.sorted().joined(separator: ", ")))",
                           at: mapping["provider"])
            }
            domains += provider.domains
            mtas += provider.mtas
        }
        if codes.isEmpty && statuses.isEmpty && anyPhrases.isEmpty && allPhrases.isEmpty {
            throw fail("a rule needs at least one of `codes`, `status`, `any` or `all`")
        }
        guard let examplesNode = mapping["examples"], let exampleNodes = examplesNode.sequence, !exampleNodes.isEmpty else {
            throw fail("a rule needs `examples:`, a non-empty list of responses that must classify to it")
        }
        var examples: [BounceResponse] = []
        for exampleNode in exampleNodes {
            var example = try parseExample(exampleNode, fail: fail)
            if example.recipientDomain == nil, example.remoteMTA == nil {
                example.recipientDomain = domains.first
                if domains.isEmpty { example.remoteMTA = mtas.first }
            }
            examples.append(example)
        }
        return RuleDefinition(
            id: id, category: category, reason: reason, priority: priority, codes: codes, statuses: statuses,
            anyPhrases: anyPhrases, allPhrases: allPhrases, nonePhrases: nonePhrases, domains: domains, mtas: mtas,
            examples: examples, file: file, isUserRule: isUserRule)
    }

    private static func parseExample(_ node: Node, fail: (String, Node?) -> RuleFileError) throws(RuleFileError) -> BounceResponse {
        if let text = node.scalar?.string { return BounceResponse(diagnostic: text) }
        guard let yamlMapping = node.mapping else { throw fail("an example is a string or a mapping with text/code/status/domain/mta", node) }
        let mapping = Fields(yamlMapping)
        for (name, key, _) in mapping.entries where !["text", "code", "status", "domain", "mta"].contains(name ?? "") {
            throw fail("unknown example key '\(name ?? "?")' (allowed: text, code, status, domain, mta)", key)
        }
        var code: Int?
        if let codeNode = mapping["code"] {
            guard let value = codeNode.int else { throw fail("example `code` must be an integer", codeNode) }
            code = value
        }
        return BounceResponse(
            smtpCode: code, enhancedStatus: mapping["status"]?.string, diagnostic: mapping["text"]?.string ?? "",
            recipientDomain: mapping["domain"]?.string?.lowercased(), remoteMTA: mapping["mta"]?.string)
    }

    /// A scalar or a list of scalars.
    private static func strings(_ node: Node?, key: String, fail: (String, Node?) -> RuleFileError) throws(RuleFileError) -> [String] {
        guard let node else { return [] }
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else { throw fail("`\(key)` must be a value or a list of values", node) }
        var result: [String] = []
        for item in sequence {
            guard let text = item.scalar?.string else { throw fail("`\(key)` must list plain values", item) }
            result.append(text)
        }
        return result
    }

    private static func phrases(_ node: Node?, key: String, fail: (String, Node?) -> RuleFileError) throws(RuleFileError) -> [String] {
        var result: [String] = []
        for phrase in try strings(node, key: key, fail: fail) {
            let normalized = PhraseAutomaton.normalize(phrase)
            let (bytes, boundaries) = PhraseAutomaton.boundaryMarkers(normalized)
            guard !bytes.isEmpty, bytes != [0x7C] else { throw fail("`\(key)` has an empty phrase", node) }
            if boundaries & 3 != 0, bytes.contains(0x20) {
                throw fail("`\(key)` phrase '\(phrase)': word-boundary markers '|' are allowed only on phrases without spaces", node)
            }
            result.append(String(decoding: normalized, as: UTF8.self))
        }
        return result
    }

    /// A mapping's entries with each key's text read once: `Node.Mapping`'s subscript builds a node
    /// from the key and compares whole nodes entry by entry, which was a large share of start-up.
    private struct Fields {
        let entries: [(name: String?, key: Node, value: Node)]
        /// The key texts apart, so a lookup compares strings without copying (and retaining) nodes.
        private let names: [String?]

        init(_ mapping: Node.Mapping) {
            var entries: [(name: String?, key: Node, value: Node)] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping { entries.append((key.string, key, value)) }
            self.entries = entries
            names = entries.map(\.name)
        }

        subscript(name: String) -> Node? {
            guard let index = names.firstIndex(of: name) else { return nil }
            return entries[index].value
        }
    }

    private static func line(_ node: Node?) -> Int? { node?.mark.map { $0.line } }
}
