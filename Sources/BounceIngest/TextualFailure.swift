import Foundation

/// A failed recipient found in the human-readable text of a bounce.
struct TextualFailure: Sendable, Hashable {
    var recipient: String
    var diagnostic: String
    var remoteMTA: String?
    var kind: EventKind
    /// The enhanced status when the text states it apart from the reply (a pasted Status field).
    var status: String? = nil
}

/// The dialect parsers, tried in order; the first that finds recipients wins.
enum BounceTextDialects {
    static let all: [@Sendable (BounceText) -> [TextualFailure]] = [
        TextDeliveryStatus.failures, XMailBounceText.failures, ExchangeBounceText.failures, GmailBounceText.failures, EximBounceText.failures, AngleBlockBounceText.failures,
        LegacyHostNotice.failures,
    ]

    static func failures(in text: BounceText) -> [TextualFailure] {
        for dialect in all {
            let found = dialect(text)
            if !found.isEmpty { return deduplicated(found) }
        }
        return []
    }

    private static func deduplicated(_ failures: [TextualFailure]) -> [TextualFailure] {
        var seen: Set<String> = []
        return failures.filter { seen.insert($0.recipient.lowercased()).inserted }
    }
}

extension Substring {
    /// Number of leading spaces (a tab counts as eight).
    var indentation: Int {
        var count = 0
        for char in self {
            if char == " " { count += 1 } else if char == "\t" { count += 8 } else { break }
        }
        return count
    }
}
