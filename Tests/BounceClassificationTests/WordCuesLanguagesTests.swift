@testable import BounceClassification
import Testing

/// Round 13 (rules-r13b): the word families read a gone recipient in words no rule holds, in English and in
/// the languages written with spaces between words, and a syntax complaint whose subject is the recipient. The
/// wordings below are written for these tests (none is a phrase of a rule file); the near misses are the ones
/// the safety line names: our sender or account, a temporary state, a full mailbox.
@Suite("Round 13: a gone recipient in words no rule knows")
struct WordCuesLanguagesTests {
    private func classify(_ text: String, code: Int? = nil, status: String? = nil) -> Classification {
        TestSupport.classifier.classify(BounceResponse(smtpCode: code, enhancedStatus: status, diagnostic: text))
    }

    @Test("a recipient noun with a gone, disabled or negated state suppresses, in English and other languages", arguments: [
        ("550 unregistered address", "user_unknown"),
        ("550 Sorry, this e-mail address is obsolete", "user_unknown"),
        ("550 mailbox removed", "mailbox_disabled"),
        ("550 Mailbox is dormant", "mailbox_disabled"),
        ("550 Destination mailbox is not hosted here", "user_unknown"),
        ("550 the subscriber address is no longer in use", "user_unknown"),
        ("550 Indirizzo non più valido", "user_unknown"),
        ("550 L'account è stato disattivato", "mailbox_disabled"),
        ("550 Adresát nebyl nalezen", "user_unknown"),
        ("550 Адрес больше не действителен", "user_unknown"),
        ("550 Destinatar necunoscut", "user_unknown"),
        ("550 A caixa postal foi removida", "mailbox_disabled"),
        ("550 Le destinataire n’est plus valide", "user_unknown"),
        ("550 Domain example.org is not hosted here", "domain_not_found"),
        // Names in snake or camel case, as webhooks and APIs store a verdict.
        ("no_such_user", "user_unknown"), ("mailbox_does_not_exist", "user_unknown"), ("BadEmailAddress", "user_unknown"),
    ])
    func goneInWords(text: String, reason: String) {
        let verdict = classify(text)
        #expect(verdict.category == .suppress, "\(text) -> \(verdict.ruleID)")
        #expect(verdict.reason == reason, "\(text) -> \(verdict.ruleID)")
    }

    @Test("ours, temporary or full never suppresses", arguments: [
        "550 Absender unbekannt", "550 Votre compte est suspendu", "550 Il tuo account è stato sospeso",
        "550 Twoje konto zostało zablokowane", "550 Отправитель не найден", "550 Konto tymczasowo zablokowane",
        "451 Destinataire inconnu", "550 Utilisateur introuvable, réessayez plus tard", "550 Postfach voll",
        "550 domaine inconnu, réessayez plus tard", "501 Syntax error in your sender address",
        "501 5.5.4 Syntax error in parameters or arguments", "501 MAIL FROM syntax error",
        "Error The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        // Our SMTP login, an address with underscores, a sender refused in a qmail-style notice.
        "Invalid username or password", "Invalid user or password", "550 Nieprawidłowe hasło użytkownika",
        "550 bounce_handler@example.com address rejected: try later",
        "192.0.2.18 does not like sender.\nRemote host said: 553 sorry, this account has been disabled",
    ])
    func nearMissesKeep(text: String) {
        let verdict = classify(text)
        #expect(verdict.category != .suppress, "\(text) -> \(verdict.ruleID)")
    }

    @Test("a syntax complaint about the recipient address is an invalid address", arguments: [
        "501 Recipient syntax error", "501 Syntax error in recipient address", "553 syntax error in the recipient mailbox",
    ])
    func recipientSyntax(text: String) {
        let verdict = classify(text)
        #expect(verdict.category == .suppress, "\(text) -> \(verdict.ruleID)")
        #expect(verdict.reason == "invalid_address")
    }

    @Test("a success notice that also states a failure is not a success", arguments: [
        "Delivery has failed to these recipients or groups: ann@example.org. Delivery to these recipients or groups is complete: bo@example.org",
    ])
    func mixedNotice(text: String) {
        #expect(classify(text).category != .ignore)
    }

    @Test("two-byte letters belong to the word, folded to lower case; the curly apostrophe joins a word")
    func tokenizerReadsOtherAlphabets() {
        func classes(_ text: String) -> [WordClass] {
            var text = text
            return text.withUTF8 { bytes in
                withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: 32) { buffer in
                    let count = WordCues.tokenize(bytes, into: buffer)
                    return buffer[..<count].map(WordClass.init(rawValue:))
                }
            }
        }
        #expect(classes("EMPFÄNGER unbekannt") == [.recipientNoun, .gone])
        #expect(classes("ПОЛУЧАТЕЛЬ неизвестен") == [.recipientNoun, .gone])
        #expect(classes("Kullanıcı bilinmeyen") == [.recipientNoun, .gone])
        #expect(classes("l’indirizzo") == [.recipientNoun])
        // An address or host name with letters of another alphabet stays opaque.
        #expect(classes("jörg@exämple.de user") == [.recipientNoun])
    }

    @Test("every word of the language vocabulary reads as itself through the tokenizer")
    func languageVocabularyTokenizes() {
        for (word, wordClass) in WordFamilies.languageVocabulary {
            var text = word
            let read: [WordClass.RawValue] = text.withUTF8 { bytes in
                withUnsafeTemporaryAllocation(of: WordClass.RawValue.self, capacity: 8) { buffer in
                    let count = WordCues.tokenize(bytes, into: buffer)
                    return Array(buffer[..<count])
                }
            }
            #expect(read.count == 1, "\(word) reads as \(read.count) words")
            #expect(read.first.map { WordClass(rawValue: $0).isSuperset(of: wordClass) } == true, "\(word)")
        }
    }
}
