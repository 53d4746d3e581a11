import Digest

/// A small vocabulary of word families, read by `WordCues` when no text rule recognised a response.
///
/// Fixed phrases added for one batch of wordings rarely cover the next batch ("recipient e-mail adress
/// unknown", "mailbox has been discontinued", "Too many recipient attempts"): servers combine the same
/// few nouns and predicates in ever new ways. So each word of the text is looked up here and gets a set of
/// classes; `WordCues` then looks for a noun and a predicate of the same family near each other. The
/// vocabulary is English; since round 13 the recipient family also reads other languages written with
/// spaces between words (`WordFamilies+Languages.swift`), whose phrases are in `35-localised.yaml`.
///
/// Words come from the wordings of RFC 5321/3463 and of the MTAs and providers whose rows are in the
/// open corpus (Postfix, Exim, Sendmail, qmail, Courier, Cyrus, Zimbra, Haraka, hosting and ISP pages).
///
/// Each class has a bit of its own (`WordClassBitsTests` checks the declarations below): with 64 classes declared,
/// `per` once shared bit 56 with `domainWord`, so "per" read as the word "domain" and "domain" as a count per period.
/// The bits are 128 wide so that new classes have room. Each class is a computed constant, not a stored `static let`:
/// a 128-bit global is not initialised statically, so every use went through `swift_once` and sets written as literals
/// were built at run time (+1.3 % instructions a line never seen before). Declare a new class the same way.
struct WordClass: OptionSet, Sendable {
    let rawValue: UInt128

    /// Who may be gone: user, mailbox, recipient, address (also misspelt "adress"), account.
    static var recipientNoun: WordClass { WordClass(rawValue: 1 << 0) }
    /// Where mail goes: domain, host, hostname.
    static var domainNoun: WordClass { WordClass(rawValue: 1 << 1) }
    /// Says by itself that the thing is not there: unknown, invalid, nonexistent, unrouteable.
    static var gone: WordClass { WordClass(rawValue: 1 << 2) }
    /// Says it is not there after a negation: found, exist, valid, listed, known, registered.
    static var existence: WordClass { WordClass(rawValue: 1 << 3) }
    /// not, no, doesn't, isn't, non.
    static var negation: WordClass { WordClass(rawValue: 1 << 4) }
    static var such: WordClass { WordClass(rawValue: 1 << 5) }
    /// disabled, deactivated, discontinued, closed, suspended, inactive, locked, expired, terminated.
    static var disabled: WordClass { WordClass(rawValue: 1 << 6) }
    /// Names us or our host as the subject: sender, from, helo, client, your, originator, reverse.
    static var senderMark: WordClass { WordClass(rawValue: 1 << 7) }
    /// full, exceeded, exceeds, exhausted, overquota.
    static var full: WordClass { WordClass(rawValue: 1 << 8) }
    /// quota, storage, inbox, mailbox (a mailbox is also a recipient noun).
    static var storage: WordClass { WordClass(rawValue: 1 << 9) }
    /// message, mail, email, data, size.
    static var sizeNoun: WordClass { WordClass(rawValue: 1 << 10) }
    static var too: WordClass { WordClass(rawValue: 1 << 11) }
    /// long, large, big.
    static var big: WordClass { WordClass(rawValue: 1 << 12) }
    static var many: WordClass { WordClass(rawValue: 1 << 13) }
    /// connections, sessions, attempts, messages, mails, requests, commands, errors.
    static var rateNoun: WordClass { WordClass(rawValue: 1 << 14) }
    /// recipients, rcpt, rcpts.
    static var recipientsWord: WordClass { WordClass(rawValue: 1 << 15) }
    /// concurrent, simultaneous, parallel.
    static var concurrent: WordClass { WordClass(rawValue: 1 << 16) }
    /// limit, limits, maximum, max, rate, threshold, cap, allowance, ceiling.
    static var limit: WordClass { WordClass(rawValue: 1 << 17) }
    /// reached, exceeded, exceeds, exceeding, hit.
    static var reached: WordClass { WordClass(rawValue: 1 << 18) }
    /// daily, day, today, tomorrow (an hourly limit is a rate).
    static var period: WordClass { WordClass(rawValue: 1 << 19) }
    /// send, sending, sent, submission, outbound, outgoing.
    static var sending: WordClass { WordClass(rawValue: 1 << 20) }
    static var local: WordClass { WordClass(rawValue: 1 << 21) }
    /// relay, relaying, rcpthosts.
    static var relay: WordClass { WordClass(rawValue: 1 << 22) }
    /// denied, prohibited, refused, disallowed, rejected.
    static var refusal: WordClass { WordClass(rawValue: 1 << 23) }
    /// temporary, temporarily, later, again, deferred, retry, temp, momentarily.
    static var temporary: WordClass { WordClass(rawValue: 1 << 24) }
    /// busy, overloaded, resources, congested, congestion.
    static var busy: WordClass { WordClass(rawValue: 1 << 25) }
    /// timeout, timed.
    static var timeout: WordClass { WordClass(rawValue: 1 << 26) }
    /// internal, writing, stored, processing.
    static var internalFault: WordClass { WordClass(rawValue: 1 << 27) }
    /// error, failure, failed, fault, problem.
    static var error: WordClass { WordClass(rawValue: 1 << 28) }
    static var listed: WordClass { WordClass(rawValue: 1 << 29) }
    /// by, on, in (after "listed").
    static var listPreposition: WordClass { WordClass(rawValue: 1 << 30) }
    static var welcome: WordClass { WordClass(rawValue: 1 << 31) }
    /// rdns, ptr.
    static var reverseDNS: WordClass { WordClass(rawValue: 1 << 32) }
    /// syntax, malformed, malformatted, badly.
    static var syntax: WordClass { WordClass(rawValue: 1 << 33) }
    /// said (qmail's "Remote host said:", Postfix's "host … said:"): the host is the reporter, not the subject.
    static var said: WordClass { WordClass(rawValue: 1 << 34) }
    /// nxdomain.
    static var nxdomain: WordClass { WordClass(rawValue: 1 << 35) }
    /// servfail, lookup (a DNS fault that may pass).
    static var dnsFault: WordClass { WordClass(rawValue: 1 << 36) }
    /// come (as in "come back later").
    static var come: WordClass { WordClass(rawValue: 1 << 37) }
    /// size (only this noun marks a size limit: "message" and "mail" also count messages).
    static var sizeWord: WordClass { WordClass(rawValue: 1 << 38) }
    /// connection, connect, network, socket, route.
    static var connection: WordClass { WordClass(rawValue: 1 << 39) }
    /// refused, reset, lost, dropped, closed, broken, unreachable, failed: what happens to a connection.
    static var connectionFault: WordClass { WordClass(rawValue: 1 << 40) }
    /// blocked, banned, forbidden, unauthorized, untrusted, restricted: refusals that name no cause.
    static var blocked: WordClass { WordClass(rawValue: 1 << 41) }
    /// allowed, permitted, authorized, accepted, trusted: refusals after a negation ("not allowed", "not trusted").
    static var permission: WordClass { WordClass(rawValue: 1 << 42) }
    /// attachment, executable, extension, macro, url, link, html, content, body, header, file.
    static var contentNoun: WordClass { WordClass(rawValue: 1 << 43) }
    /// unreachable: a connection fault by itself.
    static var unreachable: WordClass { WordClass(rawValue: 1 << 44) }
    /// rejected: a refusal that names neither a cause nor a party.
    static var rejected: WordClass { WordClass(rawValue: 1 << 45) }
    /// time, lifetime: a limit of time exceeded is an expiry, not a rate.
    static var time: WordClass { WordClass(rawValue: 1 << 46) }
    /// rate: a sending rate exceeded is throttling, not a quota.
    static var rate: WordClass { WordClass(rawValue: 1 << 47) }
    /// ip, ips: our connecting address named as a noun ("IP address 192.0.2.1 is blocked"), never the recipient's.
    static var ourNoun: WordClass { WordClass(rawValue: 1 << 48) }
    /// envelope: "your envelope recipient" (qmail) names the recipient of our envelope, not one of ours.
    static var envelope: WordClass { WordClass(rawValue: 1 << 49) }
    /// tls, ssl, starttls, handshake, certificate, cert: the encryption layer of a connection.
    static var tls: WordClass { WordClass(rawValue: 1 << 50) }
    /// required, requires, require, must, mandatory: a demand on us ("TLS required"), not a fault.
    static var required: WordClass { WordClass(rawValue: 1 << 51) }
    /// fast, quickly, frequently, often, rapidly: how often we send ("too fast", "too frequently").
    static var fast: WordClass { WordClass(rawValue: 1 << 52) }
    /// throttled, throttling, throttle, ratelimit, ratelimited: throttling named by itself.
    static var throttle: WordClass { WordClass(rawValue: 1 << 53) }
    /// system, server: with a fault word right after ("system issue", "server error") the destination's own trouble.
    static var system: WordClass { WordClass(rawValue: 1 << 54) }
    /// responding, respond, response, reachable, answering: after a negation, a host that did not answer.
    static var reach: WordClass { WordClass(rawValue: 1 << 55) }
    /// domain (the word itself, not "host"): "the domain in the e-mail address does not exist" names the domain as the
    /// subject of what follows, where a host named before a reply ("host mx.example.org: user unknown") is its reporter.
    static var domainWord: WordClass { WordClass(rawValue: 1 << 56) }
    /// unable, cannot, can't, couldn't: an attempt that did not succeed ("unable to connect", "can't connect").
    static var inability: WordClass { WordClass(rawValue: 1 << 60) }
    /// reduce, lower, decrease, slow: a request to send less ("please reduce the rate", "lower the number of sessions").
    static var slowDown: WordClass { WordClass(rawValue: 1 << 61) }
    /// unavailable, down: a service or host that is not there for now. Only a text that no permanent reply code or
    /// status contradicts reads it as temporary ("554 Service unavailable" is often a block).
    static var outage: WordClass { WordClass(rawValue: 1 << 62) }
    /// route: "no route to host" is a socket error, but "unable to route" a destination that cannot be routed at all.
    static var route: WordClass { WordClass(rawValue: 1 << 63) }
    /// per: a count per period ("messages per hour", "recipients per day") states a limit on our sending.
    static var per: WordClass { WordClass(rawValue: 1 << 64) }
    /// hour, minute, second, day, week (and short forms): the period after "per".
    static var timeUnit: WordClass { WordClass(rawValue: 1 << 57) }
    /// spam, unsolicited, suspicious, abuse, compromised, malicious, phishing: what we sent is held against us, so a
    /// limit named beside it is a refusal of us, not a throttle.
    static var abuse: WordClass { WordClass(rawValue: 1 << 58) }
    /// quota, quotas: a quota is the recipient's storage unless our sending, a period or a count is named with it.
    static var quota: WordClass { WordClass(rawValue: 1 << 59) }
    /// than: "sending faster than allowed" compares our pace with the destination's limit, as "too fast" does.
    static var comparison: WordClass { WordClass(rawValue: 1 << 65) }
    /// high, excessive, unusual, heavy: an amount of our mail said to be more than the destination takes ("a high volume of
    /// email from your account", "your IP is sending a high number of messages").
    static var intensity: WordClass { WordClass(rawValue: 1 << 66) }
    /// activated, enabled: after a negation, a recipient that is not (or no longer) switched on ("User account not
    /// activated", "mailbox not enabled"): disabled. Round 16.
    static var activation: WordClass { WordClass(rawValue: 1 << 67) }
    /// subject, date, to, cc: a part of the message a destination may demand (round 16c; bits from 100 up, clear of
    /// the classes other branches of the round add after 66).
    static var messagePart: WordClass { WordClass(rawValue: 1 << 100) }
    /// missing, empty, blank, absent: a part of the message that is not there ("Subject is missing").
    static var absent: WordClass { WordClass(rawValue: 1 << 101) }
    /// your: of the sender marks, the one that makes the next noun ours ("your IP", "your network"), where "from" may also
    /// be the SMTP command ("MAIL FROM:<a>") or name the destination ("error from remote mail server"). Round 16b; a high bit,
    /// apart from the classes other rounds add.
    static var yours: WordClass { WordClass(rawValue: 1 << 102) }
}

enum WordFamilies {
    /// Lower-case words and their classes.
    static let vocabulary: [(String, WordClass)] = [
        // Not "username": it names our SMTP login ("Invalid username or password", "Username x and sender doesn't match").
        ("user", .recipientNoun), ("users", .recipientNoun),
        ("mailbox", [.recipientNoun, .storage]), ("mailboxes", [.recipientNoun, .storage]), ("inbox", .storage),
        ("recipient", .recipientNoun), ("recipient's", .recipientNoun), ("address", .recipientNoun),
        ("adress", .recipientNoun), ("addresse", .recipientNoun), ("addressee", .recipientNoun),
        ("account", .recipientNoun), ("mailaddress", .recipientNoun), ("subscriber", .recipientNoun), ("alias", .recipientNoun),
        // Not "hostname": a remote server's "invalid hostname" or "cannot find your hostname" is about our HELO or PTR name.
        ("domain", [.domainNoun, .domainWord]), ("host", .domainNoun),
        ("unknown", .gone), ("unknow", .gone), ("invalid", .gone), ("nonexistent", .gone), ("non-existent", .gone),
        ("inexistent", .gone), ("nonexisting", .gone), ("non-existing", .gone), ("unrouteable", .gone), ("unroutable", .gone),
        ("found", .existence), ("exist", .existence), ("exists", .existence), ("existing", .existence), ("valid", .existence),
        ("listed", [.existence, .listed]), ("known", .existence), ("recognized", .existence), ("recognised", .existence),
        ("registered", .existence), ("present", .existence), ("correct", .existence),
        ("not", .negation), ("no", .negation), ("doesn't", .negation), ("doesnt", .negation), ("isn't", .negation),
        ("isnt", .negation), ("non", .negation), ("doesn", .negation), ("isn", .negation), ("such", .such),
        ("disabled", .disabled), ("deactivated", .disabled), ("de-activated", .disabled), ("discontinued", .disabled),
        ("closed", [.disabled, .connectionFault]), ("suspended", .disabled), ("inactive", .disabled), ("locked", .disabled),
        ("expired", .disabled), ("hangup", .disabled),
        ("activated", .activation), ("enabled", .activation), ("terminated", [.disabled, .connectionFault]), ("deleted", .disabled), ("cancelled", .disabled), ("canceled", .disabled),
        ("sender", .senderMark), ("sender's", .senderMark), ("from", .senderMark), ("helo", .senderMark), ("ehlo", .senderMark),
        ("client", .senderMark), ("your", [.senderMark, .yours]), ("originator", .senderMark), ("reverse", .senderMark),
        ("full", .full), ("exceeded", [.full, .reached]), ("exceeds", [.full, .reached]), ("exceeding", [.full, .reached]),
        ("exhausted", [.full, .reached]), ("overquota", .full), ("over", .reached),
        ("storage", .storage),
        ("message", .sizeNoun), ("mail", .sizeNoun), ("email", .sizeNoun), ("e-mail", .sizeNoun), ("data", .sizeNoun), ("size", [.sizeNoun, .sizeWord]),
        ("too", .too), ("long", .big), ("large", .big), ("big", .big), ("many", .many),
        ("connections", [.rateNoun, .connection]), ("connection", [.rateNoun, .connection]), ("sessions", .rateNoun), ("attempts", .rateNoun),
        ("messages", .rateNoun), ("mails", .rateNoun), ("emails", .rateNoun), ("requests", .rateNoun), ("commands", .rateNoun),
        ("times", .rateNoun),
        ("recipients", .recipientsWord), ("rcpt", .recipientsWord), ("rcpts", .recipientsWord),
        ("concurrent", .concurrent), ("simultaneous", .concurrent), ("parallel", .concurrent),
        ("limit", .limit), ("limits", .limit), ("maximum", .limit), ("max", .limit), ("rate", [.limit, .rate]), ("quota", [.storage, .quota]),
        ("frequency", [.limit, .rate]),
        // Other names of a limit ("message count threshold has been exceeded", "hourly message cap reached").
        ("threshold", .limit), ("thresholds", .limit), ("cap", .limit), ("allowance", .limit), ("ceiling", .limit),
        ("reached", .reached), ("hit", .reached),
        ("daily", .period), ("day", [.period, .timeUnit]), ("today", .period), ("tomorrow", .period),
        ("send", .sending), ("sending", .sending), ("sent", .sending), ("submission", .sending), ("outbound", .sending),
        ("outgoing", .sending),
        ("local", .local), ("relay", .relay), ("relaying", .relay), ("rcpthosts", .relay),
        ("denied", .refusal), ("prohibited", .refusal), ("refused", [.refusal, .connectionFault]), ("disallowed", .refusal), ("rejected", [.refusal, .rejected]),
        ("temporary", .temporary), ("temporarily", .temporary), ("temp", .temporary), ("later", .temporary), ("again", .temporary),
        ("deferred", .temporary), ("retry", .temporary), ("come", .come), ("momentarily", .temporary),
        // The queue's own words for a later attempt (Exim "defer (-53)", qmail "deferral:", "postponed", "retrying").
        ("defer", .temporary), ("defers", .temporary), ("deferral", .temporary), ("deferrals", .temporary),
        ("deferring", .temporary), ("postponed", .temporary), ("retrying", .temporary), ("retried", .temporary),
        ("retries", [.temporary, .time]), ("transient", .temporary), ("transiently", .temporary),
        ("busy", .busy), ("overloaded", .busy), ("resources", .busy), ("congested", .busy), ("congestion", .busy),
        ("timeout", .timeout), ("timed", [.timeout, .connectionFault]),
        ("internal", .internalFault), ("writing", .internalFault), ("communicating", .internalFault), ("stored", .internalFault), ("processing", .internalFault),
        ("error", .error), ("failure", .error), ("failed", [.error, .connectionFault]), ("fault", .error), ("problem", .error),
        // Webhooks and sending services name causes as "<noun> issue" ("connection issue", "system issue").
        ("issue", .error), ("issues", .error), ("alert", .error), ("problems", .error), ("errors", [.rateNoun, .error]),
        ("by", .listPreposition), ("on", .listPreposition), ("in", .listPreposition),
        ("welcome", .welcome), ("rdns", .reverseDNS), ("ptr", .reverseDNS),
        ("syntax", .syntax), ("malformed", .syntax), ("malformatted", .syntax),
        ("said", .said), ("nxdomain", .nxdomain), ("servfail", .dnsFault), ("lookup", .dnsFault),
        ("connect", .connection), ("connecting", .connection), ("network", .connection), ("socket", .connection),
        ("route", [.connection, .route]), ("reset", .connectionFault), ("lost", .connectionFault), ("dropped", .connectionFault),
        ("broken", .connectionFault), ("unreachable", [.connectionFault, .unreachable]),
        // What else happens to a connection ("connection terminated", "handshake eof", "server disconnected").
        ("eof", [.connectionFault, .unreachable]), ("aborted", .connectionFault),
        ("interrupted", .connectionFault), ("unexpectedly", .connectionFault), ("never", .connectionFault), ("hang", .connectionFault),
        ("greeting", .connection), ("banner", .connection), ("disconnected", [.connectionFault, .unreachable]),
        // A connection that "could not be established", a "broken pipe", a "write error" on the socket.
        ("establish", .connection), ("established", .connection), ("pipe", .connection), ("write", .connection),
        ("unable", .inability), ("cannot", .inability), ("can't", .inability), ("cant", .inability),
        ("couldn't", .inability), ("couldnt", .inability),
        ("reduce", .slowDown), ("lower", .slowDown), ("decrease", .slowDown), ("slow", .slowDown),
        ("unavailable", .outage), ("down", .outage),
        // Socket error names as libraries print them (Node.js, libuv, POSIX): each a connection fault by itself.
        ("econnrefused", .unreachable), ("econnreset", .unreachable), ("econnaborted", .unreachable),
        ("ehostunreach", .unreachable), ("enetunreach", .unreachable), ("ehostdown", .unreachable), ("enetdown", .unreachable),
        ("epipe", .unreachable), ("etimedout", .timeout), ("timedout", .timeout),
        ("tls", .tls), ("ssl", .tls), ("starttls", .tls), ("handshake", .tls), ("certificate", .tls), ("certificates", .tls),
        ("cert", .tls),
        ("required", .required), ("requires", .required), ("require", .required), ("must", .required), ("mandatory", .required),
        ("fast", .fast), ("quickly", .fast), ("frequently", .fast), ("often", .fast), ("rapidly", .fast),
        ("throttled", .throttle), ("throttling", .throttle), ("throttle", .throttle), ("ratelimit", .throttle),
        ("ratelimited", .throttle),
        ("system", .system), ("server", .system), ("servers", .system), ("systems", .system),
        // The sending side's own machinery failing ("unknown mail transport error", "mailer error"), and a
        // "communication failure" on the way.
        ("transport", .system), ("mailer", .system), ("communication", .connection),
        // Not "reached": a limit is reached; and never .existence, or "host not reachable" would read as a missing host.
        ("responding", .reach), ("respond", .reach), ("responded", .reach), ("response", .reach), ("reachable", .reach),
        ("answering", .reach), ("answer", .reach),
        ("hourly", .rate), ("flood", .throttle), ("flooding", .throttle),
        ("blocked", .blocked), ("banned", .blocked), ("forbidden", .blocked), ("unauthorized", .blocked),
        ("unauthorised", .blocked), ("blacklisted", .blocked), ("blocklisted", .blocked), ("denylisted", .blocked),
        ("untrusted", .blocked), ("restricted", .blocked),
        ("allowed", .permission), ("permitted", .permission), ("authorized", .permission), ("authorised", .permission),
        ("accepted", .permission), ("trusted", .permission),
        // The verb as well as the participle: "our policy does not allow your IP to connect".
        ("allow", .permission), ("allows", .permission), ("permit", .permission), ("permits", .permission),
        ("attachment", .contentNoun), ("attachments", .contentNoun), ("executable", .contentNoun), ("extension", .contentNoun),
        ("macro", .contentNoun), ("macros", .contentNoun), ("url", .contentNoun), ("urls", .contentNoun), ("link", .contentNoun),
        ("links", .contentNoun), ("html", .contentNoun), ("content", .contentNoun), ("body", .contentNoun),
        ("header", .contentNoun), ("headers", .contentNoun), ("file", .contentNoun), ("filename", .contentNoun),
        ("ip", .ourNoun), ("ips", .ourNoun), ("envelope", .envelope),
        // Round 12 (limit statements): a count per period, the period, abuse named beside a limit, a quota, and more
        // words for a limit hit ("Rate limit reach, retry later", "Per day limit exhausted", "message count quota").
        ("per", .per),
        ("hour", .timeUnit), ("hours", .timeUnit), ("hr", .timeUnit), ("hrs", .timeUnit), ("minute", .timeUnit),
        ("minutes", .timeUnit), ("min", .timeUnit), ("mins", .timeUnit), ("second", .timeUnit), ("seconds", .timeUnit),
        ("sec", .timeUnit), ("secs", .timeUnit), ("days", [.period, .timeUnit]), ("week", .timeUnit),
        ("weeks", .timeUnit), ("month", .timeUnit),
        ("spam", .abuse), ("spammer", .abuse), ("spammers", .abuse), ("spamming", .abuse), ("abuse", .abuse),
        ("abusive", .abuse), ("unsolicited", .abuse), ("suspicious", .abuse), ("compromised", .abuse),
        ("malicious", .abuse), ("phishing", .abuse),
        ("quotas", .quota), ("reach", .reached), ("count", .rateNoun),
        // The recipient's storage: "disk quota exceeded" is a full mailbox, not our sending.
        ("disk", .storage),
        // Not our sending either: a hop count or a line length exceeded.
        ("hop", .time), ("hops", .time), ("length", .sizeWord),
        // "resource limit exceeded": the destination's own resources, busy, not our rate.
        ("resource", .busy),
        // Round 13 (transient failures): a message waiting in a queue is deferred ("still in queue", "queued for retry",
        // "delivery is pending", "attempting redelivery"; not "delayed", which delay notices share); a count of retries is an age, not our rate ("maximum retries exceeded" is an
        // expiry: "retries" above is also `.time`; not the verb "retry", as in "frequency exceeded, retry later"); the destination's own directory or database failing is an
        // internal fault ("database error", "LDAP error"); a "data transfer interrupted" is a connection's fault; a server
        // "not ready" did not answer (`.reach`, so that "relay server not ready" is no relay refusal).
        ("queue", .temporary), ("queued", .temporary), ("pending", .temporary), ("redelivery", .temporary),
        ("redeliver", .temporary), ("reattempt", .temporary),
        ("database", .internalFault), ("ldap", .internalFault), ("transfer", .connection), ("ready", .reach),
        // A bounce is a kind of message a destination may refuse by policy ("this bounce message has too many recipients").
        ("bounce", .contentNoun), ("bounces", .contentNoun),
        // Round 13 (rules-r13b): more states of a recipient that is gone, as less common MTAs, gateways and ISPs word
        // them ("unregistered address", "mailbox removed", "address is obsolete", "mailbox is dormant", "mailbox is not
        // hosted here", "email address no longer in use"). "No longer" negates what follows, as "not" does.
        ("unrecognised", .gone), ("unrecognized", .gone), ("unregistered", .gone), ("nonexistant", .gone),
        ("non-existant", .gone), ("inexistant", .gone), ("inexisting", .gone), ("unkown", .gone), ("unknwon", .gone),
        ("obsolete", .gone), ("defunct", .gone), ("unassigned", .gone),
        ("dormant", .disabled), ("retired", .disabled), ("archived", .disabled), ("decommissioned", .disabled),
        ("deprovisioned", .disabled), ("revoked", .disabled), ("removed", .disabled), ("inactivated", .disabled),
        ("dead", .disabled), ("lapsed", .disabled),
        ("active", .existence), ("hosted", .existence), ("served", .existence), ("use", .existence), ("used", .existence),
        ("longer", .negation),
        // Our credentials: a recipient noun next to them is our login ("Invalid user or password"). The pair of classes
        // (a sender mark that is also one of our nouns) is theirs alone; `WordCues.suppression` reads it.
        ("password", [.senderMark, .ourNoun]), ("passwd", [.senderMark, .ourNoun]), ("credentials", [.senderMark, .ourNoun]),
        ("credential", [.senderMark, .ourNoun]),
        ("gone", .gone), ("moved", .gone), ("bad", .gone), ("left", .disabled), ("customer", .recipientNoun), ("member", .recipientNoun),
        // Round 14 (rules-r14a): "here" after a negation states that the recipient is not there ("User not here",
        // "That user is no longer here"), as "not hosted here" does.
        ("here", .existence),
        // Round 15 (rules-r15b, limit statements): "too much" is "too many" of a mass ("too much mail", "too much traffic");
        // traffic and volume are counts of our mail; a session is one of our connections ("per session").
        ("much", .many), ("traffic", .rateNoun), ("volume", .rateNoun), ("session", .rateNoun), ("bandwidth", .rateNoun),
        // Throttling in other words ("temporarily limiting mail from your IP"), and a pace compared with what is allowed.
        ("limiting", .throttle), ("faster", .fast), ("than", .comparison), ("sends", .rateNoun),
        ("high", .intensity), ("excessive", .intensity), ("unusual", .intensity), ("unusually", .intensity), ("heavy", .intensity),
    ]

    /// Open-addressing table of (word hash, classes); a word's hash is FNV-1a over its lower-case bytes.
    static let table: WordTable = WordTable(vocabulary + languageVocabulary + statusCauseVocabulary)

    @inline(__always) static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        FNV1a64.step(hash, byte)
    }
    static let hashSeed: UInt64 = FNV1a64.offsetBasis
}

/// A fixed table from word hashes to classes, probed linearly; built once. Its two columns are plain memory, allocated
/// once and never freed (the tables are static): a lookup per word reads them without bounds checks or reference counts.
struct WordTable: @unchecked Sendable {
    private let hashes: UnsafeMutablePointer<UInt64>
    private let classes: UnsafeMutablePointer<WordClass.RawValue>
    private let mask: Int

    init(_ words: [(String, WordClass)]) {
        var size = 64
        while size < words.count * 4 { size <<= 1 }
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
        hashes.initialize(repeating: 0, count: size)
        let classes = UnsafeMutablePointer<WordClass.RawValue>.allocate(capacity: size)
        classes.initialize(repeating: 0, count: size)
        for (word, wordClass) in words {
            var hash = WordFamilies.hashSeed
            for byte in word.utf8 { hash = WordFamilies.hashStep(hash, byte) }
            var slot = Int(truncatingIfNeeded: hash) & (size - 1)
            while hashes[slot] != 0 && hashes[slot] != hash { slot = (slot + 1) & (size - 1) }
            hashes[slot] = hash
            classes[slot] |= wordClass.rawValue
        }
        self.hashes = hashes
        self.classes = classes
        mask = size - 1
    }

    @inline(__always) func classes(ofHash hash: UInt64) -> WordClass {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = hashes[slot]
            if stored == hash { return WordClass(rawValue: classes[slot]) }
            if stored == 0 { return [] }
            slot = (slot &+ 1) & mask
        }
    }
}
