/// Round 16b: who a wait is about. Generic wait wording ("try again later", "service temporarily unavailable", "temporarily
/// rejected") says nothing of whose fault the wait is; the words around it may name our IP or network as the one refused
/// ("Service temporarily unavailable, your IP 192.0.2.1 is blocked, try again later"): a refusal of us, `sender`. The blind
/// part's aggregates showed `sender` rows coming out `retry` through generic wait wording (28 at the start of round 16).
/// Read as structure — the subject of a refusal word — not as phrases.
///
/// Tried and withdrawn the same round: a deferral whose subject is our traffic ("Messages from 192.0.2.1 temporarily
/// deferred", "your messages are deferred") as a throttle (`ratelimit`). It moved one row of the unread parts, from right
/// (`retry`) to wrong, and none of the 18 `ratelimit` rows that come out `retry` through generic wait wording.
extension WordCues {
    /// A refusal of our IP, host or network stated inside wait wording: a block or a negated permission whose subject is
    /// ours ("your IP 192.0.2.1 is blocked", "access from your network is restricted", "your server is not allowed"), or a
    /// refusal act whose subject is our IP ("connection from unknown IP rejected"). Nil when a recipient is the one refused,
    /// when the wait is a greylisting's "not yet authorized" (the negation must stand right before the permission), or when
    /// the destination says it is busy beside a refusal act (a busy server refuses connections).
    static func refusalOfUs(_ text: UnsafeBufferPointer<UInt8>) -> Cue? {
        withWords(of: text, orIfTooShort: nil) { refusalOfUs($0) }
    }

    static func refusalOfUs(_ words: Words) -> Cue? {
        let all = words.all
        guard !all.isDisjoint(with: [.blocked, .permission, .refusal]) else { return nil }
        guard recipientRefusal(words) == nil else { return nil }
        for index in 0..<words.count {
            let word = words.at(index)
            let state = word.contains(.blocked) || (word.contains(.permission) && words.at(index - 1).contains(.negation))
            let act = word.contains(.refusal) && !all.contains(.busy)
            guard state || act else { continue }
            let verb = word.contains(.permission) ? index - 1 : index
            guard let position = nearestSubject(words, before: verb) else { continue }
            let subject = words.at(position)
            // Our IP by name; for a state, also "your network", "your server" (an act needs the IP: "your connection was
            // refused" may be a busy server's).
            let ours = subject.contains(.ourNoun) || (state && (subject.contains(.yours) || words.at(position - 1).contains(.yours)))
            guard ours else { continue }
            return subject.contains(.ourNoun) && word.contains(.blocked) ? waitRefusedIP : waitRefusedUs
        }
        return nil
    }

    /// Words that may stand between a subject and its verb without changing it: "temporarily", "is", "has been".
    private static func isFiller(_ word: WordClass) -> Bool {
        word.isSubset(of: .temporary)
    }

    /// The position of the nearest word of substance in the four words before `verb`, skipping fillers.
    private static func nearestSubject(_ words: Words, before verb: Int) -> Int? {
        var position = verb - 1
        while position >= max(0, verb - 4) {
            if !isFiller(words.at(position)) { return position }
            position -= 1
        }
        return nil
    }

    /// A refused or dropped connection beside "too many" of our messages or connections, throttling or concurrency: the
    /// refusal is the limit's effect ("421 Connection refused. Too many messages received from your IP. Try again later.").
    /// Only those strong shapes: the limit statement's weaker ones ("over" a count) also read "error over network connection".
    static func connectionRefusedForVolume(_ text: UnsafeBufferPointer<UInt8>) -> Cue? {
        withWords(of: text, orIfTooShort: nil) { words in
            var strong = !words.all.isDisjoint(with: [.throttle, .concurrent])
            for index in 0..<words.count where words.at(index).contains(.too) && words.at(index + 1).contains(.many) { strong = true }
            return strong ? limitStatement(words) : nil
        }
    }

    static let waitRefusedIP = Cue(.sender, "ip_blocklisted", "family.refusal-of-us",
                               "our IP said to be blocked inside wait wording: the wait is a refusal of us")
    static let waitRefusedUs = Cue(.sender, "policy_rejection", "family.refusal-of-us",
                               "our IP, host or network said to be refused inside wait wording: the wait is a refusal of us")
}
