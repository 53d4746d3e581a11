/// The safety rules no rule file can break, applied after rule evaluation.
///
/// Suppressing a good address because the remote server refused *us* is the costliest mistake, so:
/// 1. A `suppress` verdict (from any rule, default or user) is withdrawn when the text also says that
///    *we* are refused (block lists, authentication, reputation, rate, spam, relaying, our IP or host,
///    a reply to MAIL FROM, HELO or the greeting) or that the failure is temporary ("try again
///    later", "temporarily", a full disk), in English or in the languages localised servers answer in
///    (French, German, Spanish, Portuguese, Italian, Russian, Chinese, Japanese, Korean). The best
///    matching non-suppress text rule decides instead; failing that, the guard phrase itself does. A disabled mailbox said to be temporary keeps its
///    reason ("mailbox temporarily disabled" is `retry` / `mailbox_disabled`). The guard tells who is
///    refused: the vague words "policy" and "content", and our side named in general words ("sending
///    server", "the IP address", "your domain"), do not withdraw a suppression that also carries
///    definite recipient evidence ("does not exist in our policy database", "User unknown; rejecting
///    mail from IP address …"); volume words ("too much mail", "short period", "per hour") withdraw
///    except for full-and-inactive mailboxes; block-list words (and "spam") do not withdraw a
///    `recipient_refuses_sender` verdict whose text says the block list is the recipient's own, nor a
///    sending service's own suppression list; "spam" does not withdraw a `mailbox_disabled` verdict whose text names
///    the recipient as the one refused ("Recipient address rejected: Mailbox disabled by spam policy"). Complaints (abuse reports) are never withdrawn: they are
///    about spam.
/// 2. A `suppress` verdict reached without text evidence (status or reply code only) for a `x.7.x`
///    status is turned into `sender` / `policy_rejection`: 5.7.1 means almost anything.
/// 3. A `suppress` verdict for a 4xx reply (or a 4.x.x status without a reply code) becomes `retry`
///    with the same reason (`domain_not_found` becomes `dns_temporary`): the server itself says the
///    failure is temporary. Exceptions: `mailbox_full_inactive`, and a transcript whose 4xx is a
///    busy or connection reply followed by a permanent recipient reply (the recipient reply decides).
/// 4. A `suppress` verdict for an x.1.7 or x.1.8 status (bad sender address) becomes `sender` /
///    `sender_address_invalid`.
/// 5. A response with no reply code, no status and no matching text is `unknown` / `unclassified`.
enum SafetyGuard {
    /// How a guard phrase withdraws a suppression.
    enum Strength: Sendable {
        /// Names us as the refused party (a block list service, our IP, our authentication): always withdraws.
        case senderSide
        /// Names our side as the subject of the refusal in general words (the sending server, an IP address, our
        /// account): withdraws unless the text also gives definite recipient evidence ("user unknown").
        case subject
        /// Says the refusal is about volume (too much mail, too quickly, a limit per hour): withdraws, except for
        /// full-and-inactive mailboxes, whose quota words are about the mailbox.
        case volume
        /// A block list that may be the recipient's own: withdraws unless the text says it is.
        case blockList
        /// The word "spam", a verdict on our message: withdraws unless the block is the recipient's own,
        /// or the verdict is a sending service's suppression list naming an earlier complaint, or a disabled mailbox
        /// the text names the recipient's.
        case spamWord
        /// A vague word ("policy", "content"): withdraws unless the text also gives definite recipient evidence.
        case vague
        /// Says the failure is temporary: always withdraws (except for full-and-inactive mailboxes).
        case temporary
    }

    /// A guard phrase and what the response means when it overrides a suppression.
    struct Phrase: Sendable {
        let phrase: String
        let category: BounceCategory
        let reason: String
        let strength: Strength
        /// The rule id reported when the guard decides, e.g. `guard.ip_blocklisted`.
        let ruleID: String
        /// Evidence reported when the guard decides.
        let evidence: String
        /// Wording that shows this phrase is not a refusal at all (qmail-remote's AUTH patch prints "User and
        /// password not set, continuing without authentication." in every report): then the phrase is ignored.
        let unlessAlso: String?

        init(_ phrase: String, _ category: BounceCategory, _ reason: String, _ strength: Strength = .senderSide,
             unlessAlso: String? = nil) {
            self.phrase = phrase
            self.category = category
            self.reason = reason
            self.strength = strength
            self.unlessAlso = unlessAlso
            ruleID = "guard.\(reason)"
            let shown = String(phrase.drop(while: { $0 == "~" || $0 == "|" }))
            switch strength {
            case .temporary: evidence = "temporary wording '\(shown)' forbids suppression"
            case .volume: evidence = "volume wording '\(shown)' forbids suppression"
            default: evidence = "sender-side phrase '\(shown)' forbids suppression"
            }
        }
    }

    /// In priority order: the first one that applies decides when no rule does.
    static let phrases: [Phrase] = [
        Phrase("blocklist", .sender, "ip_blocklisted", .blockList),
        Phrase("block list", .sender, "ip_blocklisted", .blockList),
        Phrase("blacklist", .sender, "ip_blocklisted", .blockList),
        Phrase("black list", .sender, "ip_blocklisted", .blockList),
        Phrase("blocked using", .sender, "ip_blocklisted"),
        Phrase("spamhaus", .sender, "ip_blocklisted"),
        Phrase("spamcop", .sender, "ip_blocklisted"),
        // The list, not the vendor: a Barracuda gateway also answers "No such user".
        Phrase("barracudacentral", .sender, "ip_blocklisted"),
        Phrase("barracuda reputation", .sender, "ip_blocklisted"),
        Phrase("|brbl|", .sender, "ip_blocklisted"),
        Phrase("dnsbl", .sender, "ip_blocklisted"),
        Phrase("your ip", .sender, "ip_blocklisted"),
        // Not "your hosting provider", which hosting companies' bounces name as whom to ask, whatever was refused.
        Phrase("your host", .sender, "policy_rejection", unlessAlso: "your hosting"),
        Phrase("your server", .sender, "policy_rejection"),
        Phrase("your mail server", .sender, "policy_rejection"),
        Phrase("your mta", .sender, "policy_rejection"),
        Phrase("sending ip", .sender, "ip_blocklisted"),
        Phrase("client host", .sender, "ip_blocklisted"),
        // Our side named in general words: unless the recipient is plainly gone, the refusal is of us.
        Phrase("sending server", .sender, "policy_rejection", .subject),
        Phrase("sending host", .sender, "policy_rejection", .subject),
        Phrase("sending mta", .sender, "policy_rejection", .subject),
        Phrase("sending domain", .sender, "policy_rejection", .subject),
        Phrase("sender ip", .sender, "ip_blocklisted", .subject),
        Phrase("sender's ip", .sender, "ip_blocklisted", .subject),
        Phrase("source ip", .sender, "ip_blocklisted", .subject),
        Phrase("originating ip", .sender, "ip_blocklisted", .subject),
        Phrase("connecting ip", .sender, "ip_blocklisted", .subject),
        Phrase("client ip", .sender, "ip_blocklisted", .subject),
        // "ip address" with a determiner or a verb: qmail's "couldn't find a mail exchanger or IP address" is no refusal of us.
        Phrase("the ip address", .sender, "ip_blocklisted", .subject),
        Phrase("this ip address", .sender, "ip_blocklisted", .subject),
        Phrase("ip address is", .sender, "ip_blocklisted", .subject),
        Phrase("ip address has", .sender, "ip_blocklisted", .subject),
        Phrase("ip address was", .sender, "ip_blocklisted", .subject),
        Phrase("your domain", .sender, "policy_rejection", .subject),
        Phrase("your account", .sender, "sender_banned"),
        // Our own account or mailbox named in other words ("554 5.7.1 The sender's account is disabled").
        Phrase("sender's account", .sender, "sender_banned"),
        Phrase("sender account", .sender, "sender_banned"),
        Phrase("sending account", .sender, "sender_banned"),
        Phrase("your mailbox", .sender, "sender_banned"),
        Phrase("your email account", .sender, "sender_banned"),
        Phrase("your e-mail account", .sender, "sender_banned"),
        Phrase("your network", .sender, "ip_blocklisted", .subject),
        Phrase("dynamic ip", .sender, "ip_blocklisted", .subject),
        Phrase("residential", .sender, "ip_blocklisted", .subject),
        Phrase("sender filtering", .sender, "policy_rejection", .subject),
        // The same in the languages localised servers answer in (lower case: the matcher folds case and width).
        Phrase("votre adresse ip", .sender, "ip_blocklisted"),
        Phrase("votre ip", .sender, "ip_blocklisted"),
        Phrase("ihre ip", .sender, "ip_blocklisted"),
        Phrase("ihrer ip", .sender, "ip_blocklisted"),
        Phrase("su dirección ip", .sender, "ip_blocklisted"),
        Phrase("su ip", .sender, "ip_blocklisted"),
        Phrase("seu endereço ip", .sender, "ip_blocklisted"),
        Phrase("seu ip", .sender, "ip_blocklisted"),
        Phrase("tuo indirizzo ip", .sender, "ip_blocklisted"),
        Phrase("il tuo ip", .sender, "ip_blocklisted"),
        Phrase("ваш ip", .sender, "ip_blocklisted"),
        Phrase("вашего ip", .sender, "ip_blocklisted"),
        Phrase("ip-адрес", .sender, "ip_blocklisted"),
        Phrase("twój adres ip", .sender, "ip_blocklisted"),
        Phrase("twojego adresu ip", .sender, "ip_blocklisted"),
        Phrase("twoje ip", .sender, "ip_blocklisted"),
        Phrase("vaše ip", .sender, "ip_blocklisted"),
        Phrase("vaší ip", .sender, "ip_blocklisted"),
        Phrase("ip adresa odesílatele", .sender, "ip_blocklisted"),
        Phrase("uw ip", .sender, "ip_blocklisted"),
        Phrase("din ip", .sender, "ip_blocklisted"),
        Phrase("ip adresiniz", .sender, "ip_blocklisted"),
        Phrase("ip adresinizin", .sender, "ip_blocklisted"),
        Phrase("ваша ip", .sender, "ip_blocklisted"),
        Phrase("вашу ip", .sender, "ip_blocklisted"),
        Phrase("ip-адреса", .sender, "ip_blocklisted"),
        Phrase("发信ip", .sender, "ip_blocklisted"),
        Phrase("您的ip", .sender, "ip_blocklisted"),
        Phrase("你的ip", .sender, "ip_blocklisted"),
        Phrase("送信元ip", .sender, "ip_blocklisted"),
        Phrase("送信元のip", .sender, "ip_blocklisted"),
        Phrase("발신 ip", .sender, "ip_blocklisted"),
        Phrase("발신ip", .sender, "ip_blocklisted"),
        Phrase("votre domaine", .sender, "policy_rejection"),
        Phrase("ihre domain", .sender, "policy_rejection"),
        Phrase("su dominio", .sender, "policy_rejection"),
        Phrase("seu domínio", .sender, "policy_rejection"),
        Phrase("il tuo dominio", .sender, "policy_rejection"),
        Phrase("ваш домен", .sender, "policy_rejection"),
        Phrase("twoja domena", .sender, "policy_rejection", .subject),
        Phrase("twojej domeny", .sender, "policy_rejection", .subject),
        Phrase("vaše doména", .sender, "policy_rejection", .subject),
        Phrase("vaši doménu", .sender, "policy_rejection", .subject),
        Phrase("uw domein", .sender, "policy_rejection", .subject),
        Phrase("din domän", .sender, "policy_rejection", .subject),
        Phrase("alan adınız", .sender, "policy_rejection", .subject),
        Phrase("发信域名", .sender, "policy_rejection"),
        Phrase("您的域名", .sender, "policy_rejection"),
        Phrase("送信元ドメイン", .sender, "policy_rejection"),
        Phrase("발신 도메인", .sender, "policy_rejection"),
        Phrase("sender address", .sender, "sender_address_invalid"),
        // Our envelope sender named in other words ("550 sender mailbox unknown", Exim "Sender verify failed").
        Phrase("sender mailbox", .sender, "sender_address_invalid"),
        Phrase("sender verif", .sender, "sender_address_invalid"),
        Phrase("sender's address", .sender, "sender_address_invalid"),
        // "550 5.1.0 Sender email does not exist": the address that does not exist is our envelope sender (round 14).
        Phrase("sender email", .sender, "sender_address_invalid"),
        Phrase("sender e-mail", .sender, "sender_address_invalid"),
        // "550 5.1.0 <news@example.org> sender rejected: address does not exist": the address that does not exist is ours.
        Phrase("sender rejected", .sender, "sender_address_invalid"),
        // A reply to MAIL FROM, HELO or the greeting refuses the sender or the connection, never the recipient.
        Phrase("in reply to mail from command", .sender, "sender_address_invalid"),
        Phrase("after mail from:", .sender, "sender_address_invalid"),
        Phrase("after pipelined mail from:", .sender, "sender_address_invalid"),
        // Momentum/ecelerity's report ">>> x@example.net (after MAIL FROM): 553 …".
        Phrase("after mail from)", .sender, "sender_address_invalid"),
        Phrase("in reply to helo command", .sender, "bad_helo"),
        Phrase("helo command rejected", .sender, "bad_helo"),
        Phrase("ehlo command rejected", .sender, "bad_helo"),
        // A policy daemon's refusal of our HELO name (cbpolicyd "Invalid HELO/EHLO; Cannot resolve 'x', no such domain").
        Phrase("invalid helo", .sender, "bad_helo"),
        Phrase("in reply to ehlo command", .sender, "bad_helo"),
        // The HELO/EHLO command or name itself (Exim "after EHLO x:", "501 EHLO Invalid domain address."): never the recipient.
        Phrase("|ehlo|", .sender, "bad_helo"),
        // Not Postfix's log metadata "; from=<a> to=<b> proto=ESMTP helo=<name>" after a reject, which names the client's
        // HELO whatever was refused ("Recipient address rejected: User unknown in local recipient table; … helo=<…>").
        Phrase("|helo|", .sender, "bad_helo", unlessAlso: "helo=<"),
        // Our login does not match our envelope sender ("Recipient address rejected: Username x and sender doesn't match").
        Phrase("sender doesn't match", .sender, "not_authenticated"),
        Phrase("sender does not match", .sender, "not_authenticated"),
        Phrase("after initial connection", .sender, "policy_rejection"),
        Phrase("while receiving the initial server greeting", .sender, "policy_rejection"),
        Phrase("but sender was rejected", .sender, "sender_address_invalid"),
        // The sender's counterpart of qmail-remote's "does not like recipient" (round 13, from batch r13b-gone-b after its
        // transfer figure: a notice quoting "<host> does not like sender. … this account has been disabled"): the
        // account refused is ours.
        Phrase("does not like sender", .sender, "sender_address_invalid"),
        // qmail-remote tried the next MX after a greeting failure; "does not like recipient" is the reply that decides.
        Phrase("but greeting failed", .sender, "policy_rejection", unlessAlso: "does not like recipient"),
        Phrase("but my name was rejected", .sender, "bad_helo"),
        // A Sendmail transcript that went on to RCPT TO had its MAIL FROM accepted ("250 2.1.0 Sender ok").
        Phrase(">>> mail from:", .sender, "sender_address_invalid", unlessAlso: ">>> rcpt to:"),
        // The sender's domain named as the refused party (maddy "Domain in MAIL FROM has null MX record").
        Phrase("domain in mail from", .sender, "sender_address_invalid"),
        Phrase("mail from domain", .sender, "sender_address_invalid"),
        Phrase("sender domain", .sender, "sender_address_invalid"),
        // Haraka's mail_from.is_resolvable: "No MX for your FROM address", "Null MX: example.org does not send mail".
        Phrase("your from address", .sender, "sender_address_invalid"),
        Phrase("does not send mail", .sender, "sender_address_invalid"),
        Phrase("~dmarc", .sender, "auth_dmarc"),
        Phrase("dkim", .sender, "auth_dkim"),
        Phrase("spf", .sender, "auth_spf"),
        Phrase("sender policy framework", .sender, "auth_spf"),
        Phrase("authenticat", .sender, "auth_failed", unlessAlso: "continuing without authentication"),
        // Our SMTP AUTH login refused (indimail-virtualdomains vchkpass.c "553-Sorry, this account is inactive (#5.7.1)" /
        // "535 authorization failure (#5.7.8)"): the inactive account is ours, not the recipient's.
        Phrase("authorization failure", .sender, "auth_failed"),
        Phrase("reverse dns", .sender, "reverse_dns"),
        Phrase("ptr record", .sender, "reverse_dns"),
        Phrase("reputation", .sender, "reputation"),
        Phrase("relay access denied", .sender, "relay_denied"),
        Phrase("relaying denied", .sender, "relay_denied"),
        Phrase("relay not permitted", .sender, "relay_denied"),
        Phrase("unable to relay", .sender, "relay_denied"),
        Phrase("relaying not allowed", .sender, "relay_denied"),
        Phrase("relay denied", .sender, "relay_denied"),
        Phrase("rate limit", .ratelimit, "rate_limited"),
        Phrase("rate-limit", .ratelimit, "rate_limited"),
        Phrase("ratelimit", .ratelimit, "rate_limited"),
        Phrase("at a rate", .ratelimit, "rate_limited"),
        Phrase("too many", .ratelimit, "rate_limited"),
        Phrase("too fast", .ratelimit, "rate_limited"),
        Phrase("throttl", .ratelimit, "rate_limited"),
        // Volume in general words: a mailbox or server refusing more mail for now is no sign that the address is gone.
        Phrase("too quickly", .ratelimit, "rate_limited", .volume),
        Phrase("too much mail", .ratelimit, "rate_limited", .volume),
        Phrase("too much email", .ratelimit, "rate_limited", .volume),
        Phrase("too much e-mail", .ratelimit, "rate_limited", .volume),
        Phrase("short period", .ratelimit, "rate_limited", .volume),
        Phrase("limit exceeded", .ratelimit, "rate_limited", .volume),
        Phrase("exceeded the limit", .ratelimit, "rate_limited", .volume),
        Phrase("exceeded a limit", .ratelimit, "rate_limited", .volume),
        Phrase("limit reached", .ratelimit, "rate_limited", .volume),
        Phrase("reached the limit", .ratelimit, "rate_limited", .volume),
        Phrase("rate exceeded", .ratelimit, "rate_limited", .volume),
        Phrase("|volume", .ratelimit, "rate_limited", .volume),
        Phrase("frequency", .ratelimit, "rate_limited", .volume),
        Phrase("per hour", .ratelimit, "rate_limited", .volume),
        Phrase("per minute", .ratelimit, "rate_limited", .volume),
        Phrase("slow down", .ratelimit, "rate_limited", .volume),
        Phrase("concurrent", .ratelimit, "rate_limited", .volume),
        Phrase("per day", .ratelimit, "daily_limit", .volume),
        Phrase("daily limit", .ratelimit, "daily_limit", .volume),
        Phrase("daily quota", .ratelimit, "daily_limit", .volume),
        Phrase("hourly", .ratelimit, "rate_limited", .volume),
        // A quota named in a suppression is a full mailbox (or our sending quota), never a gone address.
        Phrase("quota exceeded", .retry, "mailbox_full", .volume),
        Phrase("over quota", .retry, "mailbox_full", .volume),
        // "~": not inside a host name (a gateway called spamfilter.example.net refuses nobody for spam);
        // "|": a word start, so an "antivirus gateway" or "antimalware" filter named in a wrapper is no verdict.
        // Barracuda's "X-Spam-&-Virus-Firewall;" token names the appliance in every report it writes, not a verdict.
        Phrase("~|virus", .content, "virus", unlessAlso: "spam-&-virus-firewall"),
        Phrase("~|malware", .content, "virus"),
        Phrase("~spam", .content, "spam_content", .spamWord, unlessAlso: "x-spam-&-virus"),
        Phrase("content", .content, "content_policy", .vague),
        Phrase("policy", .sender, "policy_rejection", .vague),
        Phrase("try again later", .retry, "temporary_failure", .temporary),
        // "Please try again with a valid address" tells the sender to use another address, not to wait.
        Phrase("please try again", .retry, "temporary_failure", .temporary, unlessAlso: "try again with a"),
        Phrase("try later", .retry, "temporary_failure", .temporary),
        Phrase("please retry", .retry, "temporary_failure", .temporary, unlessAlso: "retry with a"),
        Phrase("temporar", .retry, "temporary_failure", .temporary),
        Phrase("migrat", .retry, "temporary_failure", .temporary),
        // Native temporary wording ("temporar" above already covers "temporariamente").
        Phrase("temporal", .retry, "temporary_failure", .temporary),
        Phrase("temporair", .retry, "temporary_failure", .temporary),
        Phrase("temporári", .retry, "temporary_failure", .temporary),
        Phrase("temporane", .retry, "temporary_failure", .temporary),
        Phrase("vorübergehend", .retry, "temporary_failure", .temporary),
        Phrase("vorläufig", .retry, "temporary_failure", .temporary),
        Phrase("später erneut", .retry, "temporary_failure", .temporary),
        Phrase("réessayer plus tard", .retry, "temporary_failure", .temporary),
        Phrase("más tarde", .retry, "temporary_failure", .temporary),
        Phrase("mais tarde", .retry, "temporary_failure", .temporary),
        Phrase("più tardi", .retry, "temporary_failure", .temporary),
        // A word start: "одновременно" (simultaneously) is no temporary failure.
        Phrase("|временн", .retry, "temporary_failure", .temporary),
        Phrase("попробуйте позже", .retry, "temporary_failure", .temporary),
        Phrase("暂时", .retry, "temporary_failure", .temporary),
        Phrase("临时", .retry, "temporary_failure", .temporary),
        Phrase("稍后重试", .retry, "temporary_failure", .temporary),
        Phrase("稍后再试", .retry, "temporary_failure", .temporary),
        Phrase("请稍后", .retry, "temporary_failure", .temporary),
        Phrase("一時的", .retry, "temporary_failure", .temporary),
        Phrase("しばらくしてから", .retry, "temporary_failure", .temporary),
        Phrase("後ほど再送", .retry, "temporary_failure", .temporary),
        Phrase("일시적", .retry, "temporary_failure", .temporary),
        Phrase("잠시 후", .retry, "temporary_failure", .temporary),
        // Polish, Czech/Slovak, Dutch, Swedish, Turkish and Ukrainian (the vocabulary of 35-localised.yaml).
        Phrase("tymczasow", .retry, "temporary_failure", .temporary),
        Phrase("spróbuj później", .retry, "temporary_failure", .temporary),
        Phrase("spróbuj ponownie później", .retry, "temporary_failure", .temporary),
        Phrase("dočasn", .retry, "temporary_failure", .temporary),
        Phrase("později", .retry, "temporary_failure", .temporary),
        Phrase("neskôr", .retry, "temporary_failure", .temporary),
        Phrase("tijdelijk", .retry, "temporary_failure", .temporary),
        Phrase("later opnieuw", .retry, "temporary_failure", .temporary),
        Phrase("tillfällig", .retry, "temporary_failure", .temporary),
        Phrase("försök igen senare", .retry, "temporary_failure", .temporary),
        Phrase("geçici", .retry, "temporary_failure", .temporary),
        Phrase("daha sonra tekrar", .retry, "temporary_failure", .temporary),
        Phrase("тимчасов", .retry, "temporary_failure", .temporary),
        Phrase("спробуйте пізніше", .retry, "temporary_failure", .temporary),
        Phrase("disk full", .retry, "temporary_failure", .temporary),
        Phrase("disk is full", .retry, "temporary_failure", .temporary),
        Phrase("out of disk", .retry, "temporary_failure", .temporary),
        Phrase("no space left on device", .retry, "temporary_failure", .temporary),
        Phrase("insufficient system storage", .retry, "temporary_failure", .temporary),
    ]

    /// Wording that says the recipient itself is gone; with it, "policy" or "content" elsewhere in the
    /// text ("does not exist in our policy database") does not make the refusal ours.
    static let definiteRecipientPhrases: [String] = [
        "does not exist", "doesn't exist", "user unknown", "unknown user", "no such user", "no such mailbox",
        "no such recipient", "no such account", "unknown recipient", "recipient unknown", "mailbox not found",
        "recipient not found", "user not found", "address not found", "not listed in", "no mailbox here",
        "unrouteable address", "mailbox is disabled", "account is disabled", "account has been disabled",
        "no longer active", "null mx", "domain not found", "no such domain", "nxdomain",
        // The same families in the words other servers use: the recipient as the subject of the refusal.
        "address unknown", "unknown address", "mailbox unknown", "unknown mailbox", "user does not exist", "not a valid user",
        "invalid recipient", "recipient invalid", "invalid mailbox", "no such address", "user not known", "addressee unknown",
        "recipient inactive", "mailbox inactive", "account inactive", "inactive account", "inactive mailbox",
        "account has been suspended", "account is suspended", "account suspended", "mailbox suspended", "mailbox is suspended",
        "account has been disabled", "account disabled", "mailbox disabled", "mailbox has been disabled",
        "account closed", "account has been closed", "mailbox closed", "deactivated", "account expired",
        "mailbox deleted", "mailbox was deleted", "mailbox has been deleted", "account deleted", "account was deleted",
        "account has been deleted", "mailbox has been removed", "account has been removed",
        "couldn't find a mail exchanger", "could not find a mail exchanger", "non-existent hosts", "no mx record",
        "is not a valid address", "not a valid recipient",
        // A locked recipient account (magma "THE ACCOUNT <x> HAS BEEN LOCKED FOR ABUSE POLICY VIOLATIONS"); ours is "your account".
        "account locked", "account is locked", "account has been locked", "has been locked for", "mailbox is locked",
        // Yandex's "Policy rejection on the target address": the recipient's account is blocked (its bounce page).
        "rejection on the target address", "no correct recipients",
    ]

    /// Wording that says a block list is the recipient's own (a personal blocked-senders list, a
    /// recipient who chose not to receive from us): a banned recipient, not a sender problem.
    /// Wording that names the recipient as the one refused (a reply to RCPT TO, "Recipient address rejected:"): with a
    /// `mailbox_disabled` verdict, the word "spam" then says why the recipient's mailbox was closed.
    static let recipientNamedPhrases: [String] = [
        "recipient address rejected", "recipient's account", "recipient account", "recipient's mailbox", "recipient mailbox",
        "in reply to rcpt to command", "after rcpt to:", "after pipelined rcpt to:",
        // An account or mailbox closed for spamming ("Account disabled due to spam"): "spam" says why it was closed.
        // Not "suspended due to spam complaints": complaints are about a sender, so that account may be ours.
        "disabled due to spam", "disabled for sending spam", "disabled for spam", "suspended for sending spam",
        "closed due to spam", "closed for spam",
    ]

    static let recipientOwnBlockPhrases: [String] = [
        "recipient's block", "recipient's blocked", "recipient's personal", "recipients block", "user entry",
        "user domain entry", "manually blocked", "blocked by the recipient", "blocked by recipient",
        "recipient has blocked", "personal block", "user's block", "user has blocked", "blocked senders list",
        "chosen not to receive", "chose not to receive", "rejected by this user", "recipient refuses",
        "does not want to receive", "blocked by the user", "blocked by user", "user's reject list", "user's blacklist",
        "personal blacklist", "personal reject list",
        // The same in other words: the recipient chose to block us or opted out.
        "chosen to block", "chose to block", "recipient rejects", "recipient has opted out", "has opted out", "opted out of",
        "has unsubscribed", "blocked your email", "blocked your address", "blocked your domain", "rejects mail from you",
        "refuses mail from you", "blocks mail from you",
        // The same in other languages (the recipient set the list for their own mailbox).
        "nastavený blacklist", "pro svou schránku", "příjemce zablokoval", "odbiorca zablokował", "destinataire a bloqué",
        "empfänger hat sie blockiert", "ontvanger heeft u geblokkeerd", "ontvanger heeft uw", "dodało cię do listy zablokowanych",
    ]

    /// The reasons the guard treats specially, resolved once per rule so the hot path compares no strings.
    enum ReasonKind: Sendable {
        /// An abuse complaint: no guard phrase withdraws it (it speaks of spam by nature).
        case complaint
        /// Full and inactive: a 4xx or temporary wording does not make it come back.
        case fullAndInactive
        /// The recipient's own block: its own block list does not name us.
        case recipientRefuses
        /// A disabled mailbox said to be temporary keeps its reason.
        case mailboxDisabled
        /// A sending service's own suppression list: its text names the earlier bounce or complaint
        /// ("a hard bounce, a spam complaint"), which is no refusal of us.
        case suppressionList
        case other

        init(reason: String) {
            switch reason {
            case "complaint": self = .complaint
            case SafetyGuard.fullAndInactiveReason: self = .fullAndInactive
            case SafetyGuard.recipientRefusesReason: self = .recipientRefuses
            case SafetyGuard.mailboxDisabledReason: self = .mailboxDisabled
            case SafetyGuard.suppressionListReason: self = .suppressionList
            default: self = .other
            }
        }
    }

    /// Rule id and evidence for rule 2.
    static let securityStatusRuleID = "guard.status_x7_not_suppress"
    static let securityStatusEvidence = "an x.7.x status without recipient text never suppresses"
    static let temporaryCodeEvidence = "4xx reply: the server calls the failure temporary, so retry instead of suppressing"
    static let senderAddressStatusRuleID = "guard.status_sender_address"
    static let senderAddressStatusEvidence = "x.1.7/x.1.8 concern the sender's address, never the recipient"
    static let fullAndInactiveReason = "mailbox_full_inactive"
    static let recipientRefusesReason = "recipient_refuses_sender"
    static let mailboxDisabledReason = "mailbox_disabled"
    static let suppressionListReason = "on_suppression_list"
    static let unclassifiedRuleID = "fallback.unclassified"
}

extension SafetyGuard {
    /// The index in `phrases` of the first guard phrase that withdraws a suppression of `reason`, or nil.
    /// `matched` holds the automaton's bits; the guard's phrases start at `ruleSet.guardPhraseBase`.
    @inline(__always)
    /// `ownBlockStated`: the words were read as the recipient's own block (`WordCues.recipientOwnsBlock`), as the
    /// guard's phrases of the recipient's own block say it.
    static func withdrawingPhrase(reason: ReasonKind, ruleSet: RuleSet, matched: UnsafeBufferPointer<UInt64>,
                                  ignoringTemporary: Bool = false, ignoringVague: Bool = false,
                                  ownBlockStated: Bool = false, listHoldsRecipient: Bool = false,
                                  recipientStated: Bool = false) -> Int? {
        if reason == .complaint { return nil }
        var definite: Bool? = nil
        var ownBlock: Bool? = ownBlockStated ? true : nil
        var recipientNamed: Bool? = nil
        let base = ruleSet.guardPhraseBase, end = base + ruleSet.guardStrengths.count
        var next = base
        while let id = firstSet(matched, from: next, below: end) {
            next = id + 1
            let offset = id - base
            let unless = ruleSet.guardUnlessIDs[offset]
            if unless >= 0, isSet(matched, Int(unless)) { continue }
            switch ruleSet.guardStrengths[offset] {
            case .senderSide:
                return offset
            case .volume:
                if reason != .fullAndInactive { return offset }
            case .subject:
                if reason == .recipientRefuses {
                    if ownBlock == nil { ownBlock = anySet(matched, ruleSet.ownBlockRange) }
                    if ownBlock == true { continue }
                }
                if definite == nil { definite = anySet(matched, ruleSet.definiteRange) }
                if definite == false { return offset }
            case .temporary:
                if reason != .fullAndInactive && !ignoringTemporary { return offset }
            case .blockList:
                // The words put the recipient on the list ("This recipient is blacklisted"): the list names no one of ours.
                if reason == .suppressionList || listHoldsRecipient { continue }
                if reason != .recipientRefuses { return offset }
                if ownBlock == nil { ownBlock = anySet(matched, ruleSet.ownBlockRange) }
                if ownBlock == false { return offset }
            case .spamWord:
                if reason == .suppressionList { continue }
                // "Recipient address rejected: Mailbox disabled by spam policy": the recipient's account was closed
                // for spam; the word says why it is gone, not that our message is spam.
                if reason == .mailboxDisabled {
                    // Round 16: the caller read the recipient's mailbox stated disabled (`BlockedRecipient.disabledStated`).
                    if recipientStated { continue }
                    if recipientNamed == nil { recipientNamed = anySet(matched, ruleSet.recipientNamedRange) }
                    if recipientNamed == true { continue }
                }
                if reason != .recipientRefuses { return offset }
                if ownBlock == nil { ownBlock = anySet(matched, ruleSet.ownBlockRange) }
                if ownBlock == false { return offset }
            case .vague:
                // The words state the recipient's own condition (`Classifier.refusalSubjectVerdict`): "policy" says why.
                if reason == .suppressionList || ignoringVague { continue }
                if reason == .recipientRefuses {
                    if ownBlock == nil { ownBlock = anySet(matched, ruleSet.ownBlockRange) }
                    if ownBlock == true { continue }
                }
                if definite == nil { definite = anySet(matched, ruleSet.definiteRange) }
                if definite == false { return offset }
            }
        }
        return nil
    }

    /// The reason a suppression keeps when the failure turns out temporary: a domain that is not found
    /// for now is a temporary DNS failure; other reasons stay, for the planner.
    static func temporaryReason(for reason: String) -> String {
        reason == "domain_not_found" ? "dns_temporary" : reason
    }

    @inline(__always)
    private static func anySet(_ matched: UnsafeBufferPointer<UInt64>, _ range: Range<Int>) -> Bool {
        firstSet(matched, from: range.lowerBound, below: range.upperBound) != nil
    }
}
