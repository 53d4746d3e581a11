import ArgumentParser
import BounceClassification

/// Classifies one response, or a stream of them with `--tsv`.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify bounce responses.",
        discussion: """
            One response: bounceplan classify "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown"
            Stream: bounceplan classify --tsv < in.tsv, where each line is smtp_code<TAB>enhanced_status<TAB>diagnostic
            (codes may be empty; in the diagnostic \\n is a line break and \\\\ a backslash, as COPY writes them);
            writes category<TAB>reason<TAB>rule_id, one line per input line, in order.
            The parsed rules are cached in $BOUNCEPLAN_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/bounceplan
            or ~/.cache/bounceplan, and reused while the rule files and the program are unchanged.
            """)

    @OptionGroup var config: ConfigOptions

    @Argument(help: "The server's response text (reply code and status are found in it when not given).")
    var text: String?

    @Option(help: "SMTP reply code, e.g. 550.")
    var code: Int?

    @Option(help: "Enhanced status code, e.g. 5.1.1.")
    var status: String?

    @Option(help: "Recipient domain, for provider-scoped rules.")
    var domain: String?

    @Option(help: "Remote MTA host name, for provider-scoped rules.")
    var mta: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Read code<TAB>status<TAB>text lines from stdin, write category<TAB>reason<TAB>rule_id lines.")
    var tsv = false

    func validate() throws {
        if tsv && text != nil { throw ValidationError("--tsv reads stdin; do not pass a response text as well") }
        if !tsv && text == nil && code == nil && status == nil {
            throw ValidationError("give a response text (or --code/--status), or use --tsv")
        }
    }

    func run() throws {
        // The parsed rules are cached (BOUNCEPLAN_CACHE_DIR, else ~/.cache/bounceplan): a stream's
        // start-up was mostly the YAML parse, repeated for unchanged files.
        let classifier = try Classifier.load(
            rulesDirectory: try config.resolvedConfigDirectory() + "/rules", userRuleFiles: config.userRuleFiles,
            cacheDirectory: Classifier.defaultCacheDirectory)
        if tsv {
            try TSVClassifier(classifier: classifier).run(input: 0, output: 1)
            return
        }
        let response = BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text ?? "",
                                      recipientDomain: domain?.lowercased(), remoteMTA: mta)
        let result = classifier.classify(response)
        if json {
            print(ClassificationJSON.render(result, rulesDigest: classifier.rulesDigest))
        } else {
            print("category: \(result.category.rawValue)")
            print("reason:   \(result.reason)")
            print("rule:     \(result.ruleID)")
            print("evidence: \(result.evidence)")
        }
    }
}

/// Hand-written JSON for one classification (keeps the output byte-stable and dependency-free).
enum ClassificationJSON {
    static func render(_ result: Classification, rulesDigest: String) -> String {
        "{\"category\":\(quote(result.category.rawValue)),\"reason\":\(quote(result.reason)),"
            + "\"rule_id\":\(quote(result.ruleID)),\"evidence\":\(quote(result.evidence)),\"rules_digest\":\(quote(rulesDigest))}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
