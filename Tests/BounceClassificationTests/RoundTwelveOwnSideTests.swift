import BounceClassification
import Testing

/// Round 12 (rules-r12c): failures our own side states — a sending library or MTA that could not resolve, connect,
/// log in, negotiate TLS or deliver in time — in English and in the languages such software is translated into.
@Suite("Round 12: failures stated by our own side")
struct RoundTwelveOwnSideTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a resolver library's bare answer names no name: whose lookup failed is unknown, so it retries", arguments: [
        ("SocketException: No such host is known", BounceCategory.retry, "dns_temporary"),
        ("[Errno -2] Name or service not known", .retry, "dns_temporary"),
    ] as [Case])
    func unnamedResolverAnswer(row: Case) { check(row) }

    @Test("the same answer naming the host, or worded by a server, keeps the domain verdict", arguments: [
        ("No such host is known (mx.example.com)", BounceCategory.suppress, "domain_not_found"),
        ("php_network_getaddresses: getaddrinfo for mx.corp.example.net failed: Name or service not known", .suppress, "domain_not_found"),
        ("Host not found", .suppress, "domain_not_found"),
    ] as [Case])
    func namedResolverAnswer(row: Case) { check(row) }

    @Test("a reply code makes it a server's statement, not a library's")
    func replyCodeKeepsVerdict() {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: 550, diagnostic: "Name or service not known"))
        #expect(result.category == .suppress, "\(result.ruleID)")
    }

    @Test("a failed connection or login in the sending library's language", arguments: [
        ("Verbindung zum SMTP-Server fehlgeschlagen.", BounceCategory.retry, "connection_failed"),
        ("SMTP 연결을 실패하였습니다.", .retry, "connection_failed"),
        ("Ошибка SMTP: не удается подключиться к SMTP-серверу.", .retry, "connection_failed"),
        ("La fonction SMTP connect() a échoué.", .retry, "connection_failed"),
        ("Erreur SMTP : échec de l’authentification.", .sender, "not_authenticated"),
        ("SMTPエラー: 認証できませんでした。", .sender, "not_authenticated"),
        // A login that could not be checked for now is temporary (Gmail's Italian 4.7.0), not a refused login.
        ("421 4.7.0 Impossibile eseguire l'autenticazione a causa di un problema temporaneo con il sistema. Riprova", .retry,
         "temporary_failure"),
    ] as [Case])
    func localisedConnectionAndLogin(row: Case) { check(row) }

    @Test("lost connections, timeouts, TLS and expiry in other languages retry", arguments: [
        ("Zeitüberschreitung bei der Verbindung", BounceCategory.retry, "timeout"),
        ("Connexion perdue", .retry, "connection_failed"),
        ("接続が切断されました", .retry, "connection_failed"),
        ("Сертификат недействителен", .retry, "tls_failure"),
        ("Срок доставки сообщения истёк", .retry, "message_expired"),
    ] as [Case])
    func localisedTransientFaults(row: Case) { check(row) }

    @Test("our IP named as blocked, or an account that expired, is not read as a fault of the connection or the queue",
          arguments: ["Verbindung von Ihrer IP abgelehnt: Spamhaus", "E-Mail-Konto abgelaufen"])
    func notOwnSideFaults(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(smtpCode: nil, enhancedStatus: nil, diagnostic: text))
        #expect(!result.ruleID.hasPrefix("r12c."), "\(text) -> \(result.ruleID)")
    }
}
