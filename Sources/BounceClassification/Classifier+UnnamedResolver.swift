/// Round 12 (rules-r12c, from `Corpus/open/r12c-own-side-a.tsv`): a resolver's own error that names no name
/// ("SocketException: No such host is known", "[Errno -2] Name or service not known") is what a sending library
/// prints when the host *it* connects to does not resolve — often our own relay, whose failure then repeats for
/// every recipient of the night. With no reply code, no status and no host or domain name in the text, nothing says
/// that the recipient's domain is the one missing, so the suppression becomes a retry (`dns_temporary`). A server's
/// reply ("550 Host not found", "Recipient address rejected: Domain not found") or an error that names the host
/// ("No such host is known (mx.example.com)") keeps its verdict.
extension Classifier {
    /// The resolver libraries' own answers, as rules match them (glibc's EAI_NONAME text, Winsock's and Go's "no such
    /// host"), that say a name failed without saying which. Not "Host not found" or "Host unknown": servers and MTAs
    /// word the recipient's missing domain so ("Host-unknown (host not found): 送信先のドメインが見つかりません").
    static let resolverAnswerPhrases: Set<String> = ["no such host", "name or service not known"]

    static let unnamedResolverRuleID = "guard.resolver_name_unnamed"

    /// `retry` / `dns_temporary` for a domain suppression reached through a bare resolver answer, else nil.
    func unnamedResolverAnswer(_ rule: CompiledRule, phrase: Int, facts: Facts) -> Classification? {
        guard rule.reason == "domain_not_found", facts.code == nil, facts.status == nil, phrase >= 0,
              Self.resolverAnswerPhrases.contains(ruleSet.phrases[phrase]), !Self.namesHost(facts.text) else { return nil }
        return Classification(category: .retry, reason: "dns_temporary", ruleID: Self.unnamedResolverRuleID,
                              evidence: "a resolver error that names no host or domain: whose name failed is unknown")
    }

    /// Whether the text holds a dotted name: a letter, a dot, a letter (`mx.example.com`, `example.org`).
    static func namesHost(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 3 else { return false }
        for index in 1..<(text.count - 1) where text[index] == 0x2E {
            if isLetter(text[index - 1]) && isLetter(text[index + 1]) { return true }
        }
        return false
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26
    }
}
