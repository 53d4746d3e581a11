import BounceClassification
import Testing

/// The safety guard reads localised servers too: a reply that calls the failure temporary, or that
/// names our IP or domain as the refused party, never suppresses, in whatever language it is written;
/// a localised reply that only says the mailbox does not exist still does.
@Suite("Safety guard: localised temporary and sender-side wording")
struct LocalisedGuardTests {
    @Test("localised temporary or sender-side wording withdraws a suppression", arguments: [
        "550 5.1.1 Usuario inexistente (error temporal)",
        "550 5.1.1 Usuario inexistente, buzón temporalmente no disponible",
        "550 5.1.1 Usuario inexistente, inténtelo de nuevo más tarde",
        "550 5.1.1 Utilisateur inconnu, service temporairement indisponible",
        "550 5.1.1 Boîte aux lettres inexistante, votre adresse IP 192.0.2.7 est bloquée",
        "550 5.1.1 Benutzer unbekannt, vorübergehend nicht erreichbar",
        "550 5.1.1 Mailbox nicht vorhanden: Ihre IP 198.51.100.3 ist gesperrt",
        "550 5.1.1 Usuário inexistente, falha temporária",
        "550 5.1.1 Caixa postal inexistente: seu IP 203.0.113.9 foi bloqueado",
        "550 5.1.1 Utente inesistente, casella temporaneamente non disponibile",
        "550 5.1.1 Casella inesistente: il tuo IP 192.0.2.44 è bloccato",
        "550 5.1.1 Ваш IP-адрес заблокирован, почтовый ящик не существует",
        "550 5.1.1 Почтовый ящик не существует, сервер временно недоступен",
        "550 5.1.1 用户不存在，暂时无法投递",
        "550 5.1.1 发信IP 192.0.2.8 被拒绝，用户不存在",
        "550 5.1.1 ユーザーが存在しません。一時的に受信できません",
        "550 5.1.1 送信元IP 198.51.100.20 を拒否しました。ユーザーが存在しません",
        "550 5.1.1 수신자가 존재하지 않습니다. 일시적인 오류입니다",
        "550 5.1.1 발신 IP 203.0.113.5 차단됨, 사용자 없음",
        "550 5.1.1 사용자가 존재하지 않습니다. 잠시 후 다시 시도하십시오",
        "550 5.1.1 用户不存在，您的域名 example.com 已被拒收",
        "550 5.1.1 Destinataire inconnu : votre domaine example.com est refusé",
    ])
    func withdraws(text: String) {
        let result = TestSupport.classifier.classify(BounceResponse(diagnostic: text))
        #expect(result.category != .suppress, "\(text) -> \(result.ruleID)")
    }

    @Test("a localised user-unknown without such wording still suppresses", arguments: [
        "550 5.1.1 Usuario inexistente",
        "550 5.1.1 Utilisateur inconnu",
        "550 5.1.1 Benutzer unbekannt",
        "550 5.1.1 Usuário inexistente",
        "550 5.1.1 Utente inesistente",
        "550 5.1.1 Почтовый ящик не существует",
        "550 5.1.1 用户不存在",
        "550 5.1.1 ユーザーが存在しません",
        "550 5.1.1 사용자가 존재하지 않습니다",
        "550 5.1.1 Пользователь не найден одновременно в двух каталогах",
    ])
    func stillSuppresses(text: String) {
        TestSupport.expectCategory(text: text, .suppress)
    }
}
