import Foundation

/// One reply a receiving server sends, with how often it turns up in a night of that server's traffic.
/// Placeholders: `{rcpt}` the recipient, `{domain}` its domain, `{ip}` the sending IP, `{id}` a queue or
/// session id that differs per reply, `{sender_domain}` the sender's domain.
struct SampleResponse {
    let weight: Int
    let kind: String
    let code: Int?
    let status: String?
    let text: String
}

/// A mailbox provider as the sample night sees it: its domains, its MX, and the mix of replies it
/// sends per thousand messages.
struct SampleProvider {
    let name: String
    let domains: [(domain: String, weight: Int)]
    let mx: String
    /// Share of all sample events going to this provider (relative weight).
    let weight: Int
    let responses: [SampleResponse]
}

/// Replies in the words each provider publishes, mixed the way a healthy bulk sender's night looks:
/// mostly deliveries, a few percent hard bounces, deferrals and throttling, the odd block or
/// complaint. The wording comes from the providers' own pages, as quoted in the rule files:
/// Gmail https://support.google.com/a/answer/3726730, Outlook.com https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx
/// and https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online,
/// Yahoo/AOL https://senders.yahooinc.com/smtp-error-codes/, iCloud https://support.apple.com/en-us/102322,
/// Comcast http://postmaster.comcast.net/smtp-error-codes.php, GMX/WEB.DE https://postmaster.gmx.net/en/error-messages,
/// Mail.ru https://help.mail.ru/developers/postmaster. Used only to generate demo and benchmark events.
///
/// Rare severe replies (Microsoft 5.7.708, Yahoo TSS04 bursts, provider outages) are left out of a
/// normal night on purpose: tests add them where they mean to.
enum SampleResponses {
    /// Our own MTA giving up after its queue lifetime: the same text whatever the destination.
    static let senderQueueExpiry = SampleResponse(
        weight: 15, kind: "bounce", code: 550, status: "4.4.7", text: "550 4.4.7 Message expired: unable to deliver in 120 hours ({id})")

    static let gmail: [SampleResponse] = [
        .init(weight: 820, kind: "delivery", code: 250, status: "2.0.0", text: "250 2.0.0 OK  {id} - gsmtp"),
        .init(weight: 30, kind: "bounce", code: 550, status: "5.1.1", text: "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. Learn more at\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser {id} - gsmtp"),
        .init(weight: 6, kind: "bounce", code: 550, status: "5.2.1", text: "550-5.2.1 The email account that you tried to reach is disabled. Learn more at\n550 5.2.1 https://support.google.com/mail/?p=DisabledUser {id} - gsmtp"),
        .init(weight: 25, kind: "deferral", code: 452, status: "4.2.2", text: "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to\n452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp {id} - gsmtp"),
        .init(weight: 4, kind: "bounce", code: 552, status: "5.2.2", text: "552-5.2.2 The recipient's inbox is out of storage space and inactive. Please direct the recipient to\n552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm {id} - gsmtp"),
        .init(weight: 20, kind: "deferral", code: 421, status: "4.7.28", text: "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp"),
        .init(weight: 10, kind: "deferral", code: 450, status: "4.2.1", text: "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. - gsmtp"),
        .init(weight: 10, kind: "deferral", code: 421, status: "4.3.0", text: "421-4.3.0 Temporary System Problem. Try again later (10). {id} - gsmtp"),
        .init(weight: 15, kind: "deferral", code: 421, status: "4.7.0", text: "421-4.7.0 This message is suspicious due to the very low reputation of the sending IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp"),
        .init(weight: 10, kind: "bounce", code: 550, status: "5.7.1", text: "550-5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. {id} - gsmtp"),
        .init(weight: 4, kind: "bounce", code: 550, status: "5.7.26", text: "550-5.7.26 Unauthenticated email from {sender_domain} is not accepted due to domain's DMARC policy. {id} - gsmtp"),
        .init(weight: 2, kind: "bounce", code: 552, status: "5.2.3", text: "552-5.2.3 Your message exceeded Google's message size limits. {id} - gsmtp"),
        senderQueueExpiry,
    ]

    static let microsoft: [SampleResponse] = [
        .init(weight: 800, kind: "delivery", code: 250, status: "2.6.0", text: "250 2.6.0 <{id}@news.example.com> [InternalId={id}, Hostname=DM6PR11MB{id}.namprd11.prod.outlook.com] Queued mail for delivery"),
        .init(weight: 35, kind: "bounce", code: 550, status: "5.5.0", text: "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DM6NAM12FT{id}.eop-nam12.prod.protection.outlook.com]"),
        .init(weight: 30, kind: "deferral", code: 451, status: "4.7.650", text: "451 4.7.650 The mail server [{ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA][MxId={id}] [BN1NAM02FT{id}.eop-nam02.prod.protection.outlook.com]"),
        .init(weight: 20, kind: "deferral", code: 451, status: "4.7.500", text: "451 4.7.500 Server busy. Please try again later from [{ip}]. (S77714) [BN1NAM02FT{id}.eop-nam02.prod.protection.outlook.com]"),
        .init(weight: 10, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [DB5EUR03FT{id}.eop-EUR03.prod.protection.outlook.com]"),
        .init(weight: 15, kind: "deferral", code: 452, status: "4.2.2", text: "452 4.2.2 The recipient's mailbox is full and can't accept messages now. Please try again later."),
        .init(weight: 10, kind: "complaint", code: nil, status: nil, text: "Feedback-Type: abuse (Outlook.com JMRP)"),
        senderQueueExpiry,
    ]

    static let yahoo: [SampleResponse] = [
        .init(weight: 780, kind: "delivery", code: 250, status: nil, text: "250 ok dirdel"),
        .init(weight: 30, kind: "bounce", code: 554, status: "5.0.0", text: "554 delivery error: dd This user doesn't have a {domain} account ({rcpt}) [0] - mta{id}.mail.bf1.yahoo.com"),
        .init(weight: 8, kind: "bounce", code: 554, status: "5.0.0", text: "554 delivery error: dd Sorry your message to {rcpt} cannot be delivered. This mailbox is disabled (554.30). - mta{id}.mail.gq1.yahoo.com"),
        .init(weight: 1, kind: "deferral", code: 421, status: "4.7.0", text: "421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 10, kind: "deferral", code: 421, status: "4.7.0", text: "421 4.7.0 [GL01] Message from ({ip}) temporarily deferred - 4.16.50. Please refer to https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 3, kind: "bounce", code: 553, status: "5.7.1", text: "553 5.7.1 [BL21] Connections will not be accepted from {ip}, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 4, kind: "bounce", code: 554, status: "5.7.9", text: "554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 20, kind: "complaint", code: nil, status: nil, text: "Feedback-Type: abuse (Yahoo complaint feedback loop)"),
        .init(weight: 24, kind: "deferral", code: nil, status: "4.4.2", text: "conversation with mta7.am0.yahoodns.net[67.195.204.{id}] timed out while receiving the initial server greeting"),
        senderQueueExpiry,
    ]

    static let apple: [SampleResponse] = [
        .init(weight: 850, kind: "delivery", code: 250, status: "2.0.0", text: "250 2.0.0 Ok: queued as {id}"),
        .init(weight: 35, kind: "bounce", code: 550, status: "5.1.1", text: "550 5.1.1 <{rcpt}>: user does not exist"),
        .init(weight: 15, kind: "bounce", code: 552, status: "5.2.2", text: "552 5.2.2 <{rcpt}>: user is over quota"),
        .init(weight: 10, kind: "deferral", code: 421, status: "4.7.1", text: "421 4.7.1 [CS03] Message deferred due to local policy. Please visit https://support.apple.com/en-us/HT204137"),
        .init(weight: 5, kind: "bounce", code: 554, status: "5.7.1", text: "554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137"),
        senderQueueExpiry,
    ]

    static let comcast: [SampleResponse] = [
        .init(weight: 850, kind: "delivery", code: 250, status: "2.0.0", text: "250 2.0.0 {id} mail accepted for delivery"),
        .init(weight: 60, kind: "bounce", code: 550, status: "5.1.1", text: "550 5.1.1 <{rcpt}> Not our Customer"),
        .init(weight: 20, kind: "deferral", code: 421, status: nil, text: "421 resimta-h1p-{id}.sys.comcast.net comcast {ip} Too many sessions opened [RL000001]"),
        senderQueueExpiry,
    ]

    static let unitedInternet: [SampleResponse] = [
        .init(weight: 850, kind: "delivery", code: 250, status: nil, text: "250 Requested mail action okay, completed: id={id}"),
        .init(weight: 50, kind: "bounce", code: 550, status: "5.1.1", text: "550 Requested action not taken: mailbox unavailable"),
        .init(weight: 20, kind: "deferral", code: 421, status: nil, text: "421-gmx.net (mxgmx{id}) Nemesis ESMTP Service temporarily not available 421 Service unavailable. For explanation visit https://postmaster.gmx.net/en/error-messages?ip={ip}&c=rl"),
        senderQueueExpiry,
    ]

    static let mailru: [SampleResponse] = [
        .init(weight: 850, kind: "delivery", code: 250, status: nil, text: "250 OK id={id}"),
        .init(weight: 60, kind: "bounce", code: 550, status: nil, text: "550 Message was not accepted -- invalid mailbox.  Local mailbox {rcpt} is unavailable: user not found"),
        .init(weight: 10, kind: "bounce", code: 550, status: nil, text: "550 Message was not accepted -- invalid mailbox.  Local mailbox {rcpt} is unavailable: account is disabled"),
        senderQueueExpiry,
    ]

    /// The long tail: company and ISP domains behind Postfix, Exim and Exchange servers.
    static let tail: [SampleResponse] = [
        .init(weight: 780, kind: "delivery", code: 250, status: "2.0.0", text: "250 2.0.0 Ok: queued as {id}"),
        .init(weight: 40, kind: "bounce", code: 550, status: "5.1.1", text: "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
        .init(weight: 15, kind: "bounce", code: 550, status: "5.1.10", text: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient {rcpt} not found by SMTP address lookup"),
        .init(weight: 10, kind: "bounce", code: 550, status: nil, text: "550 Unrouteable address"),
        .init(weight: 10, kind: "bounce", code: nil, status: "5.1.2", text: "Host or domain name not found. Name service error for name={domain} type=MX: Host not found"),
        .init(weight: 15, kind: "bounce", code: 552, status: "5.2.2", text: "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full"),
        .init(weight: 25, kind: "deferral", code: 451, status: "4.7.1", text: "451 4.7.1 <{rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/{domain}.html"),
        .init(weight: 20, kind: "deferral", code: nil, status: "4.4.1", text: "connect to mx.{domain}[192.0.2.25]:25: Connection refused"),
        .init(weight: 15, kind: "deferral", code: nil, status: "4.4.2", text: "conversation with mx.{domain}[192.0.2.25] timed out while receiving the initial server greeting"),
        .init(weight: 5, kind: "bounce", code: 554, status: "5.7.1", text: "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}"),
        .init(weight: 5, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Message rejected due to local policy"),
        .init(weight: 5, kind: "bounce", code: 552, status: "5.3.4", text: "552 5.3.4 Message size exceeds fixed maximum message size"),
        .init(weight: 5, kind: "bounce", code: nil, status: nil, text: "Automatic reply: I am out of the office until Monday with limited access to email."),
        .init(weight: 5, kind: "bounce", code: 550, status: nil, text: "550 Rejected"),
        senderQueueExpiry,
    ]

    /// The providers of a sample night, with their share of the traffic (a consumer-heavy list).
    static let providers: [SampleProvider] = [
        SampleProvider(name: "google", domains: [("gmail.com", 30), ("googlemail.com", 1)], mx: "gmail-smtp-in.l.google.com",
                       weight: 310, responses: gmail),
        SampleProvider(name: "microsoft", domains: [("outlook.com", 7), ("hotmail.com", 8), ("live.com", 2), ("hotmail.co.uk", 1)],
                       mx: "outlook-com.olc.protection.outlook.com", weight: 180, responses: microsoft),
        SampleProvider(name: "yahoo", domains: [("yahoo.com", 9), ("aol.com", 3), ("yahoo.fr", 1)], mx: "mta7.am0.yahoodns.net",
                       weight: 125, responses: yahoo),
        SampleProvider(name: "apple", domains: [("icloud.com", 8), ("me.com", 1)], mx: "mx01.mail.icloud.com", weight: 45, responses: apple),
        SampleProvider(name: "comcast", domains: [("comcast.net", 1)], mx: "mx1a1.comcast.net", weight: 15, responses: comcast),
        SampleProvider(name: "united-internet", domains: [("gmx.de", 5), ("web.de", 4)], mx: "mx00.gmx.net", weight: 27,
                       responses: unitedInternet),
        SampleProvider(name: "mailru", domains: [("mail.ru", 1)], mx: "mxs.mail.ru", weight: 10, responses: mailru),
    ]
}

extension SampleResponses {
    /// The tail's replies mixed with a labelled corpus file (`code<TAB>status<TAB>text<TAB>category…`,
    /// `#` comments, `\n` for line breaks) in equal measure, so that benchmarks see the full variety of
    /// real wording at the small domains, where every MTA's wording turns up; the big providers keep
    /// their own replies.
    static func tail(withCorpus path: String) throws -> [SampleResponse] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var corpus: [SampleResponse] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let code = Int(fields[0])
            let kind = code.map { (400...499).contains($0) } == true ? "deferral" : "bounce"
            corpus.append(SampleResponse(
                weight: 1, kind: kind, code: code, status: fields[1].isEmpty ? nil : String(fields[1]),
                text: String(fields[2]).replacing("\\n", with: "\n")))
        }
        // As much weight on the corpus as on the tail's own failures; the tail's weights are scaled up
        // rather than the corpus rows down, so every corpus row stays in.
        let failures = tail.filter { $0.kind != "delivery" }.reduce(0) { $0 + $1.weight }
        let scale = Swift.max(1, corpus.count / Swift.max(1, failures))
        return tail.map { SampleResponse(weight: $0.weight * scale, kind: $0.kind, code: $0.code, status: $0.status, text: $0.text) }
            + corpus
    }
}
