import Foundation

/// Bounce responses in the shapes real servers send, with how often each turns up in a typical
/// campaign's bounces. Used only to generate sample and benchmark events.
struct SampleResponse {
    let weight: Int
    let kind: String
    let code: Int?
    let status: String?
    let text: String
}

enum SampleResponses {
    static let all: [SampleResponse] = [
        // Recipients that are gone.
        .init(weight: 120, kind: "bounce", code: 550, status: "5.1.1", text: "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces."),
        .init(weight: 60, kind: "bounce", code: 550, status: "5.1.1", text: "5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"),
        .init(weight: 40, kind: "bounce", code: 550, status: "5.1.10", text: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"),
        .init(weight: 30, kind: "bounce", code: 554, status: "5.0.0", text: "554 delivery error: dd This user doesn't have a yahoo.com account ({rcpt}) [0] - mta1234.mail.bf1.yahoo.com"),
        .init(weight: 20, kind: "bounce", code: 550, status: "5.2.1", text: "550 5.2.1 The email account that you tried to reach is disabled."),
        .init(weight: 15, kind: "bounce", code: 550, status: "5.1.2", text: "Host or domain name not found. Name service error for name={domain} type=MX: Host not found"),
        .init(weight: 15, kind: "bounce", code: 550, status: nil, text: "Requested action not taken: mailbox unavailable"),
        .init(weight: 10, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized; Access denied, banned recipient"),
        .init(weight: 25, kind: "complaint", code: nil, status: nil, text: "Feedback-Type: abuse"),
        // Temporary failures.
        .init(weight: 60, kind: "deferral", code: 452, status: "4.2.2", text: "452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp"),
        .init(weight: 25, kind: "bounce", code: 552, status: "5.2.2", text: "552 5.2.2 <{rcpt}>: Recipient address rejected: Mailbox full"),
        .init(weight: 50, kind: "bounce", code: 550, status: "4.4.7", text: "550 4.4.7 QUEUE.Expired; message expired"),
        .init(weight: 40, kind: "deferral", code: nil, status: "4.4.1", text: "connect to mx.{domain}[192.0.2.25]:25: Connection refused"),
        .init(weight: 30, kind: "deferral", code: nil, status: "4.4.2", text: "conversation with mx.{domain}[192.0.2.25] timed out while receiving the initial server greeting"),
        .init(weight: 30, kind: "deferral", code: 451, status: "4.7.1", text: "451 4.7.1 Greylisting in action, please come back later"),
        .init(weight: 20, kind: "deferral", code: 421, status: "4.3.2", text: "421 4.3.2 Service not available, closing transmission channel"),
        .init(weight: 10, kind: "deferral", code: 450, status: "4.7.0", text: "450 4.7.0 TLS required: starttls-not-supported: Destination mail server must support TLS to receive mail."),
        // Throttling and quotas.
        .init(weight: 40, kind: "deferral", code: 421, status: "4.7.28", text: "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your DKIM domain. To protect our users from spam, mail sent from your domain has been temporarily rate limited."),
        .init(weight: 30, kind: "deferral", code: 421, status: "4.7.0", text: "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 25, kind: "bounce", code: 550, status: "5.2.1", text: "550-5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered."),
        .init(weight: 15, kind: "bounce", code: 550, status: "5.4.5", text: "550 5.4.5 Daily user sending limit exceeded."),
        .init(weight: 15, kind: "bounce", code: 452, status: "4.5.3", text: "452 4.5.3 Too many recipients"),
        .init(weight: 10, kind: "deferral", code: 421, status: nil, text: "421 Too many concurrent SMTP connections; please try again in an hour"),
        .init(weight: 10, kind: "bounce", code: 550, status: "5.2.2", text: "550 5.2.2 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Submission quota exceeded"),
        // Our own setup or reputation.
        .init(weight: 30, kind: "bounce", code: 550, status: "5.7.26", text: "550-5.7.26 Unauthenticated email from {sender_domain} is not accepted due to domain's DMARC policy. Please contact the administrator of {sender_domain} domain if this was a legitimate mail."),
        .init(weight: 20, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Service unavailable, Client host [192.0.2.10] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/192.0.2.10"),
        .init(weight: 20, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."),
        .init(weight: 15, kind: "bounce", code: 550, status: "5.7.509", text: "550 5.7.509 Access denied, sending domain [{sender_domain}] does not pass DMARC verification and has a DMARC policy of reject."),
        .init(weight: 10, kind: "bounce", code: 550, status: "5.7.25", text: "550-5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP."),
        .init(weight: 10, kind: "bounce", code: 554, status: "5.7.1", text: "554 5.7.1 <{rcpt}>: Relay access denied"),
        .init(weight: 8, kind: "bounce", code: 550, status: "5.7.708", text: "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP."),
        .init(weight: 8, kind: "bounce", code: 553, status: "5.7.1", text: "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.10, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"),
        .init(weight: 8, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Message rejected due to local policy"),
        // The message itself.
        .init(weight: 15, kind: "bounce", code: 552, status: "5.3.4", text: "552 5.3.4 Message size exceeds fixed maximum message size"),
        .init(weight: 15, kind: "bounce", code: 550, status: "5.7.1", text: "550 5.7.1 Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked."),
        .init(weight: 5, kind: "bounce", code: 554, status: "5.6.0", text: "554 5.6.0 Message contains invalid header: x-dg-ref header is too long"),
        // Not failures.
        .init(weight: 10, kind: "bounce", code: nil, status: nil, text: "Automatic reply: I am out of the office until Monday with limited access to email."),
        .init(weight: 40, kind: "delivery", code: 250, status: "2.0.0", text: "250 2.0.0 OK  1700000000 d2-20020a05600c4b0200b00409b0b0b0b0si123456wmb.1 - gsmtp"),
        // Nobody knows.
        .init(weight: 10, kind: "bounce", code: 550, status: nil, text: "550 Rejected"),
    ]
}

extension SampleResponses {
    /// The responses of a labelled corpus file (`code<TAB>status<TAB>text<TAB>category…`, `#` comments,
    /// `\n` for line breaks) mixed into the built-in weighted list in equal measure, so that benchmarks
    /// see the full variety of real wording.
    static func mixed(withCorpus path: String) throws -> [SampleResponse] {
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
        let builtInWeight = all.reduce(0) { $0 + $1.weight }
        let scale = Swift.max(1, builtInWeight / Swift.max(1, corpus.count))
        return all + corpus.map { SampleResponse(weight: scale, kind: $0.kind, code: $0.code, status: $0.status, text: $0.text) }
    }
}
