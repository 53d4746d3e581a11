/// The recipient family's words in other languages written with spaces between words (round 13, rules-r13b).
///
/// The localised rules (`35-localised.yaml`) decide by co-occurrence of a noun and a state word anywhere in the
/// reply; a wording whose state word no list holds ("L'account è stato disattivato", "Indirizzo non più valido",
/// "Adresát nebyl nalezen", "Адрес больше не действителен", "Destinatar necunoscut") reached no rule and stayed
/// `unknown`. The same structure as the English families reads them here, by nearness: a recipient noun with a
/// word saying it is unknown, invalid or gone, a negation before a word of existence or validity ("non … valido",
/// "nie istnieje", "не найден", "n'est plus valide"), or a word saying it is disabled, deleted or closed; and the
/// same exclusions: a sender word or "your" before the noun makes it ours ("Absender unbekannt", "votre compte").
/// Temporary words of each language count as temporary wording (retry) and keep a domain reading from suppressing.
///
/// Words are lower case as `TextFolding` folds them (Turkish ı and İ read as `i`). Sources of the wordings: the
/// languages' rows of the open corpus (`lang-*.tsv`, `r5-lang-*.tsv`, `r9-lang.tsv`, `r11b-localised-*.tsv`) and
/// providers' help pages named in `Corpus/open/r13b-gone-a.tsv`.
extension WordFamilies {
    static let languageVocabulary: [(String, WordClass)] = recipientNouns + goneWords + existenceWords + disabledWords
        + negations + senderMarks + credentials + domainNouns + temporaryWords

    /// Recipient, user, address, account, mailbox.
    private static let recipientNouns: [(String, WordClass)] = [
        // French, German, Spanish, Portuguese, Italian.
        "destinataire", "utilisateur", "l'utilisateur", "adresse", "l'adresse", "compte", "boîte",
        "empfänger", "empfängers", "empfaenger", "empfängeradresse", "benutzer", "benutzers", "nutzer", "postfach", "postfachs",
        "e-mail-adresse", "konto", "kontos", "benutzerkonto",
        "destinatario", "usuario", "dirección", "direccion", "cuenta", "buzón", "buzon", "casilla",
        "destinatário", "usuário", "utilizador", "endereço", "endereco", "conta", "caixa",
        "utente", "l'utente", "indirizzo", "l'indirizzo", "l'account", "utenza", "casella",
        // Polish, Czech and Slovak, Dutch, Swedish, Danish and Norwegian, Turkish, Romanian.
        "odbiorca", "odbiorcy", "użytkownik", "użytkownika", "adres", "adresu", "skrzynka", "skrzynki",
        "příjemce", "prijemce", "uživatel", "uzivatel", "používateľ", "adresa", "adresát", "adresat", "účet", "schránka", "schranka",
        "ontvanger", "gebruiker", "postvak", "e-mailadres", "emailadres",
        "mottagare", "mottagaren", "mottaker", "mottakeren", "modtager", "modtageren", "användare", "användaren",
        "bruker", "brukeren", "bruger", "brugeren", "adressen", "postlåda", "brevlåda", "postkasse",
        "alici", "kullanici", "hesap", "hesabi",
        "destinatar", "destinatarul", "utilizator", "utilizatorul", "adresă", "cont", "contul",
        // Russian, Ukrainian, Hungarian, Finnish, Greek.
        "получатель", "получателя", "адресат", "пользователь", "пользователя", "адрес", "адреса", "ящик", "ящика",
        "аккаунт", "одержувач", "одержувача", "користувач", "користувача", "скринька", "акаунт",
        "címzett", "felhasználó", "fiók", "postafiók",
        "vastaanottaja", "vastaanottajaa", "käyttäjä", "käyttäjää", "osoite", "tili", "postilaatikko",
        "παραλήπτης", "χρήστης", "διεύθυνση", "λογαριασμός",
    ].map { ($0, WordClass.recipientNoun) }

    /// Unknown, invalid, nonexistent by themselves.
    private static let goneWords: [(String, WordClass)] = [
        "inconnu", "inconnue", "inexistant", "inexistante", "invalide", "introuvable", "n'existe", "erroné", "erronée",
        "unbekannt", "unbekannter", "unbekannte", "ungültig", "ungültige", "ungueltig",
        "desconocido", "desconocida", "inexistente", "inválido", "inválida", "invalido", "invalida", "incorrecto", "incorrecta",
        "desconhecido", "desconhecida", "incorreto", "incorreta",
        "sconosciuto", "sconosciuta", "inesistente", "errato", "errata",
        "nieznany", "nieznana", "nieznane", "nieprawidłowy", "nieprawidłowa", "nieprawidłowe", "nieistniejący",
        "nieistniejąca", "nieistniejące", "niepoprawny", "niepoprawna",
        "neexistuje", "nenalezen", "nenalezena", "neplatná", "neplatný", "neplatné", "neznámý", "neznámá", "neznámy", "neznáma",
        "nenájdený", "nenájdená",
        "onbekend", "onbekende", "ongeldig", "ongeldige", "okänd", "okänt", "ogiltig", "ogiltiga", "ukendt", "ukjent", "ugyldig",
        "bilinmeyen", "geçersiz", "bulunamadi",
        "necunoscut", "necunoscută", "inexistent", "inexistentă", "invalidă", "incorectă",
        "неизвестен", "неизвестный", "неизвестная", "несуществующий", "несуществующая", "недействителен",
        "недействительный", "недействительная", "неверный", "неверная",
        "невідомий", "невідома", "неіснуючий", "неіснуюча", "недійсний", "недійсна",
        "ismeretlen", "érvénytelen", "tuntematon", "virheellinen",
        "άγνωστος", "άγνωστη", "άκυρη", "άκυρος", "ανύπαρκτη", "ανύπαρκτος",
    ].map { ($0, WordClass.gone) }

    /// Exists, found, valid, known, active: what a negation before them denies.
    private static let existenceWords: [(String, WordClass)] = [
        "existe", "trouvé", "trouvée", "valide", "valable", "connu", "connue", "reconnu", "reconnue", "hébergé", "hébergée",
        "gefunden", "bekannt", "gültig", "gültige", "vorhanden", "aktiv", "registriert",
        "encontrado", "encontrada", "válido", "válida", "valido", "valida", "activo", "activa", "registrado", "registrada",
        "ativo", "ativa", "cadastrado", "cadastrada",
        "trovato", "trovata", "esiste", "attivo", "attiva", "registrato", "registrata", "presente",
        "istnieje", "znaleziono", "znaleziony", "znaleziona", "aktywne", "aktywny", "aktywna",
        "existuje", "nalezen", "nalezena", "nalezeno", "platná", "platný", "aktivní",
        "gevonden", "bekend", "geldig", "actief", "hittades", "giltig", "fundet", "funnet", "gyldig",
        "există", "exista", "găsit", "găsită", "activ",
        "существует", "найден", "найдена", "найдено", "действителен", "действительный", "активен", "зарегистрирован",
        "існує", "знайдено", "знайдений", "дійсний", "активний",
        "létezik", "található", "érvényes", "löydy", "löytynyt", "voimassa",
        "υπάρχει", "βρέθηκε", "έγκυρη", "έγκυρος",
    ].map { ($0, WordClass.existence) }

    /// Disabled, deleted, closed, suspended, expired.
    private static let disabledWords: [(String, WordClass)] = [
        "désactivé", "désactivée", "supprimé", "supprimée", "fermé", "fermée", "suspendu", "suspendue", "expiré", "expirée",
        "inactif",
        "deaktiviert", "gesperrt", "gelöscht", "geschlossen", "stillgelegt", "inaktiv", "abgelaufen",
        "desactivado", "desactivada", "deshabilitado", "deshabilitada", "eliminado", "eliminada", "suspendido", "suspendida",
        "cerrado", "cerrada", "inactivo", "inactiva", "cancelado", "cancelada", "expirado", "expirada",
        "desativado", "desativada", "desabilitado", "desabilitada", "removido", "removida", "excluído", "excluída",
        "suspenso", "suspensa", "encerrado", "encerrada", "inativo", "inativa",
        "disattivato", "disattivata", "disabilitato", "disabilitata", "eliminato", "eliminata", "cancellato", "cancellata",
        "sospeso", "sospesa", "chiuso", "chiusa", "inattivo", "inattiva", "scaduto", "scaduta", "rimosso", "rimossa",
        "wyłączone", "wyłączony", "wyłączona", "zablokowane", "zablokowany", "zablokowana", "usunięte", "usunięty",
        "usunięta", "nieaktywne", "nieaktywny", "nieaktywna", "zawieszone", "zawieszony", "zawieszona", "zamknięte",
        "zamknięty", "zamknięta",
        "zrušen", "zrušený", "zrušena", "zrušené", "zablokován", "zablokovaný", "deaktivován", "smazán", "neaktivní",
        "pozastaven",
        "opgeheven", "gedeactiveerd", "verwijderd", "inactief", "uitgeschakeld", "opgeschort",
        "avstängd", "avstängt", "inaktiverad", "borttagen", "raderad", "spärrad", "stängd",
        "deaktiveret", "deaktivert", "slettet", "lukket", "spærret", "sperret",
        "kapatildi", "silindi", "pasif",
        "dezactivat", "dezactivată", "suspendat", "suspendată", "șters", "ștearsă", "închis", "închisă",
        "заблокирован", "заблокирована", "отключен", "отключён", "отключена", "удален", "удалён", "удалена",
        "деактивирован", "закрыт", "закрыта", "приостановлен",
        "заблокований", "заблокована", "вимкнено", "видалено", "видалений", "деактивовано",
        "letiltva", "törölve", "felfüggesztve", "megszűnt", "suljettu", "poistettu", "estetty",
        "απενεργοποιημένος", "απενεργοποιημένη", "διαγράφηκε",
    ].map { ($0, WordClass.disabled) }

    /// Not, no: a negation one or two words before a word of existence ("n'est plus valide", "non più valido").
    private static let negations: [(String, WordClass)] = [
        "n'est", "pas", "nicht", "kein", "keine", "keinen", "nie", "ne", "niet", "geen", "inte", "ingen", "ikke",
        "não", "nao", "nu", "не", "нет", "ні", "nem", "ei", "δεν", "μη", "nebyl", "nebyla", "nebylo", "není",
    ].map { ($0, WordClass.negation) }

    /// The sender and "your": a recipient noun after them is ours ("Absender unbekannt", "votre compte").
    private static let senderMarks: [(String, WordClass)] = [
        "expéditeur", "l'expéditeur", "émetteur", "votre", "vos",
        "absender", "absenders", "absenderadresse", "ihre", "ihr", "ihrer", "ihren",
        "remitente", "tu", "tus", "su", "sus", "remetente", "seu", "sua",
        "mittente", "tuo", "tua", "vostro", "vostra",
        "nadawca", "nadawcy", "twój", "twoja", "twoje", "odesílatel", "odesilatel", "váš", "vaše", "vaša",
        "afzender", "uw", "jouw", "avsändare", "avsändaren", "afsender", "avsender", "din", "ditt",
        "gönderen", "gonderen", "sizin", "expeditor", "expeditorul", "dumneavoastră",
        "отправитель", "отправителя", "ваш", "ваша", "ваше", "вашего", "вашей", "вашу", "відправник", "відправника",
        "feladó", "lähettäjä", "lähettäjän", "αποστολέας",
    ].map { ($0, WordClass.senderMark) }

    /// Password: with a recipient noun beside it, the words speak of our login ("Nieprawidłowe hasło użytkownika").
    private static let credentials: [(String, WordClass)] = [
        "passe", "passwort", "kennwort", "contraseña", "senha", "hasło", "heslo", "wachtwoord", "lösenord", "passord",
        "adgangskode", "şifre", "sifre", "parola", "parolă", "пароль", "jelszó", "salasana", "κωδικός",
    ].map { ($0, [WordClass.senderMark, .ourNoun]) }

    /// Domain.
    private static let domainNouns: [(String, WordClass)] = [
        "domaine", "domäne", "dominio", "domínio", "domena", "doména", "domein", "domän", "домен", "домена", "домену",
    ].map { ($0, [WordClass.domainNoun, .domainWord]) }

    /// Temporarily, later: the failure may pass.
    private static let temporaryWords: [(String, WordClass)] = [
        "temporaire", "temporairement", "tard", "vorübergehend", "vorläufig", "temporär", "später",
        "temporal", "temporalmente", "tarde", "temporário", "temporária", "temporariamente",
        "temporaneo", "temporanea", "temporaneamente", "tardi", "tymczasowo", "tymczasowy", "później",
        "dočasně", "dočasná", "později", "tijdelijk", "later", "tillfälligt", "tillfällig", "senare", "midlertidig", "midlertidigt",
        "senere", "geçici", "temporar", "временно", "временная", "позже", "тимчасово", "пізніше",
        "ideiglenesen", "később", "väliaikaisesti", "myöhemmin",
    ].map { ($0, WordClass.temporary) }
}
