/// Reads a text that no text rule recognised by word families instead of fixed phrases: a recipient
/// noun near a word that says it is gone ("recipient e-mail adress unknown", "account does not exist",
/// "mailbox has been discontinued"), a domain that is unknown, or the wording of a limit, a full mailbox,
/// a message size, a relay refusal, a block list, a temporary fault.
///
/// Runs only on the rare path where the decision would otherwise come from a bare reply code or status
/// with a generic reason (or from nothing at all); one pass over the text, no allocation. The caller
/// applies the safety rules to a suppression found here exactly as to a rule's.
enum WordCues {
    /// A verdict the word families reach, with the family's rule id.
    struct Cue: Sendable, Equatable {
        let category: BounceCategory
        let reason: String
        let ruleID: String
        let evidence: String
        /// Temporary wording only: a more definite cue (the guard's sender-side words) comes first.
        let isTemporaryWording: Bool
        /// Read as temporary only when no permanent reply code or status says otherwise (an outage word alone).
        let needsNoPermanentCode: Bool

        init(_ category: BounceCategory, _ reason: String, _ ruleID: String, _ evidence: String, temporary: Bool = false,
             needsNoPermanentCode: Bool = false) {
            self.category = category
            self.reason = reason
            self.ruleID = ruleID
            self.evidence = evidence
            isTemporaryWording = temporary
            self.needsNoPermanentCode = needsNoPermanentCode
        }
    }

    /// The suppression the words support (a recipient or domain that is gone), and the best other cue.
    static func read(_ text: UnsafeBufferPointer<UInt8>) -> (suppress: Cue?, other: Cue?) {
        withWords(of: text, orIfTooShort: (nil, nil)) { words in (suppression(words), otherCue(words)) }
    }

    /// `read` and `limitStatement` over one tokenization; the limit only when the words support no suppression
    /// (a suppression is read first, and the limit would not be asked).
    static func readWithLimit(_ text: UnsafeBufferPointer<UInt8>) -> (suppress: Cue?, limit: Cue?, other: Cue?) {
        withWords(of: text, orIfTooShort: (nil, nil, nil)) { words in
            let suppress = suppression(words)
            return (suppress, suppress == nil ? limitStatement(words) : nil, otherCue(words))
        }
    }

    /// `body` over the text's words, tokenized into a temporary buffer; `short` for texts under four bytes.
    static func withWords<Result>(of text: UnsafeBufferPointer<UInt8>, orIfTooShort short: Result,
                                  _ body: (Words) -> Result) -> Result {
        guard text.count >= 4 else { return short }
        let capacity = min(text.count / 2 + 1, 4096)
        return withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: capacity) { buffer in
            let count = tokenize(text, into: buffer)
            return body(Words(UnsafeBufferPointer(rebasing: buffer[..<count])))
        }
    }

    /// Writes the classes of each word to `tokens` (`WordScanner`'s words, no separators); returns how many were written.
    static func tokenize(_ text: UnsafeBufferPointer<UInt8>, into tokens: UnsafeMutableBufferPointer<WordClass.RawValue>) -> Int {
        WordScanner.tokenize(text, table: WordFamilies.table, into: tokens)
    }

    /// The word classes of a text, in order, with the union of all of them.
    struct Words {
        let classes: UnsafeBufferPointer<WordClass.RawValue>
        let all: WordClass

        init(_ classes: UnsafeBufferPointer<WordClass.RawValue>) {
            self.classes = classes
            var union: WordClass.RawValue = 0
            for word in classes { union |= word }
            all = WordClass(rawValue: union)
        }

        var count: Int { classes.count }
        @inline(__always) func at(_ index: Int) -> WordClass {
            index >= 0 && index < classes.count ? WordClass(rawValue: classes[index]) : []
        }
        /// Whether a word of `wanted` occurs at `index + offset` for some offset in `range`.
        func near(_ index: Int, _ range: ClosedRange<Int>, _ wanted: WordClass) -> Bool {
            for offset in range where offset != 0 && !at(index + offset).isDisjoint(with: wanted) { return true }
            return false
        }
        /// Whether `index` holds a word of `existence` after a negation one or two words before it.
        func negatedExistence(_ index: Int) -> Bool {
            at(index).contains(.existence) && (at(index - 1).contains(.negation) || at(index - 2).contains(.negation))
        }
    }

    // MARK: - Suppressions

    private static let recipientGone = Cue(.suppress, "user_unknown", "family.recipient-words",
                                           "a recipient noun near a word saying it does not exist")
    private static let recipientInvalid = Cue(.suppress, "invalid_address", "family.recipient-words",
                                              "a recipient address near a word saying it is malformed")
    private static let recipientDisabled = Cue(.suppress, "mailbox_disabled", "family.disabled-words",
                                               "a recipient noun near a word saying it is disabled or closed")
    private static let domainGone = Cue(.suppress, "domain_not_found", "family.domain-words",
                                        "a domain or host near a word saying it does not exist")

    /// A recipient noun (not one of ours: no sender word in the four words before it) with a word that
    /// says it is gone within two words before or four after it, or "no such" right before it; a
    /// domain or host likewise (not the reporting host, not ours, and no temporary or lookup word in
    /// the text).
    static func suppression(_ words: Words) -> Cue? {
        let all = words.all
        if all.contains(.recipientNoun), !all.isDisjoint(with: [.gone, .existence, .disabled, .such, .activation]) {
            for index in 0..<words.count where words.at(index).contains(.recipientNoun) {
                if words.near(index, -4 ... -1, .senderMark) || namesCredential(words, after: index) { continue }
                if let cue = recipientCue(words, at: index) { return cue }
            }
        }
        if all.contains(.nxdomain) { return domainGone }
        if all.contains(.domainNoun), !all.isDisjoint(with: [.gone, .existence, .such]),
           all.isDisjoint(with: [.temporary, .timeout, .dnsFault]) {
            for index in 0..<words.count where words.at(index).contains(.domainNoun) {
                if words.near(index, -3 ... -1, .senderMark) || words.at(index + 1).contains(.said) { continue }
                if goneNear(words, index) { return domainGone }
            }
        }
        return nil
    }

    /// Whether one of our credentials (password, Passwort, hasło …: a sender mark that is also our noun) follows the
    /// recipient noun at `index` within three words: "Invalid user or password" is our login, not a recipient.
    private static func namesCredential(_ words: Words, after index: Int) -> Bool {
        let credential: WordClass = [.senderMark, .ourNoun]
        for offset in 1...3 where words.at(index + offset).isSuperset(of: credential) { return true }
        return false
    }

    private static func recipientCue(_ words: Words, at index: Int) -> Cue? {
        if words.at(index - 1).contains(.such) && words.at(index - 2).contains(.negation) { return recipientGone }
        // "No valid mailbox", "no correct user" (not the plural "recipients": all of a message's recipients
        // are refused for any reason, ours included).
        if words.at(index - 1).contains(.existence) && words.at(index - 2).contains(.negation) { return recipientGone }
        for before in max(0, index - 2)..<index {
            let word = words.at(before)
            if word.contains(.gone) { return words.all.contains(.syntax) ? recipientInvalid : recipientGone }
            if word.contains(.disabled) { return recipientDisabled }
        }
        // "The domain in the e-mail address … does not exist": the domain is the subject, the address only says whose.
        let gone = domainGoverns(words, index) ? domainGone : recipientGone
        var after = index + 1
        while after <= index + 4, after < words.count {
            let word = words.at(after)
            // Another subject starts: "recipient address rejected: sender domain not found".
            if !word.isDisjoint(with: [.senderMark, .domainNoun]) { return nil }
            if word.contains(.gone) { return words.all.contains(.syntax) ? recipientInvalid : gone }
            if words.negatedExistence(after) { return gone }
            if word.contains(.disabled) { return recipientDisabled }
            // "User account not activated", "mailbox not enabled": not switched on (round 16, KumoMTA's InactiveMailbox).
            if word.contains(.activation), words.near(after, -2 ... -1, .negation) { return recipientDisabled }
            after += 1
        }
        return nil
    }

    /// Whether the word "domain" stands up to three words before the recipient noun at `index` with only prepositions,
    /// articles or a mail word between ("domain in the email address", "domain of the recipient").
    private static func domainGoverns(_ words: Words, _ index: Int) -> Bool {
        var before = index - 1
        while before >= max(0, index - 4) {
            let word = words.at(before)
            if word.contains(.domainWord) { return true }
            if !word.isEmpty && !word.isSubset(of: [.listPreposition, .sizeNoun]) { return false }
            before -= 1
        }
        return false
    }

    private static func goneNear(_ words: Words, _ index: Int) -> Bool {
        if words.at(index - 1).contains(.such) && words.at(index - 2).contains(.negation) { return true }
        if words.at(index - 1).contains(.gone) { return true }
        var after = index + 1
        while after <= index + 3, after < words.count {
            if words.at(after).contains(.gone) || words.negatedExistence(after) { return true }
            after += 1
        }
        return false
    }

    // MARK: - Other cues

    /// Whether a cue names a specific cause that generic temporary wording ("retry later") only hides: a
    /// limit, a full mailbox, a message size, an expiry.
    static func refinesTemporaryWording(_ cue: Cue) -> Bool {
        cue.ruleID == "family.rate-words" || cue.ruleID == "family.full-words" || cue.ruleID == "family.size-words"
            || cue.ruleID == "family.expiry-words"
            // A refusal that names us ("your server is not trusted, try later", "listed by …, retry later"): the
            // refusal of our mail or host is the cause, whatever the text says about time.
            || cue == refusedUs || cue.ruleID == "family.sender-words"
    }

    private static let expired = Cue(.retry, "message_expired", "family.expiry-words", "a maximum time exceeded without delivery")
    private static let tooManyRecipients = Cue(.ratelimit, "too_many_recipients", "family.rate-words",
                                               "too many recipients, or a recipient limit reached")
    private static let rateLimited = Cue(.ratelimit, "rate_limited", "family.rate-words",
                                         "too many connections or attempts, or a limit reached")
    private static let dailyLimit = Cue(.ratelimit, "daily_limit", "family.rate-words", "a daily or hourly limit reached")
    private static let sendingQuota = Cue(.ratelimit, "quota_exceeded", "family.rate-words", "a sending quota exceeded")
    private static let mailboxFull = Cue(.retry, "mailbox_full", "family.full-words", "a mailbox, quota or storage that is full or exceeded")
    private static let tooLarge = Cue(.content, "message_too_large", "family.size-words", "a message that is too large or over a size limit")
    private static let relayDenied = Cue(.sender, "relay_denied", "family.relay-words", "a relay refusal or a recipient that is not local")
    private static let notWelcome = Cue(.sender, "policy_rejection", "family.sender-words", "our mail is not welcome")
    private static let reverseDNS = Cue(.sender, "reverse_dns", "family.sender-words", "our reverse DNS (PTR) was refused")
    private static let listedBy = Cue(.sender, "ip_blocklisted", "family.sender-words", "listed by, on or in a list")
    private static let dnsTemporary = Cue(.retry, "dns_temporary", "family.temporary-words", "a lookup that failed for now", temporary: true)
    private static let busy = Cue(.retry, "server_busy", "family.temporary-words", "the destination is busy or out of resources", temporary: true)
    private static let timedOut = Cue(.retry, "timeout", "family.temporary-words", "a timeout", temporary: true)
    private static let connectionFailed = Cue(.retry, "connection_failed", "family.connection-words",
                                              "a connection that was refused, reset, lost or could not be made")
    private static let contentRefused = Cue(.content, "content_policy", "family.content-words",
                                            "an attachment, link or other content that is not allowed")
    private static let refused = Cue(.sender, "policy_rejection", "family.refusal-words",
                                     "a refusal that names no cause and no recipient: our mail or host was refused")
    private static let tlsFailure = Cue(.retry, "tls_failure", "family.tls-words",
                                        "a TLS or certificate fault on the way (handshake failed, alert, verify failed)")
    private static let systemFault = Cue(.retry, "temporary_failure", "family.temporary-words",
                                         "the destination's system names a fault of its own", temporary: true)
    static let refusedUs = Cue(.sender, "policy_rejection", "family.refusal-words",
                                       "a refusal of our mail, host or network (the words name us)")
    private static let noAnswer = Cue(.retry, "connection_failed", "family.connection-words",
                                      "a host that did not answer or could not be reached")
    private static let temporary = Cue(.retry, "temporary_failure", "family.temporary-words",
                                       "temporary wording (temporarily, later, again, deferred, an internal fault)", temporary: true)
    private static let internalError = Cue(.retry, "temporary_failure", "family.temporary-words",
                                           "an internal error of the destination (processing, database, directory)", temporary: true)
    private static let outage = Cue(.retry, "temporary_failure", "family.temporary-words",
                                    "a service, server or network said to be unavailable or down, with no permanent code",
                                    temporary: true, needsNoPermanentCode: true)

    /// The first of: a rate or recipient limit, a full mailbox, a message size, a relay refusal, words
    /// about us (not welcome, reverse DNS, listed by a list), temporary wording.
    static func otherCue(_ words: Words) -> Cue? {
        let all = words.all
        for index in 0..<words.count {
            let word = words.at(index)
            if word.contains(.too), words.at(index + 1).contains(.many) {
                if words.near(index + 1, 1...3, .recipientsWord) { return tooManyRecipients }
                if words.near(index + 1, 1...3, .rateNoun) { return rateLimited }
            }
            if word.contains(.concurrent) { return rateLimited }
            // Throttling named by itself, or sending "too fast / too quickly / too frequently".
            if word.contains(.throttle) { return rateLimited }
            if word.contains(.fast), words.at(index - 1).contains(.too) { return rateLimited }
            // A request to send less: "please reduce the rate", "lower the number of sessions", "slow down".
            if word.contains(.slowDown) {
                if words.near(index, 1...4, .recipientsWord) { return tooManyRecipients }
                if words.at(index + 1).contains(.outage) || words.near(index, 1...4, [.rate, .limit, .rateNoun, .concurrent, .sending]) {
                    return rateLimited
                }
            }
            if word.contains(.storage), words.near(index, -3...3, [.full, .reached]) {
                // An hourly or per-rate quota is ours, not a recipient's storage; so is a quota our sending is
                // named beside ("sending quota exceeded"), not one after Exim's "A message that you sent could
                // not be delivered … mailbox is full".
                if all.contains(.rate) { return sendingQuota }
                return words.near(index, -4...4, .sending) ? sendingQuota : mailboxFull
            }
            if word.contains(.sizeNoun), words.near(index, 1...3, .too), words.near(index, 2...4, .big) { return tooLarge }
            if word.contains(.limit) || word.contains(.reached) {
                let isLimit = word.contains(.limit) ? words.near(index, -3...3, .reached) : words.near(index, -3...3, .limit)
                if isLimit || word.contains(.reached) && words.near(index, -3 ... -1, .sizeWord) {
                    if words.near(index, -3...3, .time) { return expired }
                    if words.near(index, -4...4, .sizeWord) { return tooLarge }
                    if words.near(index, -4...4, .recipientsWord) { return tooManyRecipients }
                    if all.contains(.period) { return dailyLimit }
                    if all.contains(.rate) { return rateLimited }
                    if all.contains(.sending) { return sendingQuota }
                    if isLimit { return rateLimited }
                }
            }
            if word.contains(.negation), words.at(index + 1).contains(.local) { return relayDenied }
            if word.contains(.relay), words.near(index, -3...3, .refusal) || negatesRelay(words, at: index) { return relayDenied }
            if word.contains(.welcome), words.near(index, -2 ... -1, .negation) { return notWelcome }
            if word.contains(.listed), words.at(index + 1).contains(.listPreposition), !words.near(index, -2 ... -1, .negation) {
                return listedBy
            }
        }
        if all.contains(.unreachable) { return connectionFailed }
        // A TLS fault on the way ("handshake failed", "SSL connect error", "certificate verify failed"),
        // not a destination that demands TLS from us ("TLS required", "must issue STARTTLS").
        if all.contains(.tls), all.isDisjoint(with: .required) {
            for index in 0..<words.count where words.at(index).contains(.tls) {
                if words.near(index, -3...3, [.error, .connectionFault, .timeout]) { return tlsFailure }
            }
        }
        if all.contains(.connection), !all.isDisjoint(with: [.connectionFault, .error, .inability, .negation]) {
            for index in 0..<words.count where words.at(index).contains(.connection) {
                if words.near(index, -3...3, .connectionFault) || words.near(index, 1...2, .error) { return connectionFailed }
                // "Unable to establish a connection: TLS required" is a demand on us, left to the TLS rules.
                if !(all.contains(.tls) && all.contains(.required)), attemptFailed(words, at: index) { return connectionFailed }
            }
        }
        if all.contains(.reach), all.contains(.negation) {
            for index in 0..<words.count where words.at(index).contains(.reach) {
                if words.near(index, -3 ... -1, .negation) { return noAnswer }
            }
        }
        if all.contains(.reverseDNS) { return all.contains(.temporary) ? dnsTemporary : reverseDNS }
        if all.contains(.dnsFault), !all.isDisjoint(with: [.temporary, .error, .timeout]) { return dnsTemporary }
        // A refusal that names us outranks the words about time ("your server is not trusted, try later").
        // Not when the destination names a fault of its own ("not accepted: temporary server problem").
        let refused = refusal(words)
        if let refused, refused == refusedUs, all.isDisjoint(with: [.busy, .internalFault, .timeout]),
           !(all.contains(.system) && all.contains(.error)) {
            return refused
        }
        if all.contains(.busy) { return busy }
        if all.contains(.timeout) { return timedOut }
        if all.contains(.temporary) { return temporary }
        if all.contains(.system) {
            for index in 0..<words.count where words.at(index).contains(.system) {
                if words.at(index + 1).contains(.error) { return systemFault }
            }
        }
        for index in 0..<words.count where words.at(index).contains(.internalFault) {
            if words.near(index, -2...2, .error) { return internalError }
        }
        if let refused { return refused }
        // "Service unavailable", "server down", "network is down": weaker than anything above. Not "slow down", and
        // not a recipient said to be unavailable ("450 User unavailable"): the code decides that one.
        if all.contains(.outage) {
            for index in 0..<words.count where words.at(index).contains(.outage) {
                if !words.at(index - 1).contains(.slowDown), !words.near(index, -3 ... -1, .recipientNoun) { return outage }
            }
        }
        return nil
    }

    /// Whether a negation near the relay word at `index` refuses relaying ("relaying not permitted", "we do not relay"),
    /// not a negated readiness of the relay host ("relay server not ready", "relay host not responding"): a host that does
    /// not answer is the destination's fault, read below as one.
    private static func negatesRelay(_ words: Words, at index: Int) -> Bool {
        for offset in -3...3 where offset != 0 && words.at(index + offset).contains(.negation) {
            if words.at(index + offset + 1).isDisjoint(with: [.reach, .outage, .unreachable]) { return true }
        }
        return false
    }

    /// Round 13 (transient failures): the fault of the destination itself that a reply names — busy, timed out, a
    /// failing system or internal error, a host that does not answer, a lost or dropped connection, a TLS fault on
    /// the way, a lookup that failed for now, an expiry — or nil. Nil as soon as the words name a refusal, a block,
    /// a permission, us (our IP, our name, a sender word), abuse, a list, relaying or a throttle: then who is refused
    /// is the question, not what broke. Plain wording about time ("temporarily", "try again") is no fault.
    static func destinationFault(_ text: UnsafeBufferPointer<UInt8>) -> Cue? {
        withWords(of: text, orIfTooShort: nil) { words in
            guard words.all.isDisjoint(with: [.refusal, .blocked, .permission, .ourNoun, .senderMark, .abuse, .listed,
                                              .reverseDNS, .relay, .throttle, .concurrent, .local]) else { return nil }
            guard let cue = otherCue(words) else { return nil }
            let faults = [busy, timedOut, systemFault, internalError, noAnswer, connectionFailed, tlsFailure, dnsTemporary, expired]
            return faults.contains(cue) ? cue : nil
        }
    }

    /// Whether the connection word at `index` is what an attempt failed to do: an inability or a negation right
    /// before it ("unable to connect", "can't connect", "could not be established", "no route to host"), one
    /// unclassed word ("to", "be") allowed between. Not a refusal of us ("not allowed to connect", "denied to
    /// connect"): that is who may connect, not whether the connection worked.
    private static func attemptFailed(_ words: Words, at index: Int) -> Bool {
        if words.at(index).contains(.route) { return false }
        let failing: WordClass = [.inability, .negation]
        let direct = !words.at(index - 1).isDisjoint(with: failing)
        let skipping = words.at(index - 1).isEmpty && !words.at(index - 2).isDisjoint(with: failing)
        guard direct || skipping else { return false }
        return !words.near(index, -3...3, [.permission, .refusal, .blocked, .senderMark, .ourNoun])
    }

    /// Whether a word naming us (your, sender, from, client …) stands within six words before or three after
    /// `index`, other than one followed by the message itself ("your message", "your email").
    private static func namesUs(_ words: Words, around index: Int) -> Bool {
        for offset in -6...3 where offset != 0 && words.at(index + offset).contains(.senderMark) {
            if !words.at(index + offset + 1).contains(.sizeNoun) { return true }
        }
        return false
    }

    /// A refusal with no cause: content that is not allowed, else a refusal of our mail or host. Not
    /// when a recipient noun is its subject ("recipient rejected" alone is no evidence either way).
    private static func refusal(_ words: Words) -> Cue? {
        guard !words.all.isDisjoint(with: [.refusal, .blocked, .permission]) else { return nil }
        for index in 0..<words.count {
            let word = words.at(index)
            // "Rejected" alone is every server's word for any refusal: it names no party.
            let refuses = word.contains(.blocked) || word.contains(.refusal) && !word.contains(.rejected)
                || word.contains(.permission) && words.near(index, -2 ... -1, .negation)
            guard refuses else { continue }
            if words.near(index, -3 ... -1, .recipientNoun) { continue }
            if words.near(index, -4...3, .contentNoun) { return contentRefused }
            // Us named near the refusal ("your IP is temporarily denied"), not a reporting MTA's "error from",
            // and not "your message" (the message, not our host).
            return namesUs(words, around: index) ? refusedUs : refused
        }
        return nil
    }
}
