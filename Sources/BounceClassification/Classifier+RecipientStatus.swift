/// Round 14 (rules-r14a): what the enhanced status says about who is refused, and a transcript's accepted greeting.
extension Classifier {
    /// x.1.1 is "bad destination mailbox address" (RFC 3463): a server that gives it with a block list names the
    /// mailbox's own list ("550 5.1.1 <recipient> sender is blacklisted", Forpsi's per-mailbox blacklist), so a
    /// `recipient_refuses_sender` verdict under it is not withdrawn by the list words. Words naming our IP, a list
    /// service or our authentication still withdraw it (`SafetyGuard.withdrawingPhrase`, `ownBlockStated`).
    static func mailboxStatusOwnsList(_ kind: SafetyGuard.ReasonKind, _ facts: Facts) -> Bool {
        guard kind == .recipientRefuses, let status = facts.status else { return false }
        return status.subject == 1 && status.detail == 1
    }

    /// A default rule's unknown-user verdict under an x.1.3 status ("bad destination mailbox address syntax"): the
    /// status says more than the words ("550 5.1.3 Invalid address"), so the address is malformed. The corpus labels
    /// x.1.3 so in 66 of 71 rows; a user's rule keeps its own reason.
    static func syntaxStatusRefines(_ rule: CompiledRule, _ facts: Facts) -> Bool {
        // The status first: it is two integer tests, the reason a string comparison.
        guard let status = facts.status, status.subject == 1, status.detail == 3 else { return false }
        return !rule.isUserRule && rule.reason == "user_unknown"
    }

    static let malformedAddressReason = "invalid_address"

    /// The guard phrases of the HELO and EHLO commands themselves (`|helo|`, `|ehlo|`).
    static let greetingCommandGuardPhrases: [Int] = SafetyGuard.phrases.indices.filter {
        SafetyGuard.phrases[$0].phrase == "|helo|" || SafetyGuard.phrases[$0].phrase == "|ehlo|"
    }
}

extension TranscriptReplies {
    /// Whether a session typed or logged line by line ("helo localhost", then "250 mx.example.net") had its
    /// HELO/EHLO answered by `250`: the refusal came at a later command, and the greeting names no refusal of us.
    /// Only the last HELO/EHLO line counts, and only a `250` on the line right after it.
    static func greetingAccepted(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = text.count
        var lastCommandEnd = -1
        var lineStart = 0
        while lineStart + 5 <= count {
            if startsWithGreeting(text, at: lineStart) { lastCommandEnd = lineStart + 4 }
            guard let next = nextLine(text, from: lineStart) else { break }
            lineStart = next
        }
        guard lastCommandEnd >= 0, let reply = nextLine(text, from: lastCommandEnd), reply + 3 <= count else { return false }
        return text[reply] == 0x32 && text[reply + 1] == 0x35 && text[reply + 2] == 0x30
    }

    private static let greetingCommands: [[UInt8]] = [Array("helo ".utf8), Array("ehlo ".utf8)]

    private static func startsWithGreeting(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        greetingCommands.contains { command in
            command.indices.allSatisfy { PhraseAutomaton.lowercase(text[start + $0]) == command[$0] }
        }
    }

    /// The start of the line after the one holding `index`, or nil.
    private static func nextLine(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var position = index
        while position < text.count {
            if text[position] == 0x0A { return position + 1 }
            position += 1
        }
        return nil
    }
}
