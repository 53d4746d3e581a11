@testable import BounceClassification
import Testing

/// Round 12 (helper rules-r12a, issue 12 pattern 6): whose block is it. The recipient's own block list or refusal is
/// a banned recipient; an organisation's, a provider's or a list service's block of our IP, domain or address stays
/// `sender`. Written from `Corpus/open/r12a-recipient-block-a.tsv` (RFC 5429's reject and ereject examples, a sending
/// platform's own lists, Gandi's infected host) and the lead's probe of the structures the list words hid ("550 You
/// are in the recipient's blacklist" read as our IP on a block list); the wordings below vary those structures.
@Suite("Round 12: whose block is it")
struct RoundTwelveWhoseBlockTests {
    @Test("a list or refusal whose owner is the recipient person suppresses", arguments: [
        "550 You are in the recipient's blacklist",
        "550 5.7.1 Sender is on the recipient's blacklist",
        "554 The recipient has blacklisted your address",
        "550 User has put you in blacklist",
        "550 Your address is in the recipient's deny list",
        "550 5.7.1 Your message was blocked by this user",
        "host mx.example.org[192.0.2.12] said: 550 5.7.1 I no longer accept mail from this address (in reply to end of DATA command)",
        "550 5.7.1 I am not taking mail from you, and I don't want your birdseed, either!",
        "111 - This address cannot be contacted with OxiMailing (the person has specifically requested to no longer receive e-mail communication from the platform)",
        "550 您的邮件地址已被收件人加入黑名单",
        "550 수신자의 블랙리스트에 등록되어 있습니다",
        "550 5.7.1 Отправитель находится в черном списке получателя",
        "550 5.7.1 Absender steht auf der Blacklist des Empfängers",
        "550 5.7.1 L'expéditeur est sur la liste noire du destinataire",
        "550 5.7.1 El remitente está en la lista negra del destinatario",
    ])
    func recipientsOwn(text: String) {
        TestSupport.expectVerdict(text: text, .suppress, "recipient_refuses_sender")
    }

    @Test("an organisation's, a provider's or a filter's block, or our connection listed, never suppresses", arguments: [
        "550 5.7.1 Sender blacklisted",
        "554 Blacklisted [198.51.100.3]; please try again later or contact administrator",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        "550 Blocked by the recipient's organization",
        "550 5.7.1 Message blocked by the recipient's mail server",
        "550 5.7.1 Rejected by the recipient's spam filter",
        "550 5.7.1 Your IP is on the recipient's blacklist",
        "550 5.7.1 This user has been blocked from sending mail",
        "550 Recipient rejected: your message looks like spam",
        "550 Recipient blocked",
        "550 5.7.1 We do not accept mail from your IP address, which is in a netblock assigned to a known spammer",
        "550 5.7.1 Unable To Relay: Blocked by Customer Allow list",
        "550 发信IP在收件人的黑名单中",
        "554 对方服务器将您列入黑名单",
        "550 5.7.1 Отправитель в черном списке администратора",
        "I'm sorry to have to inform you that your message could not be delivered. 550 5.7.1 Blacklisted",
        "rejected after DATA: Mail denied for blacklisted authenticated user",
    ])
    func notTheRecipients(text: String) {
        #expect(TestSupport.classifier.classify(BounceResponse(diagnostic: text)).category != .suppress)
    }

    @Test("the recipient's own block under a 4xx retries, keeping the reason")
    func temporaryCode() {
        let verdict = TestSupport.classifier.classify(BounceResponse(smtpCode: 450, diagnostic: "450 You are in the recipient's blacklist"))
        #expect(verdict.category == .retry)
        #expect(verdict.reason == "recipient_refuses_sender")
    }

    @Test("a temporary fault or our IP beside the recipient's list still withdraws the suppression", arguments: [
        "451 4.7.1 Temporary failure, try again later: sender is on the recipient's blacklist",
        "550 5.7.1 Client host rejected: you are in the recipient's blacklist",
    ])
    func guardStillApplies(text: String) {
        #expect(TestSupport.classifier.classify(BounceResponse(diagnostic: text)).category != .suppress)
    }

    @Test("the reading itself: owner before, agent after, subject of a block verb, a person who will not receive")
    func reading() {
        func owns(_ text: String) -> Bool {
            var text = text
            return text.withUTF8 { WordCues.recipientOwnsBlock($0) }
        }
        #expect(owns("You are on the user's block list"))
        #expect(owns("blacklist of the recipient"))
        #expect(owns("Recipient rejects mail from you"))
        #expect(owns("The user does not want to receive mail from you"))
        #expect(!owns("Recipient rejected your message"))
        #expect(!owns("is in a black list at zen.spamhaus.org"))
        #expect(!owns("This address cannot be contacted because it is in your blacklist"))
        #expect(!owns("I'm not going to try again; this message has been in the queue too long."))
        #expect(!owns("blocked by the recipient's mail server"))
    }

    @Test("a sending platform's own list named from our side is that platform's suppression list", arguments: [
        "121 - This address cannot be contacted because it is in your blacklist",
        "131 - This address cannot be contacted because it is in your bounce list",
        "SEND_BLOCK_ADDRESS",
    ])
    func platformsOwnList(text: String) {
        TestSupport.expectVerdict(text: text, .suppress, "on_suppression_list")
    }

    @Test("the infected party named is our host")
    func infectedHost() {
        TestSupport.expectVerdict(text: "554 5.7.1 Service unavailable; Client host [198.51.100.50] blocked you may be infected",
                                  .sender, "ip_blocklisted")
    }
}
