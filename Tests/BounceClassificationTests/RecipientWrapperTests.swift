import BounceClassification
import Testing

/// Round 8 of issue 12: the recipient side when the text is all a pipeline kept — wrapped by a client library, a log
/// line or a platform — and the words around the server's reply must not decide in its place.
@Suite("Recipient side inside wrappers")
struct RecipientWrapperTests {
    typealias Case = (text: String, category: BounceCategory, reason: String)

    private func check(_ row: Case) { TestSupport.expectVerdict(text: row.text, row.category, row.reason) }

    @Test("a client library's reply-code prefix is not the verdict: the server's words after it decide", arguments: [
        ("Mailbox unavailable. The server response was: 5.1.1 User unknown", BounceCategory.suppress, "user_unknown"),
        ("Mailbox unavailable. The server response was: 5.7.1 Command rejected", .sender, "policy_rejection"),
        ("Mailbox unavailable. The server response was: Access denied", .sender, "policy_rejection"),
        ("Mailbox unavailable. The server response was: 5.0.0 Rejected", .unknown, "permanent_failure"),
        ("Mailbox name not allowed. The server response was: sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", .sender, "relay_denied"),
        // x.1.3 is a malformed address (round 14; its corpus row, r8-recipients-2.tsv:47, is labelled so).
        ("Mailbox name not allowed. The server response was: 5.1.3 Invalid address", .suppress, "invalid_address"),
        ("User not local; please try a different path. The server response was: 5.1.1 User unknown", .suppress, "user_unknown"),
        ("Invalid Addresses;\n  nested exception is:\n com.sun.mail.smtp.SMTPAddressFailedException: 550 Access denied\n", .sender, "policy_rejection"),
        ("Invalid Addresses;\n  nested exception is:\n com.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 User unknown\n", .suppress, "user_unknown"),
        ("550 5.1.1 Mailbox unavailable", .suppress, "user_unknown"),
        ("550 Invalid address", .suppress, "user_unknown"),
    ] as [Case])
    func clientLibraries(row: Case) { check(row) }

    @Test("Postfix's reject log metadata (helo=<…>) does not make a recipient refusal ours; a HELO refusal stays ours", arguments: [
        ("NOQUEUE: reject: RCPT from mail.example.net[192.0.2.3]: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table; from=<a@example.net> to=<x@example.com> proto=ESMTP helo=<mail.example.net>",
         BounceCategory.suppress, "user_unknown"),
        ("NOQUEUE: reject: RCPT from mail.example.net[192.0.2.3]: 550 5.2.1 <x@example.com>: Recipient address rejected: Mailbox disabled; from=<a@example.net> to=<x@example.com> proto=ESMTP helo=<mail.example.net>",
         .suppress, "mailbox_disabled"),
        ("NOQUEUE: reject: RCPT from unknown[192.0.2.3]: 504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname; from=<a@example.net> to=<x@example.com> proto=ESMTP helo=<localhost>",
         .sender, "bad_helo"),
        ("550 5.7.1 Invalid HELO name, see RFC 2821 4.1.1.1", .sender, "bad_helo"),
    ] as [Case])
    func logMetadata(row: Case) { check(row) }

    @Test("recipient-side wordings stored without a code", arguments: [
        ("Recipient Undeliverable (TT512)", BounceCategory.suppress, "user_unknown"),
        ("550 This mailbox is not accepting mail", .suppress, "mailbox_disabled"),
        ("550 This mailbox is not accepting mail at this time", .retry, "server_busy"),
        ("Not delivering to a previously bounced address", .suppress, "on_suppression_list"),
        ("No MX for example.com", .suppress, "domain_not_found"),
        ("bad mailbox", .suppress, "user_unknown"),
        ("anna wurde nicht in example.org gefunden.", .suppress, "user_unknown"),
        ("550 Action demandée non effectuée : boîte aux lettres indisponible", .suppress, "user_unknown"),
        ("550 Action non effectuée : boîte aux lettres indisponible, violation de politique", .sender, "policy_rejection"),
        ("This user no longer works here. Please direct your message to sales@example.net.", .suppress, "user_unknown"),
        ("550 5.1.1 Recipient not found. Please try again with a valid address.", .suppress, "user_unknown"),
        ("550 5.7.1 This user has been blocked from receiving email", .suppress, "mailbox_disabled"),
        ("550 5.7.1 This user has been blocked from receiving external email", .sender, "policy_rejection"),
        ("550 5.1.1 User unknown, please try again later", .retry, "temporary_failure"),
    ] as [Case])
    func withoutCode(row: Case) { check(row) }

    @Test("an address no longer in use, an owner who has left or an address not found, in other languages: gone, not an absence", arguments: [
        ("Automatische Antwort: Diese E-Mail-Adresse ist nicht mehr aktiv. Bitte wenden Sie sich an info@example.de.", BounceCategory.suppress, "mailbox_disabled"),
        ("Réponse automatique : Cette adresse e-mail n'est plus utilisée. Merci d'écrire à contact@example.fr.", .suppress, "user_unknown"),
        ("Risposta automatica: Questo indirizzo email non è più attivo.", .suppress, "mailbox_disabled"),
        ("Автоответ: Этот адрес больше не используется.", .suppress, "user_unknown"),
        ("このメールアドレスは現在使われておりません。", .suppress, "user_unknown"),
        ("Juan ya no trabaja en Example S.A.", .suppress, "user_unknown"),
        ("Risposta automatica: sono fuori ufficio fino al 5 agosto.", .ignore, "auto_reply"),
        ("Diese Adresse ist vorübergehend nicht mehr aktiv, bitte versuchen Sie es später erneut.", .retry, "mailbox_disabled"),
        ("Alamat tidak ditemukan\nPesan Anda tidak terkirim ke x@example.com karena alamat tidak ditemukan.", .suppress, "user_unknown"),
        ("Adresa nebyla nalezena", .suppress, "user_unknown"),
        ("Alamat pengirim tidak ditemukan", .unknown, "unclassified"),
    ] as [Case])
    func localisedNoLongerInUse(row: Case) { check(row) }
}
