import BounceClassification
import Testing

/// Round 13 (rules-r13a): transient failures as less common MTAs, gateways and languages word them, and the line between
/// "the destination is having trouble" (retry) and "the destination refuses us" (sender).
@Suite("Round 13: transient failures and who is refused")
struct RoundThirteenTransientTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a stage wrapper quoting a temporary reply that names the destination's own fault retries", arguments: [
        ("host mx.example.com[192.0.2.1] refused to talk to me: 421 4.0.0 Server error", BounceCategory.retry, "temporary_failure"),
        ("SMTP error from remote mail server after initial connection:\\n421 4.0.0 Server error", .retry, "temporary_failure"),
        ("host mx.example.com[192.0.2.1] refused to talk to me: 421 4.4.2 connection dropped", .retry, "connection_failed"),
    ] as [Case])
    func destinationFaultBehindStage(row: Case) { check(row) }

    @Test("the same wrapper over a permanent reply, or a reply that names us, stays a refusal of us", arguments: [
        ("SMTP error from remote mail server after initial connection:\\n554 Transaction failed", BounceCategory.sender, "policy_rejection"),
        ("host mx.example.com[192.0.2.1] refused to talk to me: 421 4.7.0 Your IP has been blocked, connection timed out", .sender,
         "ip_blocklisted"),
        ("host mx.example.com[192.0.2.1] refused to talk to me: 421 too many connections from your IP", .ratelimit, "rate_limited"),
    ] as [Case])
    func refusalOfUsStands(row: Case) { check(row) }

    @Test("a relay host that is not ready or not answering is no relay refusal; a refusal to relay still is", arguments: [
        ("451 Relay Server Not Ready.", BounceCategory.retry, "connection_failed"),
        ("relay host not responding", .retry, "connection_failed"),
        ("relaying not permitted", .sender, "relay_denied"),
        ("relay not permitted, try again later", .sender, "relay_denied"),
    ] as [Case])
    func relayReadiness(row: Case) { check(row) }

    @Test("queues, retry counts, databases, interrupted transfers and unanswered commands", arguments: [
        ("still in queue", BounceCategory.retry, "temporary_failure"),
        ("Maximum retries exceeded", .retry, "message_expired"),
        ("Giving up after 30 attempts", .retry, "message_expired"),
        ("database error", .retry, "temporary_failure"),
        ("Data transfer interrupted", .retry, "connection_failed"),
        ("Deferred (No response to HELO/EHLO)", .retry, "timeout"),
        ("Virus scan failed, try later", .retry, "temporary_failure"),
        ("No MX records are available", .retry, "dns_temporary"),
        ("Attempting redelivery", .retry, "temporary_failure"),
        ("Max delivery time exceeded", .retry, "message_expired"),
    ] as [Case])
    func transientWordings(row: Case) { check(row) }

    @Test("near misses keep their verdicts", arguments: [
        ("Message failed virus scan", BounceCategory.content, "virus"),
        ("501 Invalid HELO", .sender, "bad_helo"),
        ("No MX records for example.com", .suppress, "domain_not_found"),
        ("user not found in database", .suppress, "user_unknown"),
        ("相手先(サーバ全体)から受信拒否されている", .sender, "policy_rejection"),
    ] as [Case])
    func nearMisses(row: Case) { check(row) }

    @Test("deferrals and unanswered servers in other languages", arguments: [
        ("Entrega diferida", BounceCategory.retry, "temporary_failure"),
        ("投递失败,系统将重试", .retry, "temporary_failure"),
        ("Nachricht in der Warteschlange", .retry, "temporary_failure"),
        ("サーバーが応答しません", .retry, "connection_failed"),
        ("tymczasowo nie jest w stanie nawiązać połączenia z serwerem odbiorczym", .retry, "connection_failed"),
    ] as [Case])
    func localisedDeferrals(row: Case) { check(row) }
}
