/// Whose block is it (issue 12, pattern 6): the same list words serve every party. "550 You are in the
/// recipient's blacklist" and "554 Blacklisted [192.0.2.3]" both say "blacklist"; what differs is the list's
/// OWNER (the recipient person, or an organisation, a provider, a list service) and its OBJECT (our address,
/// or our IP, host or server). Phrase rules written one wording at a time never covered the next wording, so
/// this reads the owner from the words around the list word or the refusal verb:
///
/// - a possessive or agent before the list word: "recipient's blacklist", "user's deny list", "his block list",
///   "my blacklist"; "your blacklist" or "our block list" is not the recipient's;
/// - an agent after it: "blacklist of the recipient", "blocked by this user", "rejected by the recipient" (not
///   "the recipient's organization", "the recipient's server" or "spam filter": those are the organisation's);
/// - a person as the subject of a block verb with us as its object: "the recipient has blacklisted your
///   address", "user has put you in blacklist", "Recipient rejects mail from you";
/// - a person (or "I") who will not receive from us: "I am not taking mail from you", "I no longer accept mail
///   from this address", "the person has specifically requested to no longer receive e-mail … from …".
///
/// An organisation named anywhere (organization, administrator, admin, tenant) and a list OBJECT that is our
/// connection (IP, DNSBL and RBL names, a listing service) leave the verdict to the rules: a person does not
/// block an IP. Texts only; the caller applies the safety rules to what follows from it.
extension WordCues {
    /// Whether the words say that the block or refusal is the recipient person's own.
    static func recipientOwnsBlock(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 6 else { return false }
        let capacity = min(text.count / 2 + 1, 2048)
        return withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: capacity) { buffer in
            // The words after a veto are never read: the reading ends at it.
            let count = OwnerWords.tokenize(text, into: buffer, stoppingAtVeto: true)
            let words = OwnerWords(UnsafeBufferPointer(rebasing: buffer[..<count]))
            if words.vetoed { return false }
            return words.recipientOwnsBlock() || LocalisedOwner.recipientOwnsList(text)
        }
    }
}

/// The roles of the words of a text (`WordScanner`'s words, the families' own; a clause end is a token of its own), and
/// the owner reading over them.
/// One table lookup per word: the reading runs on every block-list verdict, which real mixes hold plenty of.
struct OwnerWords {
    /// What a word may be in the reading; a word may have several roles. Computed constants, as `WordClass`'s are.
    struct Role: OptionSet, Sendable {
        let rawValue: WordClass.RawValue
        /// A list whose kind is in the word itself: blacklist, blocklist, denylist.
        static var listCompound: Role { Role(rawValue: 1 << 0) }
        /// "list", a list when one of `listKind` stands within two words before it ("black list", "blocked senders list").
        static var listNoun: Role { Role(rawValue: 1 << 1) }
        static var listKind: Role { Role(rawValue: 1 << 2) }
        /// Verbs of blocking or refusing whose subject may be the recipient.
        static var blockVerb: Role { Role(rawValue: 1 << 3) }
        /// The refusal acts among them ("rejected", "refuses"): "rejected your message" may be a filter's verdict.
        static var refusalAct: Role { Role(rawValue: 1 << 4) }
        /// A person who may own a list: the recipient, the user, the addressee, "I", a possessive pronoun.
        static var person: Role { Role(rawValue: 1 << 5) }
        /// Owners and mechanisms that are not the person: the organisation's, the server's, a filter's, ours.
        static var other: Role { Role(rawValue: 1 << 6) }
        /// Named anywhere, these leave the verdict to the rules: an organisation decided, or the listed object is our
        /// connection (IP, a DNS block list, a listing service), or the words are about spam.
        static var veto: Role { Role(rawValue: 1 << 7) }
        /// Words that carry no party between an agent and its verb or list ("the recipient has put you in …").
        static var filler: Role { Role(rawValue: 1 << 8) }
        /// "by", "of": an agent follows.
        static var agentMark: Role { Role(rawValue: 1 << 9) }
        /// "you", "your": us as the object.
        static var us: Role { Role(rawValue: 1 << 10) }
        static var mailNoun: Role { Role(rawValue: 1 << 11) }
        static var negation: Role { Role(rawValue: 1 << 12) }
        static var receiveVerb: Role { Role(rawValue: 1 << 13) }
        /// Words between a person and a negated receiving verb ("has specifically requested to no longer").
        static var intent: Role { Role(rawValue: 1 << 14) }
        /// "from", "you", "your" after a receiving verb.
        static var fromUs: Role { Role(rawValue: 1 << 15) }
        static var separator: Role { Role(rawValue: 1 << 16) }
    }

    private static func entries(_ words: [String], _ role: Role) -> [(String, WordClass)] {
        words.map { ($0, WordClass(rawValue: role.rawValue)) }
    }

    /// The roles of the words the reading knows; built once.
    static let table = WordTable(
        entries(["blacklist", "blacklists", "blocklist", "blocklists", "denylist", "denylists", "rejectlist", "banlist"],
                [.listCompound])
        + entries(["list", "lists"], .listNoun)
        + entries(["black", "block", "blocked", "deny", "denied", "reject", "rejected", "ban", "banned"], .listKind)
        + entries(["blacklisted", "blocklisted", "denylisted", "blocked", "banned", "blocks", "blacklists"], .blockVerb)
        + entries(["rejected", "rejects", "refused", "refuses", "declined", "declines"], [.blockVerb, .refusalAct])
        + entries(["recipient", "recipient's", "recipients", "recipients'", "user", "user's", "addressee", "addressee's",
                   "person", "owner", "owner's", "subscriber", "his", "her", "their", "my", "i", "i'm", "me"], .person)
        + entries(["organization's", "organisation's", "administrator's", "administrators", "admins", "tenant's",
                   "company", "company's", "provider", "provider's", "isp", "customer", "customers", "server", "server's",
                   "servers", "system", "system's", "domain", "domain's", "site", "network", "gateway", "filter", "filters",
                   "filtering", "policy", "rule", "rules", "your", "our", "we", "us", "sender's", "global", "local", "mail",
                   "email", "e-mail"], .other)
        + entries(["organization", "organisation", "administrator", "admin", "tenant"], [.veto, .other])
        + entries(["ip", "ips", "dnsbl", "rbl", "rbls", "spamhaus", "spamcop", "barracuda", "barracudacentral", "sorbs", "cbl",
                   "blackhole", "blackholes", "reputation", "realtime", "real-time", "netblock", "botnet", "spam"], .veto)
        + entries(["the", "this", "that", "a", "an", "has", "have", "had", "is", "are", "was", "were", "been", "be", "already",
                   "specifically", "explicitly", "personally", "manually", "chosen", "chose", "to", "in", "into", "on",
                   "onto", "of", "by", "you", "put", "added", "placed", "included", "registered", "as", "sender", "senders",
                   "mailbox", "personal", "own", "private"], .filler)
        + entries(["by", "of"], .agentMark)
        + entries(["you", "your"], [.us, .fromUs])
        + entries(["mail", "mails", "email", "emails", "e-mail", "messages", "message"], .mailNoun)
        + entries(["not", "no", "don't", "dont", "doesn't", "doesnt", "never", "won't", "wont", "cannot", "can't", "refuse",
                   "refuses"], .negation)
        + entries(["accept", "accepts", "accepting", "take", "taking", "takes", "receive", "receives", "receiving", "want",
                   "wants", "wish", "wishes"], .receiveVerb)
        + entries(["requested", "asked", "chose", "chosen", "decided", "wishes", "wants", "prefers", "opted", "longer", "to",
                   "does", "do", "did", "am", "is", "has", "have", "specifically", "explicitly"], .intent)
        + entries(["from"], .fromUs))

    let words: UnsafeBufferPointer<WordClass.RawValue>

    init(_ words: UnsafeBufferPointer<WordClass.RawValue>) { self.words = words }

    @inline(__always) private func has(_ index: Int, _ role: Role) -> Bool {
        index >= 0 && index < words.count && words[index] & role.rawValue != 0
    }

    /// An organisation, our IP or a listing service is named: the rules decide, in any language.
    var vetoed: Bool {
        for word in words where word & Role.veto.rawValue != 0 { return true }
        return false
    }

    func recipientOwnsBlock() -> Bool {
        var union: WordClass.RawValue = 0
        for word in words { union |= word }
        // Without a person there is no owner to find.
        guard union & Role.person.rawValue != 0 else { return false }
        for index in 0..<words.count {
            if isList(index), listOwner(at: index) { return true }
            if has(index, .blockVerb), verbAgent(at: index) { return true }
            if has(index, .person), personRefusesReceipt(from: index) { return true }
        }
        return false
    }

    private func isList(_ index: Int) -> Bool {
        if has(index, .listCompound) { return true }
        return has(index, .listNoun) && (has(index - 1, .listKind) || has(index - 2, .listKind))
    }

    /// The nearest party before the list word (a possessive or a subject: "recipient's blacklist", "user has put you
    /// in blacklist"), else an agent after it ("blacklist of the recipient").
    private func listOwner(at index: Int) -> Bool {
        var position = index - 1
        while position >= max(0, index - 6) {
            if has(position, .other) { return false }
            if has(position, .person) { return !has(position + 1, .other) }
            if !has(position, .filler), !has(position, .listKind) { break }
            position -= 1
        }
        return agentAfter(index)
    }

    /// "by the recipient", "of this user"; not "by the recipient's organization / server / spam filter".
    private func agentAfter(_ index: Int) -> Bool {
        var position = index + 1
        var agent = false
        while position <= min(words.count - 1, index + 4) {
            if has(position, .person) { return agent && !has(position + 1, .other) }
            if has(position, .agentMark) { agent = true } else if !has(position, .filler) { return false }
            position += 1
        }
        return false
    }

    /// A block verb whose agent is the person: its subject before it with us as the object after it ("the recipient
    /// has blacklisted your address"), or "by <person>" after it ("blocked by this user").
    private func verbAgent(at index: Int) -> Bool {
        if agentAfter(index) { return true }
        var position = index - 1
        while position >= max(0, index - 4) {
            if has(position, .person) { return !has(position + 1, .other) && objectIsUs(after: index) }
            if !has(position, .filler) { return false }
            position -= 1
        }
        return false
    }

    /// Us as the object right after a verb: "you"/"your" (not after a refusal act), or a mail noun then "from".
    private func objectIsUs(after verb: Int) -> Bool {
        let act = has(verb, .refusalAct)
        var object = verb + 1
        while object <= min(words.count - 1, verb + 3) {
            if has(object, .separator) { return false }
            if !act, has(object, .us) { return true }
            if has(object, .mailNoun), has(object + 1, .fromUs), !has(object + 1, .us) { return true }
            object += 1
        }
        return false
    }

    /// A person (or "I") who will not receive from us: a negation, then a receiving verb, then "from" or "you"
    /// ("I no longer accept mail from this address", "user does not want to receive mail from you", "the person has
    /// specifically requested to no longer receive e-mail … from …").
    private func personRefusesReceipt(from index: Int) -> Bool {
        if has(index + 1, .other) { return false }
        var position = index + 1
        var negated = false
        while position <= min(words.count - 1, index + 7) {
            if has(position, .negation) {
                negated = true
            } else if has(position, .receiveVerb) {
                guard negated else { return false }
                var after = position + 1
                while after <= min(words.count - 1, position + 4) {
                    if has(after, .fromUs) { return true }
                    if has(after, .separator) { return false }
                    after += 1
                }
                return false
            } else if !has(position, .intent) {
                return false
            }
            position += 1
        }
        return false
    }

    /// The roles of the words of `text`, in order (`WordScanner`'s words), with a separator token at each clause end
    /// and the apostrophe of a plural possessive kept; returns how many were written. `stoppingAtVeto`: up to the first
    /// veto word only.
    static func tokenize(_ text: UnsafeBufferPointer<UInt8>, into tokens: UnsafeMutableBufferPointer<WordClass.RawValue>,
                         stoppingAtVeto: Bool = false) -> Int {
        WordScanner.tokenize(text, table: table, options: [.clauseSeparators, .pluralPossessive],
                             separator: Role.separator.rawValue, stop: stoppingAtVeto ? Role.veto.rawValue : 0, into: tokens)
    }
}

/// The same owner reading for the languages localised servers answer in, where words are not separated by spaces
/// (Chinese, Japanese, Korean) or are inflected (Russian, Polish, Czech): a list word with the recipient named within
/// a few characters of it ("已被收件人加入黑名单", "相手の受信拒否リスト", "수신자의 블랙리스트", "в черном списке получателя",
/// "auf der Blacklist des Empfängers", "sur la liste noire du destinataire", "en la lista negra del destinatario"), and
/// no server, administrator or provider named in that reach ("对方服务器的黑名单" is the server's). Runs only for texts
/// holding non-ASCII bytes; the ASCII reading's vetoes (IP, DNS block lists, an organisation) apply first.
enum LocalisedOwner {
    private static func forms(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }

    static let lists = forms(["黑名单", "黑名單", "拒收名单", "拒收列表", "屏蔽列表", "阻止列表", "ブラックリスト", "拒否リスト",
                              "ブロックリスト", "블랙리스트", "차단 목록", "차단목록", "수신거부 목록", "차단 리스트", "черный список",
                              "чёрный список", "черном списке", "чёрном списке", "черного списка", "чёрного списка", "черный лист",
                              "schwarze liste", "schwarzen liste", "sperrliste", "blockierliste", "blacklist", "blocklist",
                              "liste noire", "liste de blocage", "lista negra", "lista de bloqueo", "lista de bloqueio", "lista nera",
                              "lista di blocco", "czarna lista", "czarnej liście", "czarnej listy", "listy zablokowanych",
                              "černá listina", "černé listině", "zwarte lijst", "blokkeerlijst"])
    /// The recipient person (stems for inflected languages; lower case, the search folds ASCII case only, so
    /// capitalised Cyrillic and German forms are listed too).
    static let owners = forms(["收件人", "收信人", "收件者", "对方", "對方", "受信者", "受取人", "相手", "수신자", "수신인", "받는 사람",
                               "받는사람", "상대방", "получател", "Получател", "адресат", "Адресат", "empfänger", "Empfänger",
                               "destinataire", "destinatario", "destinatário", "odbiorc", "příjemc", "Příjemc", "ontvanger"])
    /// Not the person: a server, an administrator, a provider, an anti-spam system.
    static let others = forms(["服务器", "伺服器", "服务商", "服務商", "管理员", "管理員", "系统", "系統", "反垃圾", "サーバ", "管理者",
                               "プロバイダ", "서버", "관리자", "сервер", "Сервер", "администратор", "провайдер", "server",
                               "administrator", "administrateur", "administrador", "amministratore", "organisation", "organización",
                               "organização", "organizzazione", "domaine", "domínio", "dominio", "domain", "anti-spam", "antispam"])
    /// How far around the list word the owner is looked for, in bytes (about ten CJK characters).
    static let reach = 32

    static func recipientOwnsList(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard PhraseAutomaton.holdsNonASCII(text) else { return false }
        for list in lists {
            var from = 0
            while let found = find(list, in: text, from: from) {
                let window = max(0, found - reach)..<min(text.count, found + list.count + reach)
                if contains(owners, in: text, window), !contains(others, in: text, window) { return true }
                from = found + 1
            }
        }
        return false
    }

    private static func contains(_ words: [[UInt8]], in text: UnsafeBufferPointer<UInt8>, _ window: Range<Int>) -> Bool {
        for word in words {
            if let found = find(word, in: text, from: window.lowerBound), found + word.count <= window.upperBound { return true }
        }
        return false
    }

    /// The first occurrence of `word` in `text` at or after `from`, folding ASCII case.
    private static func find(_ word: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = word.first, word.count <= text.count else { return nil }
        var start = from
        while start + word.count <= text.count {
            if fold(text[start]) == first {
                var index = 1
                while index < word.count, fold(text[start + index]) == word[index] { index += 1 }
                if index == word.count { return start }
            }
            start += 1
        }
        return nil
    }

    @inline(__always) private static func fold(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
}
