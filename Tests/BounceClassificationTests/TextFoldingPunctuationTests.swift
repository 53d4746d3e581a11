@testable import BounceClassification
import Testing

/// Typographic punctuation and Turkish i fold to the forms rule files write: a French or Italian
/// server's curly apostrophe, a non-breaking hyphen in "e‑mail", and Turkish upper case reach the
/// phrase matcher as the ASCII a phrase holds.
@Suite("Text folding: typographic punctuation and Turkish i")
struct TextFoldingPunctuationTests {
    @Test("folded forms match on both sides", arguments: [
        ("n'existe pas", "550 L’adresse n’existe pas", true),
        ("n’existe pas", "550 L'adresse n'existe pas", true),
        ("l'indirizzo", "L‘indirizzo non esiste", true),
        ("e-mail-adresse", "Die E‑Mail‑Adresse existiert nicht", true),      // U+2011 non-breaking hyphen
        ("user unknown - rejected", "550 User unknown – rejected", true),     // U+2013 en dash
        ("alıcı bulunamadı", "550 ALICI BULUNAMADI", true),
        ("kullanıcı", "550 Kullanici bulunamadi", true),
        ("geçersiz", "550 GEÇERSİZ ADRES", true),
        ("n'existe pas", "550 L’adresse n”existe pas", false),               // a closing double quote is no apostrophe
        ("€", "€", true),                                                      // other punctuation is left as it is
    ])
    func folds(phrase: String, text: String, expected: Bool) {
        #expect(TestSupport.phraseMatches(phrase, in: text) == expected, "\(phrase) in \(text)")
    }

    @Test("a curly apostrophe is a word boundary, as the ASCII one is")
    func apostropheIsBoundary() {
        #expect(TestSupport.phraseMatches("|spam|", in: "rejected as ‘spam’ by the filter"))
    }

    @Test("localised replies with curly apostrophes and Turkish capitals classify like their plain forms", arguments: [
        ("550 5.1.1 L’adresse du destinataire n’existe pas", BounceCategory.suppress),
        ("550 ALICI HESABI BULUNAMADI", BounceCategory.suppress),
        ("550 Posta kutusu DOLU", BounceCategory.retry),
    ])
    func classifies(text: String, category: BounceCategory) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category == category, "\(text) -> \(result.ruleID)")
    }
}
