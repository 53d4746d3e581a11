/// Named mailbox providers a rule can be scoped to with `provider:`, expanded into the recipient
/// domains and remote MTA host suffixes that identify them (from the providers' MX records).
public enum ProviderDirectory {
    /// Provider name → (recipient domains, remote MTA suffixes).
    public static let providers: [String: (domains: [String], mtas: [String])] = [
        "gmail": (["gmail.com", "googlemail.com"], ["google.com", "googlemail.com"]),
        "yahoo": (["yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "ymail.com", "rocketmail.com",
                   "aol.com", "aim.com", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net"],
                  ["yahoodns.net", "yahoo.com", "aol.com"]),
        "microsoft": (["outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com", "live.co.uk", "msn.com"],
                      ["outlook.com", "hotmail.com"]),
        "icloud": (["icloud.com", "me.com", "mac.com"], ["icloud.com", "apple.com"]),
        "comcast": (["comcast.net"], ["comcast.net"]),
        "gmx": (["gmx.net", "gmx.de", "gmx.com", "gmx.at", "gmx.ch", "web.de"], ["gmx.net", "web.de"]),
        "orange": (["orange.fr", "wanadoo.fr"], ["orange.fr"]),
        "mailru": (["mail.ru", "bk.ru", "inbox.ru", "list.ru"], ["mail.ru"]),
        "yandex": (["yandex.ru", "yandex.com", "ya.ru"], ["yandex.net", "yandex.ru"]),
        "zoho": (["zoho.com", "zohomail.com"], ["zoho.com", "zohomail.com"]),
        "qq": (["qq.com", "foxmail.com"], ["qq.com"]),
        "mimecast": ([], ["mimecast.com"]),
        "proofpoint": ([], ["pphosted.com", "ppe-hosted.com"]),
    ]
}
