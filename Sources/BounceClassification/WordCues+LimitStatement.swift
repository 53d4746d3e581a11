extension WordCues {
    /// A limit on our sending that the words say was hit, read as a structure rather than a phrase: "too many" of
    /// our messages, connections or recipients; throttling; sending "too fast"; a limit, maximum, rate or quota
    /// said to be reached, exceeded, exhausted or hit; a count per period ("only 10 messages per day").
    ///
    /// Servers wrap such a statement in words that also fit other causes ("try again later", "temporarily",
    /// "service unavailable", "policy", "acceptable use"), and the rules that read those words used to win (round 12:
    /// about one blind row in six expected `ratelimit` came out `retry` or `sender` that way). A stated limit says
    /// more than any of them, so `Classifier.yieldsToLimitStatement` lets it decide over such verdicts.
    ///
    /// Not a limit on our sending, so nil: abuse named anywhere (spam, unsolicited, suspicious, compromised: our
    /// account or IP is held for what it sent, a refusal of us); a limit of time (an expiry), of size or length (the
    /// message), or of the recipient's storage ("mailbox quota", "disk quota", "User quota exceeded" — a full
    /// mailbox); "too many" unknown or invalid recipients (the list's quality).
    static func limitStatement(_ text: UnsafeBufferPointer<UInt8>) -> Cue? {
        withWords(of: text, orIfTooShort: nil) { limitStatement($0) }
    }

    static func limitStatement(_ words: Words) -> Cue? {
        let all = words.all
        guard all.isDisjoint(with: .abuse) else { return nil }
        guard !all.isDisjoint(with: [.too, .throttle, .concurrent, .limit, .quota, .per, .reached, .fast, .intensity]) else { return nil }
        // A mailbox, inbox, storage or disk said to be full or over: the recipient's storage, whatever limit is named.
        if all.contains(.storage) {
            for index in 0..<words.count where words.at(index).contains(.storage) && !words.at(index).contains(.quota) {
                if words.near(index, -3...3, [.full, .reached]) { return nil }
            }
        }
        for index in 0..<words.count {
            let word = words.at(index)
            if word.contains(.too), words.at(index + 1).contains(.many) {
                // "Too many invalid recipients", "too many unknown users": the list's quality, a refusal of us.
                if words.near(index + 1, 1...2, .gone) { return nil }
                // "This bounce message has too many recipients": who may receive bounces, a policy, not our volume.
                if words.near(index, -4 ... -1, .contentNoun) { return nil }
                if words.near(index + 1, 1...3, .recipientsWord) { return perMessage(words) ? limitRecipients : kind(words) }
                if words.near(index + 1, 1...3, .rateNoun) { return kind(words) }
                // Round 15: "too much mail from 192.0.2.1", "too much email in a short time per hour": the volume of our
                // sending, when its sender or a period is named with it (not "too much mail data", which NTT docomo says of
                // a full mailbox, nor "too much data" alone, a size).
                if words.at(index + 2).contains(.sizeNoun), !words.at(index + 3).contains(.sizeNoun),
                   !words.near(index + 2, 1...3, [.storage, .sizeWord]),
                   words.near(index + 2, 1...4, [.senderMark, .ourNoun, .sending, .timeUnit, .per, .period]) {
                    return kind(words)
                }
            }
            if word.contains(.throttle) || word.contains(.concurrent) { return limitRate }
            if word.contains(.fast), words.at(index - 1).contains(.too) || words.at(index + 1).contains(.comparison) { return limitRate }
            if !word.isDisjoint(with: [.limit, .quota]), words.near(index, -4...4, .reached) {
                if let cue = limitHit(words, at: index) { return cue }
            }
            // "Sending rate too high", "frequency is too high", round 15: "the rate of messages from your IP is too high"
            // (not "too large": a size).
            if word.contains(.rate), let too = (1...6).first(where: { words.at(index + $0).contains(.too) }),
               words.at(index + too + 1).isDisjoint(with: .big) {
                return limitRate
            }
            // A count of our messages, connections or recipients exceeded: "exceeded 100 messages in 1 hour",
            // "number of connections exceeded" (not a hop or retry count, a size, the destination's resources).
            // Round 15: a deferral word further back is the sentence before ("Please try later. Message count exceeded"); a
            // retry right before the count is an age ("retry count exceeded").
            if word.contains(.reached), words.near(index, -3...3, [.rateNoun, .recipientsWord]),
               !words.near(index, -3...3, [.time, .busy, .sizeWord, .big, .contentNoun]), !words.near(index, -2...1, .temporary) {
                return kind(words)
            }
            // Round 15: a high, excessive or unusual amount of our mail ("a high volume of email from your account", "your IP
            // is sending a high number of messages") — only when we are named, not the destination's own load ("our servers
            // are experiencing high volume").
            if word.contains(.intensity), words.near(index, 1...3, .rateNoun),
               !words.all.isDisjoint(with: [.senderMark, .ourNoun, .sending]) {
                return kind(words)
            }
            // "only 10 messages per day", "recipients per hour exceeded", "5 recipients per 5 minutes allowed"; round 15:
            // a count per party or channel is a limit on our sending too ("only 2 connections are allowed per IP",
            // "50 recipients per sender per hour", "too many emails per connection"), and recipients per message are
            // the message's recipient limit.
            if !word.isDisjoint(with: [.rateNoun, .recipientsWord]), words.near(index, 1...3, .per) {
                for offset in 1...3 where words.at(index + offset).contains(.per) {
                    if words.near(index + offset, 1...2, .timeUnit) { return kind(words) }
                    let party = words.at(index + offset + 1)
                    if !party.isDisjoint(with: perParty) { return kind(words) }
                    if party.contains(.sizeNoun), word.contains(.recipientsWord) { return limitRecipients }
                }
            }
            // Round 15: a limit on our sending named in a deferral without saying it was hit ("temporary failure:
            // connection limit", "please try later, sending limit for your account"): the deferral is the limit's effect.
            if word.contains(.limit), words.all.contains(.temporary),
               words.near(index, -2...2, [.rateNoun, .recipientsWord, .sending, .connection]),
               !words.near(index, -4...4, [.time, .busy, .sizeWord, .big, .contentNoun, .storage]) {
                return kind(words)
            }
        }
        return nil
    }

    /// The limit or quota word at `index` is said to be hit: which limit it is, or nil when it is not our sending's.
    private static func limitHit(_ words: Words, at index: Int) -> Cue? {
        // Time, size or length, the message's parts: an expiry or the message, not our rate; the destination's own
        // resources ("resource limit exceeded") are its load.
        if words.near(index, -3...3, [.time, .busy]) { return nil }
        if words.near(index, -4...4, [.sizeWord, .big, .contentNoun]) { return nil }
        // Storage other than a quota ("mailbox", "inbox", "storage", "disk") is the recipient's.
        for offset in -4...4 where offset != 0 {
            let near = words.at(index + offset)
            if near.contains(.storage), !near.contains(.quota) { return nil }
        }
        let isQuota = words.at(index).contains(.quota) && !words.at(index).contains(.limit)
        if isQuota {
            // A quota is the recipient's storage ("User quota exceeded", "Mail quota exceeded") unless our sending,
            // a period or a count of messages is named with it ("sending quota", "daily quota", "message count quota").
            let ours: WordClass = [.sending, .period, .rate, .per, .timeUnit, .rateNoun, .recipientsWord]
            guard words.near(index, -5...5, ours) else { return nil }
        }
        if words.near(index, -4...4, .recipientsWord), perMessage(words) { return limitRecipients }
        return kind(words)
    }

    /// Who or what a count is "per" when it is not a period: our IP, sender, client or host, a connection or session.
    private static let perParty: WordClass = [.ourNoun, .senderMark, .domainNoun, .connection, .rateNoun]

    /// Recipients counted per message, not per period: no period, rate, "per", time unit or "try again" anywhere.
    private static func perMessage(_ words: Words) -> Bool {
        words.all.isDisjoint(with: [.period, .rate, .per, .timeUnit, .temporary])
    }

    /// The kind of a limit stated in `words`: daily, a rate, or a sending quota.
    private static func kind(_ words: Words) -> Cue {
        let all = words.all
        if all.contains(.period) { return limitDaily }
        if !all.isDisjoint(with: [.rate, .per, .timeUnit]) { return limitRate }
        // Our sending or a quota named, with no period: a sending quota ("the limit on the number of allowed outgoing
        // messages was exceeded"); a bare count of messages or connections is a rate.
        if !all.isDisjoint(with: [.sending, .quota]) { return limitQuota }
        return limitRate
    }

    static let limitRate = Cue(.ratelimit, "rate_limited", "family.limit-words",
                               "a limit on our sending said to be hit (too many, throttled, a rate or limit exceeded, a count per period)")
    static let limitDaily = Cue(.ratelimit, "daily_limit", "family.limit-words", "a daily limit on our sending said to be hit")
    static let limitQuota = Cue(.ratelimit, "quota_exceeded", "family.limit-words", "a sending quota said to be exceeded")
    static let limitRecipients = Cue(.ratelimit, "too_many_recipients", "family.limit-words",
                                     "more recipients in one message than the destination takes")
}
