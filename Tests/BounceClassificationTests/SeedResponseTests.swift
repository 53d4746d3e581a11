import BounceClassification
import Testing

/// Every distinct response line of the seed document (/work/shared/seeds/000_90925f3d99fb8148.txt,
/// Exchange Online NDRs) with the category and reason it must get. Explanatory prose and the FAQ
/// section of the document are not responses and are left out.
@Suite("Seed: Exchange Online NDR lines")
struct SeedResponseTests {
    static let cases: [(String, BounceCategory, String)] = [
        ("STOREDRV.Deliver; recipient thread limit exceeded", .ratelimit, "thread_limit"),
        ("Connection refused [Message=Socket error code 10061]", .retry, "connection_failed"),
        ("Message expired", .retry, "message_expired"),
        ("Too many recipients", .ratelimit, "too_many_recipients"),
        ("Access denied, a message sent over IPv6 [2a01:111:f200:2004::240] must pass either SPF or DKIM validation, this message is not signed", .sender, "auth_failed"),
        ("starttls-not-supported: Destination mail server must support TLS to receive mail.", .retry, "tls_failure"),
        ("certificate-expired: Destination mail server's certificate is expired.", .retry, "tls_failure"),
        ("tlsa-invalid: The domain failed DANE validation.", .retry, "dane_failure"),
        ("dnssec-invalid: Destination domain returned invalid DNSSEC records", .retry, "dane_failure"),
        ("certificate-host-mismatch: Remote certificate MUST have a common name or subject alternative name matching the hostname (DANE)", .retry, "dane_failure"),
        ("Access denied, please try again later", .ratelimit, "rate_limited"),
        ("x-dg-ref header is too long", .content, "header_too_long"),
        ("Requested action not taken: policy violation detected (AS345)", .content, "content_policy"),
        ("Sender denied", .sender, "sender_banned"),
        ("Bad destination mailbox address", .suppress, "user_unknown"),
        ("Access denied, bad outbound sender", .sender, "sender_banned"),
        ("Recipient not found", .suppress, "user_unknown"),
        ("<SMTP Address> wasn't found by SMTP address lookup.", .suppress, "user_unknown"),
        ("Your message can't be sent because you've reached your daily limit for message recipients", .ratelimit, "daily_limit"),
        ("Submission quota exceeded", .ratelimit, "quota_exceeded"),
        ("Relay Access Denied", .sender, "relay_denied"),
        ("Recipient address rejected: Access denied", .suppress, "user_unknown"),
        ("Routing loop detected", .retry, "routing_loop"),
        ("550 5.5.0 Requested action not taken: mailbox unavailable", .suppress, "user_unknown"),
        ("Invalid characters", .content, "invalid_characters"),
        ("Delivery not authorized", .sender, "policy_rejection"),
        ("Unable to relay", .sender, "relay_denied"),
        ("Client was not authenticated", .sender, "not_authenticated"),
        ("Sender was not authenticated by organization", .sender, "not_authenticated"),
        ("The message was rejected because of Sender Policy Framework violation", .sender, "auth_spf"),
        ("Client was not authenticated to send anonymous mail during MAIL FROM", .sender, "not_authenticated"),
        ("TenantAttribution; Relay Access Denied", .sender, "relay_denied"),
        ("Sender not in allowed-senders list", .sender, "policy_rejection"),
        ("Sender not authenticated for group", .sender, "not_authenticated"),
        ("Sender was not authenticated for mailbox", .sender, "not_authenticated"),
        ("Sender was not authenticated for public folder", .sender, "not_authenticated"),
        ("Sender was not authenticated", .sender, "not_authenticated"),
        ("Access denied, the sending IPv6 address [2a01:111:f200:2004::240] must have a reverse DNS record", .sender, "reverse_dns"),
        ("Access denied, spam abuse detected", .sender, "sender_banned"),
        ("Access denied, banned sender", .sender, "sender_banned"),
        ("[email@contoso.com]: Recipient address rejected: Access denied", .suppress, "user_unknown"),
        ("Access denied, banned recipient", .suppress, "recipient_refuses_sender"),
        ("Access Denied, Bad HELO", .sender, "bad_helo"),
        ("Access denied, rejected by recipient", .suppress, "recipient_refuses_sender"),
        ("Access denied, [$SenderIPAddress] has exceeded permitted limits within $range range", .ratelimit, "rate_limited"),
        ("Access denied, sending domain [$SenderDomain] does not pass DMARC verification", .sender, "auth_dmarc"),
        ("Access denied, [contoso.com] does not accept email over IPv6", .sender, "ipv6_not_accepted"),
        ("Access denied, message must be RFC 5322 section 3.6.2 compliant", .content, "rfc5322_noncompliant"),
        ("Service unavailable, Client host [$ConnectingIP] blocked by $recipientDomain using Customer Block list (AS16012607)", .sender, "ip_blocklisted"),
        ("Access denied, banned sending IP [IP1.IP2.IP3.IP4]", .sender, "ip_blocklisted"),
        ("Your message can't be delivered because one or more recipients are blocked by your organization's tenant recipient block policy", .sender, "policy_rejection"),
        ("5.7.708", .sender, "ip_traffic_refused"),
        ("5.7.705 Access denied, tenant has exceeded threshold", .sender, "tenant_threshold"),
        (", 5.7.708 Access denied, traffic not accepted from this IP", .sender, "ip_traffic_refused"),
        ("Service unavailable. Client blocked from sending from unregistered domains", .sender, "unregistered_domain"),
        ("The message can't be submitted because the sender's submission quota was exceeded", .ratelimit, "quota_exceeded"),
    ]

    @Test("seed line classifies as documented", arguments: cases)
    func seedLine(text: String, category: BounceCategory, reason: String) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category == category, "\(text) -> \(result.ruleID)")
        #expect(result.reason == reason, "\(text) -> \(result.ruleID)")
    }
}
