import BounceClassification
import Testing

/// The vocabulary rules of `35-localised.yaml` and `45-recipient-families.yaml` decide by meaning:
/// a recipient, mailbox or domain word with a word for "does not exist", "unknown", "disabled" or
/// "full", wherever they stand. These sentences appear in no rule file and no corpus row: they are the
/// same meanings in new word orders, which is what an unseen server writes.
@Suite("Localised vocabulary: meaning from words, not from fixed sentences")
struct LocalisedVocabularyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let category: BounceCategory
        let reason: String
        var testDescription: String { text }
    }

    @Test("unseen sentences of a known meaning classify by their words", arguments: [
        Case(text: "550 Dieses Postfach gibt es nicht mehr", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Le compte du destinataire a été supprimé", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Indirizzo del destinatario sconosciuto al server", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Cuenta de correo desconocida en este servidor", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Endereço de destino não foi encontrado", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Получатель с таким адресом не найден", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Одержувача з такою адресою не знайдено", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Účet příjemce byl zrušen", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Skrzynka adresata nie została odnaleziona", category: .suppress, reason: "user_unknown"),
        Case(text: "550 De geadresseerde is bij ons onbekend", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Användaren är okänd på servern", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Bu alıcı sistemde bulunamadı", category: .suppress, reason: "user_unknown"),
        Case(text: "550 该收件人地址在本系统中找不到", category: .suppress, reason: "user_unknown"),
        Case(text: "550 指定された宛先は見つかりませんでした", category: .suppress, reason: "user_unknown"),
        Case(text: "550 해당 수신자를 찾을 수 없습니다", category: .suppress, reason: "user_unknown"),
        Case(text: "550 Kontot för mottagaren är avstängt sedan januari", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 Konto odbiorcy zostało zawieszone przez administratora", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 Het account van de ontvanger is gedeactiveerd", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 Alıcının hesabı askıya alındı", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 Учетная запись пользователя приостановлена", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 该用户的帐号已停用", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 Dominio di destinazione inesistente", category: .suppress, reason: "domain_not_found"),
        Case(text: "550 Doména adresáta neexistuje", category: .suppress, reason: "domain_not_found"),
        Case(text: "550 The destination domain is not registered", category: .suppress, reason: "domain_not_found"),
        Case(text: "552 Brevlådan för mottagaren är full", category: .retry, reason: "mailbox_full"),
        Case(text: "452 Skrzynka odbiorcy jest przepełniona", category: .retry, reason: "mailbox_full"),
        Case(text: "452 Postvak van de geadresseerde zit vol, quotum bereikt", category: .retry, reason: "mailbox_full"),
        Case(text: "550 Recipient mailbox was deactivated by its owner", category: .suppress, reason: "mailbox_disabled"),
        Case(text: "550 This addressee is not recognized here", category: .suppress, reason: "user_unknown"),
    ])
    func classifiesByMeaning(_ item: Case) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: item.text))
        #expect(result.category == item.category, "\(item.text) -> \(result.ruleID)")
        #expect(result.reason == item.reason, "\(item.text) -> \(result.ruleID)")
    }

    @Test("the same words never suppress when the text is temporary or names us", arguments: [
        "550 Konto odbiorcy nie istnieje, spróbuj ponownie później",
        "550 Uživatel neexistuje, zkuste to později",
        "550 Het postvak bestaat niet, probeer het later opnieuw",
        "550 Mottagaren finns inte, försök igen senare",
        "550 Alıcı bulunamadı, daha sonra tekrar deneyin",
        "550 Адресата не знайдено, спробуйте пізніше",
        "550 Het IP adres 192.0.2.7 is geblokkeerd door de ontvanger",
        "550 Adres nadawcy nie istnieje",
        "550 Der Absender ist unbekannt",
        "550 Gönderen adresi geçersiz",
        "550 Nieprawidłowe hasło użytkownika",
        "550 送信元IPアドレスからの受信を拒否しました",
        "550 User unknown, try again later",
        "550 The recipient's account is temporarily disabled",
        "550 Sender domain does not exist",
        "host mx.example.net[192.0.2.151] said: 451 4.4.0 host lookup failed, try again later (in reply to RCPT TO command)",
    ])
    func neverSuppresses(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category != .suppress, "\(text) -> \(result.ruleID)")
    }

    @Test("a Postfix wrapper's 'host … said' is not a domain failure")
    func wrapperHostIsNoDomain() {
        let text = "host mx8.example.net[192.0.2.151] said: 550 ユーザーが見つかりません (in reply to RCPT TO command)"
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category == .suppress)
        #expect(result.reason == "user_unknown", "\(result.ruleID)")
    }
}
