/// Where a rule sits in the decision order. Earlier tiers win: the text is the best signal, a
/// provider's own conventions next, then the enhanced status code, then the reply code.
public enum RuleTier: Int, Sendable, Comparable, CustomStringConvertible {
    /// Has text phrase conditions (`any` / `all`).
    case text = 0
    /// No phrases, but scoped to a recipient domain or remote MTA.
    case provider = 1
    /// Decided by the enhanced status code (and perhaps the reply code).
    case status = 2
    /// Decided by the reply code alone.
    case code = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .text: "text"
        case .provider: "provider"
        case .status: "status"
        case .code: "code"
        }
    }
}

/// One classification rule as written in a rule file, before phrases are compiled.
public struct RuleDefinition: Sendable {
    /// Unique id, reported with every classification the rule decides.
    public var id: String
    /// What the mailing system should do when the rule decides.
    public var category: BounceCategory
    /// Fine-grained reason from the documented vocabulary (Config/rules/README.md).
    public var reason: String
    /// Higher wins among rules of the same tier; default 0.
    public var priority: Int
    var codes: [CodePattern]
    var statuses: [StatusPattern]
    /// At least one must occur (normalized phrases).
    public var anyPhrases: [String]
    /// All must occur.
    public var allPhrases: [String]
    /// None may occur.
    public var nonePhrases: [String]
    /// Recipient domains (suffix match on whole labels); the rule applies when this or `mtas` matches.
    public var domains: [String]
    /// Remote MTA host names (suffix match on whole labels).
    public var mtas: [String]
    /// Responses that must classify to this rule.
    public var examples: [BounceResponse]
    /// The file the rule came from, for messages.
    public var file: String
    /// Whether the rule came from a user rule file (user rules take precedence over defaults).
    public var isUserRule: Bool

    /// The tier follows from which conditions the rule has.
    public var tier: RuleTier {
        if !anyPhrases.isEmpty || !allPhrases.isEmpty { return .text }
        if !domains.isEmpty || !mtas.isEmpty { return .provider }
        if !statuses.isEmpty { return .status }
        return .code
    }

    /// The narrowest status pattern's width (smaller is more specific); codes break ties.
    var specificityWidth: Int {
        let statusWidth = statuses.map(\.width).min() ?? 3_000_000
        let codeWidth = codes.map(\.codes.count).min() ?? 400
        return statusWidth * 1000 + codeWidth
    }
}

/// A rule compiled for matching: phrases replaced by automaton ids, position in the decision order
/// fixed, and the fields the matcher reads copied out flat (a class, so the hot path passes one reference).
final class CompiledRule: Sendable {
    let definition: RuleDefinition
    /// Position in the global decision order; lower wins.
    let order: Int
    let anyIDs: [Int]
    let allIDs: [Int]
    let noneIDs: [Int]
    let id: String
    let reason: String
    let category: BounceCategory
    let isUserRule: Bool
    let priority: Int
    let tier: RuleTier
    let codes: [CodePattern]
    let statuses: [StatusPattern]
    let domains: [String]
    let mtas: [String]
    /// The fixed part of a text rule's rank (user rule, priority, provider scope, file order); the
    /// length of the matched phrase is added at match time, so a longer, more specific phrase wins
    /// among rules of equal priority.
    let rankBase: UInt64
    /// Evidence reported for status and code rules, built once.
    let staticEvidence: String
    /// How the safety guard treats this rule's reason, resolved once.
    let reasonKind: SafetyGuard.ReasonKind
    /// The decision's questions about this rule that compare its reason with fixed names
    /// (`Classifier.isUnexplainedRefusal` and the like), answered once: as string comparisons they ran
    /// for most responses.
    let roles: Roles

    /// See `roles`.
    struct Roles: OptionSet {
        let rawValue: UInt8
        static let unexplainedRefusal = Roles(rawValue: 1)
        static let genericTemporaryWording = Roles(rawValue: 2)
        static let messageJudgement = Roles(rawValue: 4)
        static let genericCodeVerdict = Roles(rawValue: 8)
        static let genericWaitWording = Roles(rawValue: 16)
        static let yieldsToLimitStatement = Roles(rawValue: 32)
        static let mayHideRecipientOwnBlock = Roles(rawValue: 64)
        /// A default text rule that reads a syntax or protocol complaint with no subject (`sender` / `protocol_error`).
        static let genericSyntaxComplaint = Roles(rawValue: 128)
    }

    init(definition: RuleDefinition, order: Int, anyIDs: [Int], allIDs: [Int], noneIDs: [Int]) {
        self.definition = definition
        self.order = order
        self.anyIDs = anyIDs
        self.allIDs = allIDs
        self.noneIDs = noneIDs
        id = definition.id
        reason = definition.reason
        category = definition.category
        reasonKind = SafetyGuard.ReasonKind(reason: definition.reason)
        isUserRule = definition.isUserRule
        priority = definition.priority
        tier = definition.tier
        codes = definition.codes
        statuses = definition.statuses
        domains = definition.domains
        mtas = definition.mtas
        switch definition.tier {
        case .status: staticEvidence = "status " + definition.statuses.map(\.description).joined(separator: "|")
        case .code: staticEvidence = "reply code " + definition.codes.map(\.description).joined(separator: "|")
        case .provider, .text: staticEvidence = ""
        }
        let priority = UInt64(min(max(definition.priority, -1024), 1023) + 1024)
        let scoped: UInt64 = definition.domains.isEmpty && definition.mtas.isEmpty ? 0 : 1
        rankBase = (definition.isUserRule ? 1 << 61 : 0) | priority << 49 | scoped << 48 | UInt64(0xFFFF_FFFF - UInt32(order))
        var roles: Roles = []
        let reason = definition.reason, tier = definition.tier, category = definition.category
        if !definition.isUserRule {
            if tier == .text && category == .sender && reason == "policy_rejection" { roles.insert(.unexplainedRefusal) }
            if definition.priority < 0 && category == .retry && reason == "temporary_failure" { roles.insert(.genericTemporaryWording) }
            if tier == .text && category == .content && (reason == "spam_content" || reason == "virus" || reason == "content_policy") {
                roles.insert(.messageJudgement)
            }
            if (tier == .status || tier == .code)
                && (reason == "permanent_failure" || reason == "temporary_failure" || reason == "policy_rejection") {
                roles.insert(.genericCodeVerdict)
            }
            // Round 15: the catch-all temporary security status ("4.7.*", read as a deferral of us) is a guess from the
            // subject alone: where no text rule matched, the words' families may name the cause ("450 4.7.320 Certificate
            // validation failed" is a TLS fault, not a throttle); with nothing named, the status still decides.
            if tier == .status && category == .ratelimit && !definition.statuses.isEmpty
                && definition.statuses.allSatisfy({ $0.subject == 7 && $0.details.count >= 1000 }) {
                roles.insert(.genericCodeVerdict)
            }
            if tier == .text && definition.priority < 0 && category == .retry && (reason == "temporary_failure" || reason == "server_busy") {
                roles.insert(.genericWaitWording)
            }
            switch tier {
            case .text:
                if roles.contains(.unexplainedRefusal) || roles.contains(.genericWaitWording) { roles.insert(.yieldsToLimitStatement) }
                if category == .sender && (reason == "sender_banned" || reason == "ip_blocklisted" || reason == "reputation") {
                    roles.insert(.yieldsToLimitStatement)
                }
            case .status, .code:
                if reason == "temporary_failure" || reason == "server_busy" || reason == "permanent_failure" || reason == "policy_rejection" {
                    roles.insert(.yieldsToLimitStatement)
                }
            case .provider:
                break
            }
            let hidesBlock = category == .sender
                && (reason == "ip_blocklisted" || reason == "domain_blocklisted" || reason == "policy_rejection" || reason == "sender_banned")
            if hidesBlock || category == .unknown { roles.insert(.mayHideRecipientOwnBlock) }
            if tier == .text && category == .sender && reason == "protocol_error" { roles.insert(.genericSyntaxComplaint) }
        }
        self.roles = roles
    }

    /// The rank of this (text) rule when matched through a phrase of `phraseLength` bytes; higher wins.
    @inline(__always) func rank(phraseLength: Int) -> UInt64 {
        rankBase | UInt64(min(phraseLength, 0xFFFF)) << 32
    }
}
