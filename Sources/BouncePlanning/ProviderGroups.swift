/// Maps a recipient domain to the provider that runs its mail, so that throttles are tracked per
/// provider (Microsoft throttles hotmail.com and outlook.com together) rather than per domain.
///
/// Patterns are exact domains (`gmail.com`) or a name with a wildcard suffix (`hotmail.*`, which
/// matches `hotmail.com`, `hotmail.fr`, `hotmail.co.uk`). A domain no pattern matches is its own
/// group. Lookup is one or two dictionary probes.
public struct ProviderGroups: Sendable, Hashable {
    /// exact domain → group
    private var exact: [String: String]
    /// first label of a `label.*` pattern → group
    private var wildcardPrefixes: [String: String]
    /// The configuration as given: group → patterns, for the digest and for `config check`.
    public private(set) var patternsByGroup: [String: [String]]

    /// No groups: every domain is its own destination.
    public init() {
        exact = [:]
        wildcardPrefixes = [:]
        patternsByGroup = [:]
    }

    /// Builds the lookup from group → patterns; an invalid pattern or a pattern claimed by two
    /// groups is an error.
    public init(patternsByGroup: [String: [String]]) throws(ProviderGroupsError) {
        exact = [:]
        wildcardPrefixes = [:]
        self.patternsByGroup = patternsByGroup
        for group in patternsByGroup.keys.sorted() {
            for rawPattern in patternsByGroup[group] ?? [] {
                let pattern = Self.normalize(rawPattern)
                if pattern.hasSuffix(".*") {
                    let prefix = String(pattern.dropLast(2))
                    guard Self.isPlainName(prefix), !prefix.contains(".") else {
                        throw .invalidPattern(group: group, pattern: rawPattern)
                    }
                    if let other = wildcardPrefixes[prefix], other != group {
                        throw .duplicatePattern(pattern: rawPattern, groups: [other, group])
                    }
                    wildcardPrefixes[prefix] = group
                } else {
                    guard Self.isPlainName(pattern), pattern.contains(".") else {
                        throw .invalidPattern(group: group, pattern: rawPattern)
                    }
                    if let other = exact[pattern], other != group {
                        throw .duplicatePattern(pattern: rawPattern, groups: [other, group])
                    }
                    exact[pattern] = group
                }
            }
        }
    }

    /// The group of `domain` (case and a trailing dot ignored); the domain itself when no pattern matches.
    public func group(forDomain domain: String) -> String {
        let domain = Self.normalize(domain)
        if let group = exact[domain] { return group }
        if let dot = domain.firstIndex(of: "."), let group = wildcardPrefixes[String(domain[..<dot])] {
            return group
        }
        return domain
    }

    /// The group of the domain part of `recipient` (after the last `@`), or of the whole text if it has none.
    public func group(forRecipient recipient: String) -> String {
        group(forDomain: Self.domain(ofRecipient: recipient))
    }

    /// The text after the last `@`, lower-cased.
    public static func domain(ofRecipient recipient: String) -> String {
        guard let at = recipient.lastIndex(of: "@") else { return normalize(recipient) }
        return normalize(String(recipient[recipient.index(after: at)...]))
    }

    private static func normalize(_ text: String) -> String {
        var text = text.lowercased()
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix(".") && !text.contains("..")
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte >= 0x80
            }
    }
}

/// A problem in the provider group configuration.
public enum ProviderGroupsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `name.tld` nor `name.*`.
    case invalidPattern(group: String, pattern: String)
    /// Two groups claim the same pattern.
    case duplicatePattern(pattern: String, groups: [String])

    public var description: String {
        switch self {
        case .invalidPattern(let group, let pattern):
            "group \(group): \"\(pattern)\" is not a domain (example.com) nor a name with a wildcard TLD (example.*)"
        case .duplicatePattern(let pattern, let groups):
            "\"\(pattern)\" is listed under both \(groups.joined(separator: " and "))"
        }
    }
}
